import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives unique, signed Twelve Labs webhooks at Reelhook over keep-alive HTTP/1.1 connections, one request in
 * flight per connection, and writes the notification id of every 200 to a file for the "nothing acknowledged is
 * missing" check. Run with: java LoadGen.java URL SECRET CONNECTIONS SECONDS RUN_ID ACKED_FILE
 */
public class LoadGen {

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        String secret = args[1];
        int connections = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        String run = args[4];
        Path acked = Path.of(args[5]);

        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong failures = new AtomicLong();
        List<Worker> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            Worker worker = new Worker(uri, secret, run + "_" + i, deadline, failures);
            workers.add(worker);
            worker.start();
        }
        for (Worker worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;

        long ok = workers.stream().mapToLong(w -> w.count).sum();
        long[] all = new long[(int) ok];
        int at = 0;
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(acked))) {
            for (Worker w : workers) {
                System.arraycopy(w.latencies, 0, all, at, w.count);
                at += w.count;
                w.acked.forEach(out::println);
            }
        }
        Arrays.sort(all);
        System.out.printf("acknowledged=%d failures=%d seconds=%.1f webhooks_per_s=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f%n",
                ok, failures.get(), elapsed, ok / elapsed, pct(all, 0.50), pct(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }

    static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    static final class Worker extends Thread {
        final URI uri;
        final String prefix;
        final long deadline;
        final AtomicLong failures;
        final Mac mac;
        long[] latencies = new long[1 << 16];
        int count;
        final List<String> acked = new ArrayList<>();

        Worker(URI uri, String secret, String prefix, long deadline, AtomicLong failures) throws Exception {
            this.uri = uri;
            this.prefix = prefix;
            this.deadline = deadline;
            this.failures = failures;
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        }

        @Override
        public void run() {
            long n = 0;
            while (System.nanoTime() < deadline) {
                try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
                    while (System.nanoTime() < deadline) {
                        long k = n++;
                        String id = "whe_bench_" + prefix + "_" + k;
                        byte[] body = ("{\"id\":\"" + id + "\",\"created_at\":\"2026-01-02T03:04:05Z\",\"type\":\"index.task.ready\","
                                + "\"data\":{\"id\":\"task_bench_" + prefix + "_" + k + "\",\"metadata\":{\"duration\":30.5},"
                                + "\"status\":\"ready\",\"models\":[{\"name\":\"marengo2.7\",\"options\":[\"visual\",\"audio\"]}],"
                                + "\"tags\":[]}}").getBytes(StandardCharsets.UTF_8);
                        long t = System.currentTimeMillis() / 1000;
                        mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
                        String signature = HexFormat.of().formatHex(mac.doFinal(body));
                        byte[] head = ("POST " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\n"
                                + "Content-Type: application/json\r\nTL-Signature: t=" + t + ",v1=" + signature + "\r\n"
                                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                        long sent = System.nanoTime();
                        out.write(concat(head, body));
                        out.flush();
                        int status = readResponse(in);
                        long latency = System.nanoTime() - sent;
                        if (status == 200) {
                            if (count == latencies.length) {
                                latencies = Arrays.copyOf(latencies, count * 2);
                            }
                            latencies[count++] = latency;
                            acked.add(id);
                        } else {
                            failures.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    failures.incrementAndGet();
                }
            }
        }

        static byte[] concat(byte[] a, byte[] b) {
            byte[] out = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }

        /** Reads one response; returns its status code. */
        static int readResponse(InputStream in) throws IOException {
            String statusLine = line(in);
            int length = 0;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            in.readNBytes(length);
            return Integer.parseInt(statusLine.substring(9, 12));
        }

        static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }
}
