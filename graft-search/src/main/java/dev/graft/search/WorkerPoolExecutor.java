package dev.graft.search;

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
 * Evaluates trials in N worker JVMs ({@link TrialWorker} child processes, each with T PyTorch
 * threads), since DJL allows one active gradient collector per JVM. Requests, epoch values and
 * results travel as {@link TrialCodec} lines over the workers' standard input and output. A worker
 * that dies, whether while starting or in the middle of a trial, throws {@link TrialLostException}
 * for its trial (the driver retries it, {@link TrialAttempts}) and is started again when its slot
 * is next used. The search never waits on a dead worker.
 *
 * <p>Thread-safe: up to {@link #parallelism()} evaluations may run at once.
 */
public final class WorkerPoolExecutor implements TrialExecutor {
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
     * Starts {@code workers} JVMs, each with {@code threads} PyTorch threads. A JVM that does not
     * start is started again when a trial needs it. Each prepares an experiment when its first
     * request names it.
     *
     * @throws IllegalArgumentException if {@code workers} or {@code threads} is not positive
     */
    public WorkerPoolExecutor(int workers, int threads) {
        this(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + threads,
                "-cp", System.getProperty("java.class.path"), TrialWorker.class.getName()), workers, threads);
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
        if (ready == null || !isReady(ready)) {
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

    private static boolean isReady(String line) {
        try {
            return TrialCodec.decode(line) instanceof TrialMessage.Ready;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The process ids of the live workers (for tests that kill one). */
    List<Long> pids() {
        synchronized (all) {
            return all.stream().filter(w -> w.process.isAlive()).map(w -> w.process.pid()).toList();
        }
    }

    @Override
    public TrialResult execute(TrialRequest request, EpochCallback callback) {
        Slot slot;
        try {
            slot = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrialLostException("interrupted while waiting for a worker");
        }
        try {
            if (slot.worker == null) {
                try {
                    fill(slot, launch());
                } catch (IOException e) {
                    slot.error = "cannot start a worker JVM: " + e.getMessage();
                }
                if (slot.worker == null) {
                    throw new TrialLostException(slot.error);
                }
            }
            TrialResult r = run(slot.worker, request, callback);
            if (r != null) {
                return r;
            }
            // the worker died mid-trial: its slot is refilled by the next trial
            Worker dead = slot.worker;
            dead.process.destroyForcibly();
            synchronized (all) {
                all.remove(dead);
            }
            slot.worker = null;
            throw new TrialLostException("the worker JVM died during the trial");
        } finally {
            idle.add(slot);
        }
    }

    /** One trial on one worker; null if the worker died or spoke out of turn. */
    private TrialResult run(Worker w, TrialRequest request, EpochCallback callback) {
        try {
            w.out.println(TrialCodec.encode(request));
            String line;
            while ((line = w.in.readLine()) != null) {
                TrialMessage m = TrialCodec.decode(line);
                if (m instanceof TrialMessage.Epoch e) {
                    boolean go = callback.onEpoch(e.epoch(), e.value());
                    if (request.waitForDecisions()) {
                        w.out.println(TrialCodec.encode(new TrialMessage.Decision(go)));
                    }
                } else if (m instanceof TrialResult r) {
                    return r;
                } else {
                    return null;
                }
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
