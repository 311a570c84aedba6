import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fan-out of EVENTS signed Twelve Labs webhooks to SUBS subscriptions on a local receiver (the last one dead when
 * DEAD=1): deliveries/s and commit -> delivery latency (from the event's received_at to its arrival).
 * Usage: java SubsBench.java BASE_URL ADMIN_KEY WEBHOOK_SECRET EVENTS SUBS DEAD
 */
public class SubsBench {

    private static final Pattern RECEIVED_AT = Pattern.compile("\"received_at\":\"([^\"]+)\"");
    private static final Pattern EVENT_ID = Pattern.compile("\"event_id\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String adminKey = args[1];
        String secret = args[2];
        int events = Integer.parseInt(args[3]);
        int subs = Integer.parseInt(args[4]);
        boolean dead = args[5].equals("1");
        String index = "idx_bench_" + UUID.randomUUID();

        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        Set<String> seen = ConcurrentHashMap.newKeySet();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        receiver.setExecutor(Executors.newFixedThreadPool(16));
        receiver.createContext("/", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            long now = System.currentTimeMillis();
            Matcher at = RECEIVED_AT.matcher(body);
            Matcher id = EVENT_ID.matcher(body);
            if (at.find() && id.find() && seen.add(x.getRequestURI().getPath() + id.group(1))) {
                latencies.add(now - Instant.parse(at.group(1)).toEpochMilli());
            }
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        receiver.start();
        int port = receiver.getAddress().getPort();

        HttpClient http = HttpClient.newHttpClient();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < subs; i++) {
            // a dead endpoint: nothing listens on port 9 (discard) here
            String url = dead && i == subs - 1 ? "http://127.0.0.1:9/dead" : "http://127.0.0.1:" + port + "/s" + i;
            String json =
                    "{\"url\":\"" + url + "\",\"event_types\":[\"index.task.*\"],\"index_ids\":[\"" + index + "\"]}";
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/subscriptions"))
                            .header("x-api-key", adminKey)
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("create: " + created.statusCode() + " " + created.body());
            }
            Matcher m = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(created.body());
            m.find();
            ids.add(m.group(1));
        }

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        ExecutorService posters = Executors.newFixedThreadPool(16);
        long start = System.nanoTime();
        List<Future<Integer>> posted = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            String body =
                    "{\"id\":\"whe_" + UUID.randomUUID() + "\",\"type\":\"index.task.ready\",\"data\":{\"id\":\"task_"
                            + UUID.randomUUID() + "\",\"index_id\":\"" + index + "\",\"status\":\"ready\"}}";
            posted.add(posters.submit(() -> {
                long t = Instant.now().getEpochSecond();
                String sig;
                synchronized (mac) {
                    sig = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
                }
                return http.send(
                                HttpRequest.newBuilder(URI.create(base + "/webhooks/twelvelabs"))
                                        .header("content-type", "application/json")
                                        .header("TL-Signature", "t=" + t + ",v1=" + sig)
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            }));
        }
        for (Future<Integer> f : posted) {
            if (f.get() != 200) {
                throw new IllegalStateException("webhook answered " + f.get());
            }
        }
        posters.shutdown();
        int expected = events * (dead ? subs - 1 : subs);
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (latencies.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(
                "subscriptions %d (dead %s), events %d: %d of %d deliveries in %.1f s = %.0f deliveries/s;"
                        + " commit->delivery p50 %d ms, p99 %d ms%n",
                subs,
                dead,
                events,
                sorted.size(),
                expected,
                seconds,
                sorted.size() / seconds,
                pct(sorted, 0.50),
                pct(sorted, 0.99));
        for (String id : ids) {
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/subscriptions/" + id))
                            .header("x-api-key", adminKey)
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        receiver.stop(0);
    }

    private static long pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p)));
    }
}
