import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fan-out of EVENTS signed Twelve Labs webhooks to SUBS subscriptions on a local receiver, the last one dead when
 * DEAD is "refused" (nothing listens: connections are refused at once) or "silent" (connections are accepted and never
 * answered: each attempt waits for the timeout). Measures deliveries/s to the live subscriptions, from the first
 * webhook posted to the last delivery, and commit -> delivery latency (from the event's received_at to its arrival),
 * over all live subscriptions and per subscription. Prints one line; QUIET=1 prints nothing (a warm-up).
 * Usage: java -cp 'target/quarkus-app/lib/main/*' SubsBench.java BASE_URL ADMIN_KEY WEBHOOK_SECRET EVENTS SUBS none|refused|silent
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
        String dead = args[5];
        boolean quiet = "1".equals(System.getenv("QUIET"));
        String index = "idx_bench_" + UUID.randomUUID();

        Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        // the receiver on Vert.x (the app's own jars): cheap per request, so that the two cores go to the app
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpServer receiver = vertx.createHttpServer(new HttpServerOptions().setAcceptBacklog(1024));
        receiver.requestHandler(request -> request.body().onSuccess(buffer -> {
            String body = buffer.toString(StandardCharsets.UTF_8);
            long now = System.currentTimeMillis();
            Matcher at = RECEIVED_AT.matcher(body);
            Matcher id = EVENT_ID.matcher(body);
            String path = request.path();
            if (at.find() && id.find() && seen.add(path + id.group(1))) {
                latencies
                        .computeIfAbsent(path, p -> Collections.synchronizedList(new ArrayList<>()))
                        .add(now - Instant.parse(at.group(1)).toEpochMilli());
            }
            request.response().setStatusCode(204).end();
        }));
        int port = receiver.listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .join()
                .actualPort();
        String deadUrl = dead.equals("silent") ? silentEndpoint() : "http://127.0.0.1:9/dead";

        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<String> ids = new ArrayList<>();
        int live = dead.equals("none") ? subs : subs - 1;
        for (int i = 0; i < subs; i++) {
            String url = i < live ? "http://127.0.0.1:" + port + "/s" + i : deadUrl;
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
        double ingest = (System.nanoTime() - start) / 1e9;
        posters.shutdown();
        long expected = (long) events * live;
        long deadline = System.nanoTime() + 900_000_000_000L;
        while (count(latencies) < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> all = new ArrayList<>();
        long lowP50 = Long.MAX_VALUE;
        long highP50 = 0;
        for (List<Long> one : latencies.values()) {
            List<Long> sorted;
            synchronized (one) {
                sorted = new ArrayList<>(one);
            }
            Collections.sort(sorted);
            all.addAll(sorted);
            lowP50 = Math.min(lowP50, pct(sorted, 0.50));
            highP50 = Math.max(highP50, pct(sorted, 0.50));
        }
        Collections.sort(all);
        if (!quiet) {
            System.out.printf(
                    "subscriptions %d (dead: %s), events %d (posted in %.1f s): %d of %d deliveries to the %d live"
                            + " ones in %.1f s = %.0f deliveries/s; commit->delivery p50 %d ms, p99 %d ms, max %d ms;"
                            + " p50 per live subscription %d..%d ms%n",
                    subs,
                    dead,
                    events,
                    ingest,
                    all.size(),
                    expected,
                    live,
                    seconds,
                    all.size() / seconds,
                    pct(all, 0.50),
                    pct(all, 0.99),
                    all.isEmpty() ? -1 : all.get(all.size() - 1),
                    lowP50,
                    highP50);
        }
        for (String id : ids) {
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/subscriptions/" + id))
                            .header("x-api-key", adminKey)
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        // the HTTP client's and the silent endpoint's threads would keep the JVM alive
        System.exit(count(latencies) < expected ? 1 : 0);
    }

    /** An endpoint that takes connections and never answers (nor reads): each attempt ends at the timeout. */
    private static String silentEndpoint() throws Exception {
        ServerSocket silent = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        List<Socket> held = Collections.synchronizedList(new ArrayList<>());
        Thread accepting = new Thread(() -> {
            try {
                while (true) {
                    held.add(silent.accept());
                }
            } catch (Exception stopped) {
                // the JVM ends
            }
        });
        accepting.setDaemon(true);
        accepting.start();
        return "http://127.0.0.1:" + silent.getLocalPort() + "/silent";
    }

    private static long count(Map<String, List<Long>> latencies) {
        return latencies.values().stream().mapToLong(List::size).sum();
    }

    private static long pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p)));
    }
}
