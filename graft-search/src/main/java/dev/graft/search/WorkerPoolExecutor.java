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
 * worker that crashes or is killed fails only its trial, which is retried once on a fresh
 * worker; the dead worker is replaced, so the search never waits on it.
 */
public final class WorkerPoolExecutor implements TrialExecutor {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> command;
    private final BlockingQueue<Worker> idle;
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

    /**
     * Starts {@code workers} JVMs for the experiment, each with {@code threads} PyTorch threads.
     *
     * @throws IllegalStateException if a worker does not start
     */
    public WorkerPoolExecutor(Path experiment, int workers, int threads) {
        if (workers < 1 || threads < 1) {
            throw new IllegalArgumentException("workers and threads must be positive");
        }
        this.size = workers;
        this.command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + threads,
                "-cp", System.getProperty("java.class.path"), TrialWorker.class.getName(),
                experiment.toAbsolutePath().toString());
        this.idle = new ArrayBlockingQueue<>(workers);
        // start every JVM first, then wait for each to be ready: start-up overlaps
        List<Process> starting = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            starting.add(launch());
        }
        for (Process p : starting) {
            idle.add(ready(p));
        }
    }

    /** The command that starts a worker (for tests that kill one). */
    List<String> command() {
        return command;
    }

    private Worker start() {
        return ready(launch());
    }

    private Process launch() {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "1");
            return pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a worker JVM: " + e.getMessage(), e);
        }
    }

    private Worker ready(Process process) {
        try {
            Worker w = new Worker(process);
            String ready = w.in.readLine();
            if (ready == null || !ready.contains("ready")) {
                w.process.destroyForcibly();
                throw new IllegalStateException("a worker JVM did not start (" + String.join(" ", command) + ")");
            }
            synchronized (all) {
                all.add(w);
            }
            return w;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a worker JVM: " + e.getMessage(), e);
        }
    }

    /** The process ids of the live workers (for tests that kill one). */
    List<Long> pids() {
        synchronized (all) {
            return all.stream().filter(w -> w.process.isAlive()).map(w -> w.process.pid()).toList();
        }
    }

    @Override
    public Evaluation evaluate(int[] point, EpochCallback callback) {
        for (int attempt = 0; attempt < 2; attempt++) {
            Worker w;
            try {
                w = idle.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Evaluation(Double.NaN, TrialState.FAILED, "interrupted");
            }
            Evaluation e = run(w, point, callback);
            if (e != null) {
                idle.add(w);
                return e;
            }
            // the worker died mid-trial: replace it, and retry once
            w.process.destroyForcibly();
            synchronized (all) {
                all.remove(w);
            }
            idle.add(start());
        }
        return new Evaluation(Double.NaN, TrialState.FAILED, "the worker died twice on this trial");
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
                        objectives);
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
