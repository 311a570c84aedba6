import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Twelve Labs' multipart upload API and its chunk storage, for bench/assets/run.sh: sessions
 * with presigned URLs to itself, chunk PUTs digested (MD5 for the ETag, SHA-256 for the check) and dropped, reports,
 * status, and assets that are ready at once. Chaos, to show that Reelhook's upload survives it: every FAIL_EVERY-th
 * chunk PUT answers 500, and the first URL handed out for every EXPIRE_EVERY-th chunk is already expired (403).
 * PUT /sink reads a whole body and drops it: the same bytes sent straight, for comparison.
 * Usage: java MultipartStandIn.java PORT CHUNK_BYTES [FAIL_EVERY] [EXPIRE_EVERY]
 */
public class MultipartStandIn {

    record Session(long size, long chunk, int chunks, Map<Integer, String> sha256, Map<Integer, Integer> puts) {}

    static final Map<String, Session> SESSIONS = new ConcurrentHashMap<>();
    static final AtomicInteger PUTS = new AtomicInteger();
    static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    static final AtomicInteger MAX_IN_FLIGHT = new AtomicInteger();
    static final AtomicInteger FAILED = new AtomicInteger();
    static final AtomicInteger EXPIRED = new AtomicInteger();
    static final Map<String, Boolean> ISSUED = new ConcurrentHashMap<>();
    static int port;
    static long chunkBytes;
    static int failEvery;
    static int expireEvery;

    public static void main(String[] args) throws Exception {
        port = Integer.parseInt(args[0]);
        chunkBytes = Long.parseLong(args[1]);
        failEvery = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        expireEvery = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", MultipartStandIn::handle);
        server.start();
        System.out.println("multipart stand-in on " + port);
    }

    static void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String method = x.getRequestMethod();
        try {
            if (method.equals("PUT") && path.equals("/sink")) {
                // digested like a chunk, so that both sides cost the stand-in the same
                drain(x.getRequestBody(), digest("MD5"), digest("SHA-256"));
                answer(x, 200, "{}");
            } else if (method.equals("PUT") && path.startsWith("/storage/")) {
                put(x, path.split("/"));
            } else if (method.equals("POST") && path.equals("/v1.3/assets/multipart-uploads")) {
                create(x, new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            } else if (method.equals("POST") && path.endsWith("/presigned-urls")) {
                String id = path.split("/")[4];
                String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                int start = number(body, "start");
                int count = number(body, "count");
                Session s = SESSIONS.get(id);
                answer(x, 200, "{\"upload_id\":\"" + id + "\",\"upload_urls\":" + urls(id, s, start, count) + "}");
            } else if (method.equals("POST") && path.startsWith("/v1.3/assets/multipart-uploads/")) {
                x.getRequestBody().readAllBytes();
                answer(x, 200, "{\"processed_chunks\":0,\"duplicate_chunks\":0}");
            } else if (method.equals("GET") && path.startsWith("/v1.3/assets/multipart-uploads/")) {
                answer(
                        x,
                        200,
                        "{\"upload_id\":\"" + path.split("/")[4] + "\",\"status\":\"completed\","
                                + "\"uploaded_chunks\":[]}");
            } else if (method.equals("GET") && path.startsWith("/v1.3/assets/")) {
                answer(x, 200, "{\"_id\":\"" + path.split("/")[3] + "\",\"status\":\"ready\"}");
            } else if (method.equals("GET") && path.startsWith("/verify/")) {
                Session s = SESSIONS.get(path.split("/")[2]);
                StringBuilder out = new StringBuilder();
                new TreeMap<>(s.sha256())
                        .forEach((i, h) -> out.append(i)
                                .append(' ')
                                .append(h)
                                .append(' ')
                                .append(s.puts().get(i))
                                .append('\n'));
                out.append("max_in_flight ").append(MAX_IN_FLIGHT.get()).append('\n');
                out.append("failed ").append(FAILED.get()).append('\n');
                out.append("expired ").append(EXPIRED.get()).append('\n');
                answer(x, 200, out.toString());
            } else {
                answer(x, 404, "{\"code\":\"resource_not_exist\",\"message\":\"" + method + " " + path + "\"}");
            }
        } catch (RuntimeException e) {
            answer(x, 500, "{\"code\":\"internal\",\"message\":\"" + e + "\"}");
        }
    }

