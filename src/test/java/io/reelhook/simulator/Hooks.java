package io.reelhook.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.reelhook.testing.TwelveLabsResource;
import org.eclipse.microprofile.config.ConfigProvider;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** A webhook endpoint of its own on the suite's WireMock, whose request journal the test reads. */
final class Hooks {

    static final String SECRET = "whsec_test";
    private static final Pattern SIGNATURE = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})");
    private static final ObjectMapper JSON = new ObjectMapper();

    final WireMock wireMock;
    final String path = "/simulator/webhook/" + UUID.randomUUID();

    /** An endpoint that answers {@code status}. */
    Hooks(int status) {
        wireMock =
                new WireMock("localhost", ConfigProvider.getConfig().getValue(TwelveLabsResource.PORT, Integer.class));
        wireMock.register(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(status)));
    }

    Hooks() {
        this(200);
    }

    /** The suite's WireMock, where tests also serve videos for {@code video_url}. */
    static String base() {
        return "http://localhost:" + ConfigProvider.getConfig().getValue(TwelveLabsResource.PORT, Integer.class);
    }

    String url() {
        return base() + path;
    }

    /** {@code user_metadata} that sends this task's notifications here, plus the given chaos switches. */
    String metadata(Map<String, Object> chaos) throws IOException {
        Map<String, Object> simulator = new HashMap<>(chaos);
        simulator.put("webhook_url", url());
        return JSON.writeValueAsString(Map.of("simulator", simulator));
    }

    List<LoggedRequest> received() {
        return wireMock.find(postRequestedFor(urlPathEqualTo(path)));
    }

    /** Checks the signature exactly as docs/api.md (webhook receiver) defines it and returns the parsed body. */
    static JsonNode verified(LoggedRequest request) throws Exception {
        Matcher header = SIGNATURE.matcher(request.getHeader("TL-Signature"));
        assertThat(header.matches())
                .as("TL-Signature %s", request.getHeader("TL-Signature"))
                .isTrue();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((header.group(1) + ".").getBytes(StandardCharsets.UTF_8));
        assertThat(HexFormat.of().formatHex(mac.doFinal(request.getBody()))).isEqualTo(header.group(2));
        assertThat(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(header.group(1))))
                .isLessThan(300);
        return body(request);
    }

    static JsonNode body(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
