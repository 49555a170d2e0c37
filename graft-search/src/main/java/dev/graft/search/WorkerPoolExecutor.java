package dev.graft.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Evaluates trials in N worker JVMs (child processes, each with T PyTorch threads), since DJL
 * allows one active gradient collector per JVM. Trials and results travel as JSON lines. A
 * worker that dies, whether while starting or in the middle of a trial, costs its trial one
 * attempt: it is replaced and the trial tried again, up to {@value #ATTEMPTS} attempts, after which
 * only that trial fails, with a one-line message. The search never waits on a dead worker.
 *
 * <p>Thread-safe: up to {@link #parallelism()} evaluations may run at once.
 */
public final class WorkerPoolExecutor implements TrialExecutor {
    /** Attempts per trial: starts that fail and deaths mid-trial both count. */
    static final int ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> command;
    private final BlockingQueue<Slot> idle;
    private final List<Worker> all = new ArrayList<>();
    private final int size;

    /** A live child process and its pipes. */
    private static final class Worker {
        final Process process;
        final BufferedReader in;
        final PrintWriter out;

        Worker(Process process) {
            this.process = process;
            this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.out = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        }
    }

    /** A place for one worker; empty while its worker is dead or did not start. */
    private static final class Slot {
        Worker worker;
        String error;
    }

    /**
     * Starts {@code workers} JVMs for the experiment, each with {@code threads} PyTorch threads. A
     * JVM that does not start is started again when a trial needs it.
     *
     * @throws IllegalArgumentException if {@code workers} or {@code threads} is not positive
     */
    public WorkerPoolExecutor(Path experiment, int workers, int threads) {
        this(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + threads,
                "-cp", System.getProperty("java.class.path"), TrialWorker.class.getName(),
                experiment.toAbsolutePath().toString()), workers, threads);
    }

    /** A pool whose workers run {@code command} (tests use a stand-in for {@link TrialWorker}). */
    WorkerPoolExecutor(List<String> command, int workers, int threads) {
        if (workers < 1 || threads < 1) {
            throw new IllegalArgumentException("workers and threads must be positive");
        }
        this.size = workers;
        this.command = List.copyOf(command);
        this.idle = new ArrayBlockingQueue<>(workers);
        // start every JVM first, then wait for each to be ready: start-up overlaps
        List<Slot> slots = new ArrayList<>();
        List<Process> starting = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Slot slot = new Slot();
            slots.add(slot);
            try {
                starting.add(launch());
            } catch (IOException e) {
                starting.add(null);
                slot.error = "cannot start a worker JVM: " + e.getMessage();
            }
        }
        for (int i = 0; i < workers; i++) {
            Slot slot = slots.get(i);
            if (starting.get(i) != null) {
                fill(slot, starting.get(i));
            }
            idle.add(slot);
        }
    }

    /** The command that starts a worker (for tests that kill one). */
    List<String> command() {
        return command;
    }

    private Process launch() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "1");
        return pb.start();
    }

    /** Waits for {@code process} to say it is ready and puts it in {@code slot}; on failure, the slot stays empty with the reason. */
    private void fill(Slot slot, Process process) {
        Worker w = new Worker(process);
        String ready;
        try {
            ready = w.in.readLine();
        } catch (IOException e) {
            ready = null;
        }
        if (ready == null || !ready.contains("ready")) {
            process.destroyForcibly();
            String code = "";
            try {
                if (process.waitFor(5, TimeUnit.SECONDS)) {
                    code = " (exit code " + process.exitValue() + ")";
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // one line, without the command: its classpath runs to pages
            slot.worker = null;
            slot.error = "a worker JVM died while starting" + code;
            return;
        }
        synchronized (all) {
            all.add(w);
        }
        slot.worker = w;
        slot.error = null;
    }

    /** The process ids of the live workers (for tests that kill one). */
    List<Long> pids() {
        synchronized (all) {
            return all.stream().filter(w -> w.process.isAlive()).map(w -> w.process.pid()).toList();
        }
    }

    @Override
    public Evaluation evaluate(int[] point, EpochCallback callback) {
        String why = "";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Slot slot;
            try {
                slot = idle.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Evaluation(Double.NaN, TrialState.FAILED, "interrupted");
            }
            try {
                if (slot.worker == null) {
                    try {
                        fill(slot, launch());
                    } catch (IOException e) {
                        slot.error = "cannot start a worker JVM: " + e.getMessage();
                    }
                    if (slot.worker == null) {
                        why = slot.error;
                        continue;
                    }
                }
                Evaluation e = run(slot.worker, point, callback);
                if (e != null) {
                    return e;
                }
                // the worker died mid-trial: its slot is refilled by the next attempt or trial
                Worker dead = slot.worker;
                dead.process.destroyForcibly();
                synchronized (all) {
                    all.remove(dead);
                }
                slot.worker = null;
                why = "the worker JVM died during the trial";
            } finally {
                idle.add(slot);
            }
        }
        return new Evaluation(Double.NaN, TrialState.FAILED, why + "; gave up after " + ATTEMPTS + " attempts");
    }

    /** One trial on one worker; null if the worker died. */
    private Evaluation run(Worker w, int[] point, EpochCallback callback) {
        try {
            ObjectNode req = JSON.createObjectNode().put("wait", callback.mayStop());
            ArrayNode p = req.putArray("point");
            for (int i : point) {
                p.add(i);
            }
            w.out.println(req);
            String line;
            while ((line = w.in.readLine()) != null) {
                JsonNode n = JSON.readTree(line);
                if (n.has("epoch")) {
                    boolean go = callback.onEpoch(n.path("epoch").asInt(), n.path("value").asDouble());
                    if (callback.mayStop()) {
                        w.out.println(JSON.createObjectNode().put("continue", go));
                    }
                    continue;
                }
                int epoch = 0;
                for (JsonNode value : n.path("intermediate")) {
                    callback.onEpoch(epoch++, value.asDouble());
                }
                double v = n.has("value") ? n.path("value").asDouble() : Double.NaN;
                double[] objectives = new double[n.path("objectives").size()];
                for (int k = 0; k < objectives.length; k++) {
                    objectives[k] = n.path("objectives").get(k).asDouble();
                }
                return new Evaluation(v, TrialState.valueOf(n.path("state").asText()), n.path("message").asText(),
                        objectives, n.has("stderr") ? n.path("stderr").asDouble() : Double.NaN);
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public int parallelism() {
        return size;
    }

    @Override
    public void close() {
        List<Worker> copy;
        synchronized (all) {
            copy = new ArrayList<>(all);
        }
        for (Worker w : copy) {
            w.out.close();
            try {
                if (!w.process.waitFor(5, TimeUnit.SECONDS)) {
                    w.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                w.process.destroyForcibly();
            }
        }
    }
}
