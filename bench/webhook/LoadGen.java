import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Drives unique, signed Twelve Labs webhooks at Reelhook over keep-alive HTTP/1.1 connections, one request in
 * flight per connection, and writes the notification id of every 200 to a file for the "nothing acknowledged is
 * missing" check. A warm-up and the timed run share this JVM, so that neither side measures a cold JIT. The warm-up
 * lasts at least WARMUP_SECONDS and then goes on in 10 s slices until the first watched process (the app) spent
 * under 5% of a core in its JIT compiler threads during a slice, or until MAX_WARMUP (env, seconds, default 300):
 * on two cores, C2 keeps compiling the app, its embedded Kafka and the JDBC driver for minutes, and while it does
 * it takes a third of the app's CPU.
 * For the timed run it also reports the CPU time that each process given as NAME=PID spent (with its children: the
 * PostgreSQL backends are the postmaster's), per acknowledged webhook, its own, and the app's JIT part.
 * Run with: java LoadGen.java URL SECRET CONNECTIONS WARMUP_SECONDS SECONDS RUN_ID ACKED_FILE [NAME=PID...]
 */
public class LoadGen {

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        String secret = args[1];
        int connections = Integer.parseInt(args[2]);
        long warmup = Long.parseLong(args[3]);
        long seconds = Long.parseLong(args[4]);
        String run = args[5];
        Path acked = Path.of(args[6]);
        Map<String, Long> watched = new LinkedHashMap<>();
        for (String named : Arrays.copyOfRange(args, 7, args.length)) {
            watched.put(
                    named.substring(0, named.indexOf('=')), Long.parseLong(named.substring(named.indexOf('=') + 1)));
        }

        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(acked))) {
            long app = watched.values().stream().findFirst().orElse(0L);
            warmUp(uri, secret, connections, warmup, run, out, app);
            Map<String, Long> before = cpu(watched);
            long self = selfCpu();
            long jit = jitTicks(app);
            Phase timed = phase(uri, secret, connections, seconds, run, out);
            Map<String, Long> after = cpu(watched);
            jit = jitTicks(app) - jit;
            long ok = timed.latencies.length;
            System.out.printf(
                    "acknowledged=%d failures=%d seconds=%.1f webhooks_per_s=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f%n",
                    ok,
                    timed.failures,
                    timed.elapsed,
                    ok / timed.elapsed,
                    pct(timed.latencies, 0.50),
                    pct(timed.latencies, 0.99),
                    ok == 0 ? 0 : timed.latencies[(int) ok - 1] / 1e6);
            StringBuilder split = new StringBuilder("cpu_us_per_webhook:");
            watched.keySet()
                    .forEach(name -> split.append(String.format(
                            " %s=%.0f", name, (after.get(name) - before.get(name)) * 1e4 / Math.max(1, ok))));
            split.append(String.format(" loadgen=%.0f", (selfCpu() - self) / 1e3 / Math.max(1, ok)));
            split.append(String.format(" (of the app's: jit=%.0f)", jit * 1e4 / Math.max(1, ok)));
            System.out.println(split);
        }
    }

    static final long SLICE_SECONDS = 10;

    static void warmUp(URI uri, String secret, int connections, long minimum, String run, PrintWriter out, long app)
            throws Exception {
        long maximum = Long.parseLong(System.getenv().getOrDefault("MAX_WARMUP", "300"));
        phase(uri, secret, connections, minimum, "warm" + run, out);
        long elapsed = minimum;
        long jit = -1;
        for (int slice = 1; elapsed < maximum; slice++) {
            long before = jitTicks(app);
            phase(uri, secret, connections, SLICE_SECONDS, "warm" + slice + run, out);
            elapsed += SLICE_SECONDS;
            jit = jitTicks(app) - before;
            if (jit < SLICE_SECONDS * 100 / 20) { // ticks are 10 ms: under 5% of one core
                break;
            }
        }
        System.out.println("warm-up: " + elapsed + " s; "
                + (jit < 0
                        ? "the JIT was not checked (MAX_WARMUP)"
                        : "app JIT in its last " + SLICE_SECONDS + " s: " + jit / SLICE_SECONDS + "% of a core"));
    }

    /** Clock ticks that the JIT compiler threads of {@code pid} have used. */
    static long jitTicks(long pid) throws IOException {
        long ticks = 0;
        try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path thread : threads.toList()) {
                Stat stat = Stat.read(thread);
                if (stat != null
                        && (stat.name.startsWith("C1 CompilerThre") || stat.name.startsWith("C2 CompilerThre"))) {
                    ticks += stat.field(11) + stat.field(12);
                }
            }
        }
        return ticks;
    }

    /** A process's or thread's /proc stat line: its name, and the fields after it (f[1] is the parent's pid). */
    record Stat(String name, String[] f) {
        /** null once the process or thread has ended */
        static Stat read(Path proc) {
            try {
                String stat = Files.readString(proc.resolve("stat"));
                return new Stat(
                        stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
                        stat.substring(stat.lastIndexOf(')') + 2).split(" "));
            } catch (IOException | RuntimeException gone) {
                return null;
            }
        }

        long field(int index) {
            return Long.parseLong(f[index]);
        }
    }

    record Phase(long[] latencies, long failures, double elapsed) {}

    /** Every worker sends webhooks until the deadline; returns the sorted latencies of the 200s. */
    static Phase phase(URI uri, String secret, int connections, long seconds, String run, PrintWriter acked)
            throws Exception {
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
        long[] all = new long[workers.stream().mapToInt(w -> w.count).sum()];
        int at = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latencies, 0, all, at, w.count);
            at += w.count;
            w.acked.forEach(acked::println);
        }
        Arrays.sort(all);
        return new Phase(all, failures.get(), elapsed);
    }

    static double pct(long[] sorted, double p) {
        return sorted.length == 0
                ? 0
                : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    static long selfCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Clock ticks (USER_HZ: 100 a second on Linux) of CPU per name: the process, its live children, and the children it already reaped. */
    static Map<String, Long> cpu(Map<String, Long> watched) throws IOException {
        Map<Long, long[]> stats = new LinkedHashMap<>(); // pid -> {ppid, utime + stime, cutime + cstime}
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(
                            p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .toList()) {
                Stat stat = Stat.read(proc);
                if (stat != null) {
                    stats.put(Long.parseLong(proc.getFileName().toString()), new long[] {
                        stat.field(1), stat.field(11) + stat.field(12), stat.field(13) + stat.field(14)
                    });
                }
            }
        }
        Map<String, Long> ticks = new LinkedHashMap<>();
        watched.forEach((name, pid) -> {
            long[] own = stats.getOrDefault(pid, new long[3]);
            long sum = own[1] + own[2];
            for (long[] s : stats.values()) {
                if (s[0] == pid) {
                    sum += s[1];
                }
            }
            ticks.put(name, sum);
        });
        return ticks;
    }

    static final class Worker extends Thread {
        final URI uri;
        final String prefix;
        final long deadline;
        final AtomicLong failures;
        final Mac mac;
        final byte[] buffer = new byte[8192];
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
                    InputStream in = socket.getInputStream();
                    while (System.nanoTime() < deadline) {
                        long k = n++;
                        String id = "whe_bench_" + prefix + "_" + k;
                        byte[] body = ("{\"id\":\"" + id
                                        + "\",\"created_at\":\"2026-01-02T03:04:05Z\",\"type\":\"index.task.ready\","
                                        + "\"data\":{\"id\":\"task_bench_" + prefix + "_" + k
                                        + "\",\"metadata\":{\"duration\":30.5},"
                                        + "\"status\":\"ready\",\"models\":[{\"name\":\"marengo2.7\",\"options\":[\"visual\",\"audio\"]}],"
                                        + "\"tags\":[]}}")
                                .getBytes(StandardCharsets.UTF_8);
                        long t = System.currentTimeMillis() / 1000;
                        mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
                        String signature = HexFormat.of().formatHex(mac.doFinal(body));
                        byte[] head = ("POST " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\n"
                                        + "Content-Type: application/json\r\nTL-Signature: t=" + t + ",v1=" + signature
                                        + "\r\n"
                                        + "Content-Length: " + body.length + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII);
                        byte[] request = Arrays.copyOf(head, head.length + body.length);
                        System.arraycopy(body, 0, request, head.length, body.length);
                        long sent = System.nanoTime();
                        out.write(request);
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

        /** Reads one response (headers and a Content-Length body, in one buffer); returns its status code. */
        int readResponse(InputStream in) throws IOException {
            int filled = 0;
            int headEnd = -1;
            while (headEnd < 0) {
                int read = in.read(buffer, filled, buffer.length - filled);
                if (read < 0) {
                    throw new IOException("connection closed");
                }
                for (int i = Math.max(3, filled); i < filled + read; i++) {
                    if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n' && buffer[i - 3] == '\r') {
                        headEnd = i + 1;
                        break;
                    }
                }
                filled += read;
            }
            String head = new String(buffer, 0, headEnd, StandardCharsets.US_ASCII);
            int at = head.toLowerCase().indexOf("\r\ncontent-length:");
            int length = at < 0
                    ? 0
                    : Integer.parseInt(
                            head.substring(at + 17, head.indexOf('\r', at + 2)).trim());
            for (int left = headEnd + length - filled; left > 0; ) {
                int read = in.read(buffer, 0, Math.min(buffer.length, left));
                if (read < 0) {
                    throw new IOException("connection closed");
                }
                left -= read;
            }
            return Integer.parseInt(head.substring(9, 12));
        }
    }
}