    static void create(HttpExchange x, String body) throws IOException {
        long size = Long.parseLong(body.replaceAll("(?s).*\"total_size\"\\s*:\\s*(\\d+).*", "$1"));
        int chunks = (int) ((size + chunkBytes - 1) / chunkBytes);
        String id = UUID.randomUUID().toString().replace("-", "");
        Session s = new Session(size, chunkBytes, chunks, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        SESSIONS.put(id, s);
        answer(
                x,
                201,
                "{\"upload_id\":\"" + id + "\",\"asset_id\":\"asset_" + id + "\",\"upload_urls\":"
                        + urls(id, s, 1, Math.min(chunks, 10)) + ",\"upload_headers\":{},\"chunk_size\":" + chunkBytes
                        + ",\"total_chunks\":" + chunks + ",\"expires_at\":\""
                        + Instant.now().plusSeconds(86400) + "\"}");
    }

    static String urls(String id, Session s, int start, int count) {
        StringBuilder out = new StringBuilder("[");
        for (int i = start; i < start + count && i <= s.chunks(); i++) {
            boolean expired = expireEvery > 0 && i % expireEvery == 0 && ISSUED.putIfAbsent(id + "/" + i, true) == null;
            // the URL itself is expired while its expires_at says an hour: what a clock skew or a revoked URL looks
            // like
            long valid = Instant.now().getEpochSecond() + 3600;
            long expires = expired ? valid - 7200 : valid;
            out.append(out.length() > 1 ? "," : "")
                    .append("{\"chunk_index\":")
                    .append(i)
                    .append(",\"url\":\"http://127.0.0.1:")
                    .append(port)
                    .append("/storage/")
                    .append(id)
                    .append('/')
                    .append(i)
                    .append("?expires=")
                    .append(expires)
                    .append("\",\"expires_at\":\"")
                    .append(Instant.ofEpochSecond(valid))
                    .append("\"}");
        }
        return out.append(']').toString();
    }

    static void put(HttpExchange x, String[] path) throws IOException {
        Session s = SESSIONS.get(path[2]);
        int index = Integer.parseInt(path[3]);
        long expires = Long.parseLong(x.getRequestURI().getQuery().replaceAll(".*expires=(-?\\d+).*", "$1"));
        if (expires < Instant.now().getEpochSecond()) {
            x.getRequestBody().readAllBytes();
            EXPIRED.incrementAndGet();
            answer(x, 403, "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>");
            return;
        }
        int in = IN_FLIGHT.incrementAndGet();
        MAX_IN_FLIGHT.accumulateAndGet(in, Math::max);
        try {
            MessageDigest md5 = digest("MD5");
            MessageDigest sha = digest("SHA-256");
            drain(x.getRequestBody(), md5, sha);
            if (failEvery > 0 && PUTS.incrementAndGet() % failEvery == 0) {
                FAILED.incrementAndGet();
                answer(x, 500, "<Error><Code>InternalError</Code></Error>");
                return;
            }
            s.sha256().put(index, HexFormat.of().formatHex(sha.digest()));
            s.puts().merge(index, 1, Integer::sum);
            x.getResponseHeaders().add("ETag", "\"" + HexFormat.of().formatHex(md5.digest()) + "\"");
            answer(x, 200, "");
        } finally {
            IN_FLIGHT.decrementAndGet();
        }
    }

    static void drain(InputStream in, MessageDigest a, MessageDigest b) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (in) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                a.update(buffer, 0, n);
                b.update(buffer, 0, n);
            }
        }
    }

    static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static int number(String body, String field) {
        return Integer.parseInt(body.replaceAll("(?s).*\"" + field + "\"\\s*:\\s*(\\d+).*", "$1"));
    }

    static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }
}
