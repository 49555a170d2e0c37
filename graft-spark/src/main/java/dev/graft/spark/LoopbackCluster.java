package dev.graft.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on 127.0.0.1: a master and N workers of one core each, every one its
 * own JVM started from this JVM's class path (the Maven jars; no Spark distribution). A worker
 * launches executor JVMs through Spark's command builder, which wants a {@code SPARK_HOME} with a
 * {@code jars/} folder: this makes one, of links to the class path's jars, in a temporary folder.
 * For tests and benchmarks; {@link #close} stops every JVM it started and removes its folder.
 */
public final class LoopbackCluster implements AutoCloseable {
    private final Path home;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final String url;

    /**
     * Starts the master and {@code workers} workers and waits until every worker has registered.
     *
     * @param memoryMb memory each worker offers its executor
     * @throws IllegalStateException if the cluster does not come up within a minute
     */
    public LoopbackCluster(int workers, int memoryMb) throws IOException, InterruptedException {
        home = Files.createTempDirectory("graft-spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p) && !Files.exists(jars.resolve(p.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(p.getFileName()), p.toAbsolutePath());
            }
        }
        int port = freePort();
        url = "spark://127.0.0.1:" + port;
        master = start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--webui-port", String.valueOf(freePort()));
        try {
            waitFor(master, "master", "Starting Spark master");
            for (int i = 0; i < workers; i++) {
                Path work = Files.createDirectories(home.resolve("work-" + i));
                this.workers.add(start("worker-" + i, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--cores", "1", "--memory", memoryMb + "m", "--webui-port", String.valueOf(freePort()),
                        "--work-dir", work.toString(), url));
            }
            for (int i = 0; i < workers; i++) {
                waitFor(this.workers.get(i), "worker-" + i, "Successfully registered with master");
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // nothing started may outlive a cluster that did not come up
            stop();
            throw e;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process start(String name, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                // readiness is read from the logs: Spark's log4j, even when slf4j-nop is on the class path too
                "-Dslf4j.provider=org.apache.logging.slf4j.SLF4JServiceProvider"));
        cmd.addAll(List.of(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptionArray()));
        cmd.addAll(List.of("-cp", SparkExecutor.absoluteClassPath(), main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    /** Waits for {@code line} in a JVM's log. */
    private void waitFor(Process p, String name, String line) throws IOException, InterruptedException {
        Path log = home.resolve(name + ".log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the Spark " + name + " exited (code " + p.exitValue() + "); see " + log);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the Spark " + name + " did not start within a minute; see " + log);
    }

    /** The master's URL, {@code spark://127.0.0.1:PORT}. */
    public String url() {
        return url;
    }

    /** The process ids of the executor JVMs the workers run now. */
    public List<Long> executorPids() {
        List<Long> pids = new ArrayList<>();
        for (Process w : workers) {
            w.toHandle().children().filter(ProcessHandle::isAlive).forEach(h -> pids.add(h.pid()));
        }
        return pids;
    }

    /** The folder of the generated SPARK_HOME, with each JVM's log. */
    public Path home() {
        return home;
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stop() {
        List<Process> all = new ArrayList<>(workers);
        all.add(master);
        for (Process p : all) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : all) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
