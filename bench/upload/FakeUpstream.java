import com.sun.net.httpserver.HttpServer;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * A local stand-in for Twelve Labs' POST /v1.3/tasks that reads and discards the body as fast as it can, so that
 * the benchmark measures Reelhook, not the fake. Usage: java FakeUpstream.java PORT
 */
public class FakeUpstream {
    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 64);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/v1.3/tasks", exchange -> {
            long bytes = 0;
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = exchange.getRequestBody()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    bytes += n;
                }
            }
            String id = "task_" + UUID.randomUUID();
            byte[] body = ("{\"_id\":\"" + id + "\",\"video_id\":null,\"received_bytes\":" + bytes + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("fake upstream on " + args[0]);
    }
}
