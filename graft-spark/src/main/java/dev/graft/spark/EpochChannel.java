package dev.graft.spark;

import dev.graft.search.TrialCodec;
import dev.graft.search.TrialExecutor;
import dev.graft.search.TrialMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The driver's side channel for epoch values: a running Spark task connects, sends one
 * {@link TrialMessage.Epoch} line per epoch ({@link TrialCodec}) and, when its request waits,
 * reads a {@link TrialMessage.Decision} back before training on. Spark itself carries values to the
 * driver only when a task ends (an accumulator's updates arrive with the result; heartbeats come
 * every ten seconds and carry no answer back), so pruning needs this: one TCP connection per task
 * attempt, to a port the driver opens. Thread-safe.
 */
final class EpochChannel implements AutoCloseable {
    private final ServerSocket server;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    /** Where a trial's epochs go, and how many of them it has heard (over all task attempts). */
    private static final class Route {
        final TrialExecutor.EpochCallback callback;
        int heard;

        Route(TrialExecutor.EpochCallback callback) {
            this.callback = callback;
        }
    }
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "graft-epoch-channel");
        t.setDaemon(true);
        return t;
    });

    /** Listens on {@code host} (the driver's address as executors reach it), on a free port. */
    EpochChannel(String host) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
        connections.submit(this::accept);
    }

    String host() {
        return server.getInetAddress().getHostAddress();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Routes the epochs of request {@code id} to {@code callback} until {@link #close(String)}. */
    void open(String id, TrialExecutor.EpochCallback callback) {
        routes.put(id, new Route(callback));
    }

    void close(String id) {
        routes.remove(id);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.submit(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8),
                        true)) {
            String line;
            int seen = 0; // this connection is one task attempt
            while ((line = in.readLine()) != null) {
                TrialMessage.Epoch e = TrialCodec.decode(line, TrialMessage.Epoch.class);
                Route route = routes.get(e.id());
                boolean go;
                if (route == null) {
                    go = false; // a trial the driver no longer waits for (it ended or was given up)
                } else {
                    synchronized (route) {
                        // a task Spark ran again repeats the epochs an earlier attempt told
                        if (++seen <= route.heard) {
                            go = true;
                        } else {
                            route.heard++;
                            go = route.callback.onEpoch(e.epoch(), e.value());
                        }
                    }
                }
                out.println(TrialCodec.encode(new TrialMessage.Decision(go)));
            }
        } catch (IOException | RuntimeException e) {
            // the task's executor died or the task ended: nothing to answer
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        connections.shutdownNow();
    }
}
