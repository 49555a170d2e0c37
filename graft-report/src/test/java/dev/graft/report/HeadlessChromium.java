package dev.graft.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's Chromium driven headless over the DevTools protocol, with the JDK's own WebSocket
 * client: opens a page, collects what its console and log report as errors, evaluates
 * expressions and takes screenshots. Written here because the usual drivers (Puppeteer,
 * Selenium) would download a browser or a driver at run time, which CI must not do.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Path profile;
    private String session;

    /** The browser on this machine: $GRAFT_CHROMIUM, else chromium or chromium-browser on the PATH. */
    static Path find() {
        String env = System.getenv("GRAFT_CHROMIUM");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    HeadlessChromium(Path browser) throws Exception {
        profile = Files.createTempDirectory("graft-chromium");
        process = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank").redirectErrorStream(true).start();
        String ws = devToolsUrl();
        socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(ws), new Listener())
                .get(30, TimeUnit.SECONDS);
        JsonNode target = call("Target.createTarget", Map.of("url", "about:blank"));
        JsonNode attached = call("Target.attachToTarget",
                Map.of("targetId", target.get("targetId").asText(), "flatten", true));
        session = attached.get("sessionId").asText();
        call("Runtime.enable", Map.of());
        call("Log.enable", Map.of());
        call("Page.enable", Map.of());
        call("Network.enable", Map.of());
    }

    /** The browser prints its DevTools address on its error stream once it listens. */
    private String devToolsUrl() throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = r.readLine()) != null) {
            seen.add(line);
            int at = line.indexOf("ws://");
            if (line.contains("DevTools listening on") && at >= 0) {
                Thread drain = new Thread(() -> {
                    try {
                        while (r.readLine() != null) {
                            // keep the pipe from filling up
                        }
                    } catch (IOException ignored) {
                        // the browser exited
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return line.substring(at).trim();
            }
        }
        process.destroyForcibly();
        throw new IOException("Chromium did not start its DevTools server; it said: " + String.join(" | ", seen));
    }

    /** Loads {@code url} and waits for its load event. */
    void open(String url) throws Exception {
        int before = events.size();
        call("Page.navigate", Map.of("url", url));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (int i = before; i < events.size(); i++) {
                if ("Page.loadEventFired".equals(events.get(i).path("method").asText())) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the page did not load: " + url);
    }

    /** Sets the page's viewport, CSS pixels at device scale 1, as a window of that size would. */
    void viewport(int width, int height) throws Exception {
        call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
                "mobile", false));
    }

    /** The value of a JavaScript expression, returned by value. */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("evaluation failed: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** A PNG of the whole page, beyond the viewport. */
    byte[] screenshot() throws Exception {
        JsonNode r = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        return Base64.getDecoder().decode(r.get("data").asText());
    }

    /** Console errors, uncaught exceptions and error log entries (failed loads among them) so far. */
    List<String> errors() {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) {
            String method = e.path("method").asText();
            JsonNode p = e.path("params");
            if (method.equals("Runtime.consoleAPICalled") && List.of("error", "assert").contains(p.path("type").asText())) {
                out.add("console." + p.path("type").asText() + ": " + p.path("args"));
            } else if (method.equals("Runtime.exceptionThrown")) {
                out.add("exception: " + p.path("exceptionDetails"));
            } else if (method.equals("Log.entryAdded") && p.path("entry").path("level").asText().equals("error")) {
                out.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
            }
        }
        return out;
    }

    /** Every URL the page asked the network layer for. */
    List<String> requests() {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) {
            if (e.path("method").asText().equals("Network.requestWillBeSent")) {
                out.add(e.path("params").path("request").path("url").asText());
            }
        }
        return out;
    }

    private JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", JSON.valueToTree(params));
        if (session != null) {
            msg.put("sessionId", session);
        }
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
        JsonNode reply = f.get(60, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + ": " + reply.get("error"));
        }
        return reply.path("result");
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode n = JSON.readTree(partial.toString());
                    if (n.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(n.get("id").asInt());
                        if (f != null) {
                            f.complete(n);
                        }
                    } else {
                        events.add(n);
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser goes anyway
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        deleteQuietly(profile);
    }

    /** Best effort: the browser's helper processes may still be writing into the profile as it goes. */
    private static void deleteQuietly(Path dir) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                if (!Files.exists(dir)) {
                    return;
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // a file vanished under the walk; try again
            }
        }
    }
}
