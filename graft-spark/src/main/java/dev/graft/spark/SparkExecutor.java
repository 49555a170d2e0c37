package dev.graft.spark;

import dev.graft.search.TrialCodec;
import dev.graft.search.TrialExecutor;
import dev.graft.search.TrialLostException;
import dev.graft.search.TrialRequest;
import dev.graft.search.TrialResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs trials as Spark tasks: each {@link #execute} is one Spark job of one task holding the
 * request's {@link TrialCodec} line, on an executor of one core (so one trial per executor JVM at a
 * time, as DJL needs); the driver (this JVM) keeps the study, the journal, the sampler and the
 * pruner. Epoch values come back while the trial runs over an {@link EpochChannel}, so a pruned
 * trial stops after the epoch it was pruned at.
 *
 * <p>Faults: Spark's own task retry is off ({@code spark.task.maxFailures=1}); a task lost with its
 * executor fails the job, which this executor reports as {@link TrialLostException}, and the study
 * driver tries the trial again ({@link dev.graft.search.TrialAttempts}): one retry rule for every
 * executor, never two. Speculative execution is off ({@code spark.speculation=false}): a speculative
 * copy of a trial would train it twice for nothing. The standalone master replaces a dead executor.
 *
 * <p>Classpath and data: executors must see Graft's jars and the experiment's data files under the
 * paths this JVM uses ({@code spark.executor.extraClassPath} is this JVM's class path; a shared file
 * system or the same install on every node). The experiment's text travels in each request.
 *
 * <p>Thread-safe: up to {@link #parallelism()} trials run at once.
 */
public final class SparkExecutor implements TrialExecutor {
    private final JavaSparkContext spark;
    private final EpochChannel channel;
    private final int executors;
    private final Object quietOnShutdown;

    /**
     * Connects to the cluster at {@code master} ({@code spark://HOST:PORT}, {@code local-cluster[N,1,MB]})
     * and asks for {@code executors} executors of one core each.
     *
     * @param memoryMb each executor's heap
     * @throws IllegalArgumentException if {@code executors} is not positive
     * @throws dev.graft.GraftInputException if no Spark master at {@code spark://...} registers the
     *     application (Spark gives up after 60 s), or no executor starts within
     *     {@value #EXECUTOR_TIMEOUT_S} s
     */
    public SparkExecutor(String master, int executors, int memoryMb) {
        this(master, executors, memoryMb, EXECUTOR_TIMEOUT_S);
    }

    /**
     * Seconds to wait for the first executor. One starts in seconds (a JVM on a worker); a cluster
     * whose workers cannot give one (fewer free cores, less memory than asked) would otherwise hold
     * the search forever without a word: Spark only logs that no resources were accepted.
     */
    public static final int EXECUTOR_TIMEOUT_S = 120;

    /** As above, waiting {@code executorTimeoutS} for the first executor (tests). */
    SparkExecutor(String master, int executors, int memoryMb, int executorTimeoutS) {
        if (executors < 1) {
            throw new IllegalArgumentException("executors must be positive, got " + executors);
        }
        this.executors = executors;
        String driverHost = loopback(master) ? "127.0.0.1" : null;
        SparkConf conf = new SparkConf().setMaster(master).setAppName("graft search")
                .set("spark.executor.cores", "1")
                .set("spark.task.cpus", "1")
                .set("spark.cores.max", String.valueOf(executors))
                .set("spark.executor.memory", memoryMb + "m")
                .set("spark.speculation", "false")
                .set("spark.task.maxFailures", "1")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.extraClassPath", absoluteClassPath())
                .set("spark.executor.extraJavaOptions", "-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1")
                .set("spark.executorEnv.MALLOC_ARENA_MAX", "1");
        if (driverHost != null) {
            conf.set("spark.driver.host", driverHost).set("spark.driver.bindAddress", driverHost);
        }
        this.spark = new JavaSparkContext(conf);
        spark.setLogLevel("ERROR");
        if (master.startsWith("spark://") && !registered(spark)) {
            // a port that accepts connections but is no Spark master: the context comes back after
            // Spark's registration gives up, and every trial would fail on it
            spark.stop();
            throw new dev.graft.GraftInputException("--executor " + master + ": no Spark master registered the "
                    + "application within 60 s (Spark tries 3 times, 20 s each); is it a Spark standalone master?");
        }
        // SIGTERM or Ctrl-C: Spark's own hook stops the context, and its threads, torn down under
        // running jobs, print stack traces to standard error. The search says in one line what
        // happened (SearchStoppedException, on the command line's own stream): standard error goes
        // quiet just before Spark's hook runs (a higher priority runs first)
        this.quietOnShutdown = org.apache.spark.util.ShutdownHookManager.addShutdownHook(
                org.apache.spark.util.ShutdownHookManager.SPARK_CONTEXT_SHUTDOWN_PRIORITY() + 1, () -> {
                    System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
                    return scala.runtime.BoxedUnit.UNIT;
                });
        try {
            awaitExecutor(master, memoryMb, executorTimeoutS);
            this.channel = new EpochChannel(spark.getConf().get("spark.driver.host"));
        } catch (IOException e) {
            spark.stop();
            org.apache.spark.util.ShutdownHookManager.removeShutdownHook(quietOnShutdown);
            throw new UncheckedIOException("cannot open the epoch channel", e);
        } catch (RuntimeException e) {
            spark.stop();
            org.apache.spark.util.ShutdownHookManager.removeShutdownHook(quietOnShutdown);
            throw e;
        }
    }

    /** Waits until an executor has registered; the status tracker lists the driver too. */
    private void awaitExecutor(String master, int memoryMb, int timeoutS) {
        long deadline = System.nanoTime() + timeoutS * 1_000_000_000L;
        while (spark.sc().statusTracker().getExecutorInfos().length < 2) {
            if (System.nanoTime() > deadline || spark.sc().isStopped()) {
                throw new dev.graft.GraftInputException("--executor " + master + ": no Spark executor started within "
                        + timeoutS + " s; an executor asks a worker for 1 free core and " + memoryMb + " MB (set "
                        + "-Dgraft.spark.executor.memory.mb=MB in GRAFT_JAVA_OPTS to ask for less)");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a Spark executor", e);
            }
        }
    }

    /**
     * Whether a standalone master took the application: the context's constructor returns either
     * way, and without a master's id Spark falls back to a made-up {@code spark-application-*} one.
     */
    private static boolean registered(JavaSparkContext spark) {
        return !spark.sc().isStopped() && !spark.sc().applicationId().startsWith("spark-application-");
    }

    /** This JVM's class path with every entry absolute: an executor runs in its own work folder. */
    static String absoluteClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(e -> java.nio.file.Path.of(e).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static boolean loopback(String master) {
        if (master.startsWith("local")) {
            return true;
        }
        String host = URI.create(master).getHost();
        return "127.0.0.1".equals(host) || "localhost".equals(host);
    }

    @Override
    public TrialResult execute(TrialRequest request, EpochCallback callback) {
        channel.open(request.id(), callback);
        List<String> out;
        try {
            // a job group per trial, so one trial's job can be told apart (and cancelled) by its id
            spark.setJobGroup(request.id(), "trial " + request.trial(), true);
            out = spark.parallelize(List.of(TrialCodec.encode(request)), 1)
                    .map(new TrialTask(channel.host(), channel.port())).collect();
        } catch (Exception e) {
            // the trial's own failures come back as a result: a failed job is a lost executor, an
            // unreachable driver channel or a task Spark could not run, all worth another attempt
            throw new TrialLostException("the Spark task was lost: " + firstLine(e.getMessage()));
        } finally {
            channel.close(request.id());
        }
        return TrialCodec.decode(out.get(0), TrialResult.class);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no reason given";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The application's id on the cluster (for tests and logs). */
    public String applicationId() {
        return spark.sc().applicationId();
    }

    @Override
    public int parallelism() {
        return executors;
    }

    @Override
    public void close() {
        channel.close();
        spark.stop();
        if (!org.apache.spark.util.ShutdownHookManager.inShutdown()) {
            org.apache.spark.util.ShutdownHookManager.removeShutdownHook(quietOnShutdown);
        }
    }
}
