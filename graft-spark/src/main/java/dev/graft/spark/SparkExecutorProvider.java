package dev.graft.spark;

import dev.graft.search.ExecutorProvider;
import dev.graft.search.TrialExecutor;

/**
 * {@code --executor spark://HOST:PORT} (a standalone master) and {@code local-cluster[N,1,MB]}:
 * {@code --workers} executors of one core; each executor's heap is the system property
 * {@code graft.spark.executor.memory.mb}, or 2048 MB (at most
 * the memory a {@code local-cluster} worker offers). PyTorch runs one thread per executor, as it has one core.
 */
public final class SparkExecutorProvider implements ExecutorProvider {
    @Override
    public boolean accepts(String url) {
        return url.startsWith("spark://") || url.startsWith("local-cluster[");
    }

    private static final java.util.regex.Pattern MASTER =
            java.util.regex.Pattern.compile("spark://([A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\]):([0-9]{1,5})");
    private static final java.util.regex.Pattern LOCAL_CLUSTER =
            java.util.regex.Pattern.compile("local-cluster\\[\\s*([0-9]{1,6})\\s*,\\s*([0-9]{1,4})\\s*,\\s*([0-9]{1,9})\\s*\\]");

    /**
     * Seconds to wait for a Spark master to accept a connection. A master on a working network
     * answers in milliseconds; a host that drops packets would otherwise hold the user for the
     * system's TCP timeout (minutes) before Spark's own registration, 3 tries of 20 s, gives up.
     */
    public static final int CONNECT_TIMEOUT_S = 10;

    /**
     * A master's URL {@code spark://HOST:PORT} whose port accepts a connection within
     * {@value #CONNECT_TIMEOUT_S} s, or {@code local-cluster[N,CORES,MB]} with each at least 1.
     */
    @Override
    public void check(String url) {
        java.util.regex.Matcher m = MASTER.matcher(url);
        if (url.startsWith("spark://")) {
            int port = m.matches() ? Integer.parseInt(m.group(2)) : 0;
            if (port < 1 || port > 65_535) {
                throw new dev.graft.GraftInputException("--executor " + url + ": a Spark master is spark://HOST:PORT,"
                        + " with a port from 1 to 65535");
            }
            String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
            reachable(url, host, port);
            return;
        }
        java.util.regex.Matcher c = LOCAL_CLUSTER.matcher(url);
        if (!c.matches() || Integer.parseInt(c.group(1)) < 1 || Integer.parseInt(c.group(2)) < 1
                || Integer.parseInt(c.group(3)) < 1) {
            // zero workers would wait for an executor forever
            throw new dev.graft.GraftInputException("--executor " + url + ": write local-cluster[N,CORES,MB] with N "
                    + "workers, CORES cores and MB megabytes each, every one at least 1");
        }
    }

    /** Connects to the master's port once, so an unreachable master is one line before the search starts. */
    private static void reachable(String url, String host, int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(host, port), CONNECT_TIMEOUT_S * 1000);
        } catch (java.net.UnknownHostException e) {
            throw new dev.graft.GraftInputException("--executor " + url + ": unknown host " + host);
        } catch (java.net.SocketTimeoutException e) {
            throw new dev.graft.GraftInputException("--executor " + url + ": no Spark master answered within "
                    + CONNECT_TIMEOUT_S + " s");
        } catch (java.io.IOException e) {
            // connection refused, no route to host: nothing listens there
            throw new dev.graft.GraftInputException("--executor " + url + ": no Spark master answered within "
                    + CONNECT_TIMEOUT_S + " s (" + (e.getMessage() == null ? e.getClass().getSimpleName()
                            : e.getMessage().toLowerCase(java.util.Locale.ROOT)) + "); is the master running?");
        }
    }

    @Override
    public TrialExecutor create(String url, int workers, int threads) {
        int memory = Integer.getInteger("graft.spark.executor.memory.mb", 2048);
        if (url.startsWith("local-cluster[")) {
            // local-cluster[N,CORES,MB]: an executor may not ask for more than its worker offers
            String[] parts = url.substring("local-cluster[".length(), url.length() - 1).split(",");
            memory = Math.min(memory, Integer.parseInt(parts[2].trim()));
        }
        return new SparkExecutor(url, workers, memory);
    }
}
