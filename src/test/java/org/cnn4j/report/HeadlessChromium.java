package org.cnn4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Loads a page in Debian's headless Chromium and reports what a reader would see go wrong: console
 * errors, uncaught exceptions, browser log errors, and each image's load state. It speaks the Chrome
 * DevTools protocol over java.net.http's WebSocket (no extra dependency): the browser starts with
 * --remote-debugging-port=0 and writes its port to DevToolsActivePort in a fresh profile directory;
 * the test enables the Runtime, Log and Page domains, navigates, waits for the load event, then asks
 * the page for every image's complete flag and natural size.
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 60;

    /** What loading a page showed: error messages, and [complete, naturalWidth, naturalHeight] per image. */
    record PageCheck(List<String> errors, List<int[]> images) {
    }

    private HeadlessChromium() {
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    static PageCheck load(Path page) throws Exception {
        Path profile = Files.createTempDirectory("cnn4j-chromium");
        Process browser = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("browser.log").toFile()).start();
        try {
            return check(page, devToolsPort(profile, browser));
        } finally {
            browser.destroy();
            if (!browser.waitFor(10, TimeUnit.SECONDS)) {
                browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static int devToolsPort(Path profile, Process browser) throws Exception {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            if (!browser.isAlive()) {
                throw new IOException("chromium exited with " + browser.exitValue() + ": " + Files.readString(profile.resolve("browser.log")));
            }
            Thread.sleep(100);
        }
        throw new IOException("chromium wrote no DevToolsActivePort within " + TIMEOUT_SECONDS + " s");
    }

    private static PageCheck check(Path page, int port) throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = json.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String socketUrl = null;
        for (JsonNode t : targets) {
            if (t.path("type").asText().equals("page")) {
                socketUrl = t.path("webSocketDebuggerUrl").asText();
            }
        }
        if (socketUrl == null) {
            throw new IOException("chromium lists no page target: " + targets);
        }
        BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(socketUrl), new Collector(json, messages))
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<String> errors = new ArrayList<>();
        try {
            int id = 0;
            for (String domain : new String[] {"Runtime.enable", "Log.enable", "Page.enable"}) {
                await(messages, send(socket, json, ++id, domain, null), null, errors);
            }
            ObjectNode navigate = json.createObjectNode().put("url", page.toUri().toString());
            await(messages, send(socket, json, ++id, "Page.navigate", navigate), null, errors);
            await(messages, -1, "Page.loadEventFired", errors);
            ObjectNode evaluate = json.createObjectNode().put("returnByValue", true).put("expression",
                    "JSON.stringify(Array.from(document.images).map(i => [i.complete ? 1 : 0, i.naturalWidth, i.naturalHeight]))");
            JsonNode result = await(messages, send(socket, json, ++id, "Runtime.evaluate", evaluate), null, errors);
            List<int[]> images = new ArrayList<>();
            for (JsonNode i : json.readTree(result.path("result").path("result").path("value").asText())) {
                images.add(new int[] {i.get(0).asInt(), i.get(1).asInt(), i.get(2).asInt()});
            }
            return new PageCheck(errors, images);
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    private static int send(WebSocket socket, ObjectMapper json, int id, String method, ObjectNode params) throws Exception {
        ObjectNode msg = json.createObjectNode().put("id", id).put("method", method);
        if (params != null) {
            msg.set("params", params);
        }
        socket.sendText(json.writeValueAsString(msg), true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return id;
    }

    /** Reads messages until the reply to {@code id} (or the event {@code event}), noting every error event on the way. */
    private static JsonNode await(BlockingQueue<JsonNode> messages, int id, String event, List<String> errors) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            JsonNode m = messages.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new IOException("chromium: no " + (event != null ? event : "reply to request " + id) + " within " + TIMEOUT_SECONDS + " s");
            }
            String method = m.path("method").asText();
            JsonNode p = m.path("params");
            switch (method) {
                case "Runtime.consoleAPICalled" -> {
                    if (p.path("type").asText().equals("error") || p.path("type").asText().equals("assert")) {
                        errors.add("console." + p.path("type").asText() + ": " + p.path("args"));
                    }
                }
                case "Runtime.exceptionThrown" -> errors.add("exception: " + p.path("exceptionDetails"));
                case "Log.entryAdded" -> {
                    if (p.path("entry").path("level").asText().equals("error")) {
                        errors.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
                    }
                }
                default -> {
                }
            }
            if (m.has("error")) {
                throw new IOException("chromium: request " + m.path("id") + " failed: " + m.path("error"));
            }
            if ((event != null && event.equals(method)) || (event == null && m.path("id").asInt(-1) == id)) {
                return m;
            }
        }
    }

    /** Joins WebSocket fragments into whole JSON messages. */
    private static final class Collector implements WebSocket.Listener {
        private final ObjectMapper json;
        private final BlockingQueue<JsonNode> messages;
        private final StringBuilder partial = new StringBuilder();

        Collector(ObjectMapper json, BlockingQueue<JsonNode> messages) {
            this.json = json;
            this.messages = messages;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(json.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new IllegalStateException("chromium sent a message that is not JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }
}
