package io.reelhook.subscriptions;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/** A subscriber's HTTP endpoint on localhost: records each request and answers as each endpoint is told. */
final class Receiver implements AutoCloseable {

    /** One request as it arrived; header names in lower case. */
    record Received(Instant at, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }
    }

    /** An answer: status and headers. */
    record Answer(int status, Map<String, String> headers) {
        static Answer of(int status) {
            return new Answer(status, Map.of());
        }
    }

    /** One endpoint's requests and how it answers the n-th (from 1) with its body. */
    static final class Endpoint {
        final String url;
        final List<Received> received = new CopyOnWriteArrayList<>();
        volatile BiFunction<Integer, String, Answer> answer = (n, body) -> Answer.of(200);

        Endpoint(String url) {
            this.url = url;
        }
    }

    private final HttpServer server;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // endpoints that hold their requests hold a thread each
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            Endpoint endpoint = endpoints.get(exchange.getRequestURI().getPath());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (endpoint == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            Map<String, List<String>> headers = exchange.getRequestHeaders().entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue));
            endpoint.received.add(new Received(Instant.now(), headers, new String(body, StandardCharsets.UTF_8)));
            Answer answer = endpoint.answer.apply(endpoint.received.size(), new String(body, StandardCharsets.UTF_8));
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(answer.status(), -1);
            exchange.close();
        });
        server.start();
    }

    Endpoint endpoint() {
        String path = "/hook/" + UUID.randomUUID();
        Endpoint endpoint =
                new Endpoint("http://127.0.0.1:" + server.getAddress().getPort() + path);
        endpoints.put(path, endpoint);
        return endpoint;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
