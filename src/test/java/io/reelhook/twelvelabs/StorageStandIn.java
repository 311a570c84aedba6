package io.reelhook.twelvelabs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Twelve Labs' chunk storage for the tests: takes chunk PUTs at {@code /chunks/{index}?sig=...}, hashes their bodies
 * without keeping them, answers scripted errors, and counts how many PUTs it serves at once. It also answers the
 * {@code presigned-urls} calls that WireMock proxies to it, with URLs of a new {@code sig} each time.
 */
final class StorageStandIn implements AutoCloseable {

    /** One PUT as received. */
    record Put(int chunk, String sig, int status, long length, String sha256, String header, String contentType) {}

    /** One {@code presigned-urls} request. */
    record Renewal(int start, int count) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(16);
    private final List<Put> puts = Collections.synchronizedList(new ArrayList<>());
    private final List<Renewal> renewals = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, String> etags = new ConcurrentHashMap<>();
    private final Map<Integer, String> hashes = new ConcurrentHashMap<>();
    private final Map<Integer, Deque<Integer>> script = new ConcurrentHashMap<>();
    private final Map<Integer, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final Set<Integer> held = ConcurrentHashMap.newKeySet();
    private final AtomicInteger generation = new AtomicInteger();
    private boolean gate;
    private int concurrent;
    private int maxConcurrent;

    StorageStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/chunks/", this::put);
        server.createContext("/v1.3/assets/multipart-uploads/", this::presign);
        server.setExecutor(threads);
        server.start();
    }

    String base() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    String url(int chunk, String sig) {
        return base() + "/chunks/" + chunk + "?sig=" + sig;
    }

    /** Chunk {@code chunk}'s next PUTs are answered these statuses (-1: the connection is closed), then 200. */
    void answer(int chunk, Integer... statuses) {
        script.put(chunk, new ArrayDeque<>(List.of(statuses)));
    }

    /** The first PUT is answered only once a second one is in progress too (or after 10 s). */
    synchronized void gateFirstPut() {
        gate = true;
    }

    /** Chunk {@code chunk}'s PUT is answered only once {@link #release} is called (or after 60 s). */
    void hold(int chunk) {
        holds.put(chunk, new CountDownLatch(1));
    }

    void release(int chunk) {
        holds.get(chunk).countDown();
    }

    boolean holding(int chunk) {
        return held.contains(chunk);
    }

    List<Put> puts() {
        synchronized (puts) {
            return List.copyOf(puts);
        }
    }

    List<Put> puts(int chunk) {
        return puts().stream().filter(p -> p.chunk() == chunk).toList();
    }

    List<Renewal> renewals() {
        synchronized (renewals) {
            return List.copyOf(renewals);
        }
    }

    /** Chunk index to the SHA-256 of its accepted body. */
    Map<Integer, String> hashes() {
        return Map.copyOf(hashes);
    }

    /** Chunk index to the ETag its accepted body was answered with (quoted, as S3 sends it). */
    Map<Integer, String> etags() {
        return Map.copyOf(etags);
    }

    synchronized int maxConcurrent() {
        return maxConcurrent;
    }

    private void put(HttpExchange exchange) throws IOException {
        int chunk = Integer.parseInt(exchange.getRequestURI().getPath().substring("/chunks/".length()));
        String sig = exchange.getRequestURI().getQuery().replaceFirst("^sig=", "");
        enter();
        boolean left = false;
        try {
            MessageDigest digest = sha256();
            long length = 0;
            try (InputStream body = exchange.getRequestBody()) {
                byte[] piece = new byte[64 * 1024];
                for (int n = body.read(piece); n >= 0; n = body.read(piece)) {
                    digest.update(piece, 0, n);
                    length += n;
                }
            }
            String hash = HexFormat.of().formatHex(digest.digest());
            Deque<Integer> scripted = script.get(chunk);
            Integer next = scripted == null ? null : scripted.poll();
            int status = next == null ? 200 : next;
            CountDownLatch hold = holds.get(chunk);
            if (hold != null) {
                held.add(chunk);
                hold.await(60, TimeUnit.SECONDS);
            }
            // no longer in progress once answered: the client may send its next PUT as soon as it has the answer
            leave();
            left = true;
            puts.add(new Put(
                    chunk,
                    sig,
                    status,
                    length,
                    hash,
                    exchange.getRequestHeaders().getFirst("x-upload-test"),
                    exchange.getRequestHeaders().getFirst("Content-Type")));
            if (status < 0) {
                // a broken connection: no answer at all
                return;
            }
            if (status == 200) {
                String etag = "\"" + hash.substring(0, 32) + "\"";
                hashes.put(chunk, hash);
                etags.put(chunk, etag);
                exchange.getResponseHeaders().set("ETag", etag);
                exchange.sendResponseHeaders(200, -1);
            } else {
                byte[] error = ("<Error><Code>Scripted</Code><Message>" + status + "</Message></Error>")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/xml");
                exchange.sendResponseHeaders(status, error.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(error);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!left) {
                leave();
            }
            exchange.close();
        }
    }

    private synchronized void enter() throws IOException {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        notifyAll();
        if (gate) {
            gate = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            try {
                while (concurrent < 2 && System.nanoTime() < deadline) {
                    wait(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    private synchronized void leave() {
        concurrent--;
    }

    private void presign(HttpExchange exchange) throws IOException {
        JsonNode request;
        try (InputStream body = exchange.getRequestBody()) {
            request = JSON.readTree(body);
        }
        int start = request.path("start").asInt();
        int count = request.path("count").asInt();
        renewals.add(new Renewal(start, count));
        String sig = "r" + generation.incrementAndGet();
        String expires = Instant.now().plus(1, ChronoUnit.HOURS).toString();
        List<Map<String, Object>> urls = new ArrayList<>();
        for (int i = start; i < start + count; i++) {
            urls.add(Map.of("chunk_index", i, "url", url(i, sig), "expires_at", expires));
        }
        byte[] answer = JSON.writeValueAsBytes(Map.of(
                "upload_id", "renewed",
                "start_index", start,
                "count", count,
                "upload_urls", urls,
                "expires_at", expires));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        holds.values().forEach(CountDownLatch::countDown);
        server.stop(0);
        threads.shutdownNow();
    }
}
