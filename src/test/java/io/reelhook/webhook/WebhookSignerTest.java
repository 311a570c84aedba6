package io.reelhook.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignerTest {

    static final String VECTOR_BODY =
            "{\"id\":\"whe_1\",\"created_at\":\"2023-11-14T22:13:20Z\",\"type\":\"index.task.ready\","
                    + "\"data\":{\"id\":\"task_1\",\"metadata\":{\"duration\":30},\"status\":\"ready\",\"models\":[],\"tags\":[]}}";
    static final String VECTOR_SIGNATURE = "b6fad1488b1e72531f4456fb5f099fa27602d802274e3d2dd30fa496cca346bd";

    @Test
    void matchesTheVectorsComputedWithPythonAndOpenssl() {
        assertThat(new WebhookSigner(List.of("test_secret")).sign(1659342128L, bytes("{\"name\":\"test\"}")))
                .isEqualTo("4d9df20048096b377b2dc8d3dbc17360f489ebc2fa16bc4e9c32a284d29a48d6");
        assertThat(new WebhookSigner(List.of("whsec_test")).sign(1700000000L, bytes(VECTOR_BODY)))
                .isEqualTo(VECTOR_SIGNATURE);
        assertThat(new WebhookSigner(List.of("whsec_test"))
                        .verifies(header("t=1700000000,v1=" + VECTOR_SIGNATURE), bytes(VECTOR_BODY)))
                .isTrue();
    }

    @Test
    void refusesATamperedBodyOrTimestampOrAnotherSecret() {
        WebhookSigner signer = new WebhookSigner(List.of("whsec_test"));
        assertThat(signer.verifies(header("t=1700000000,v1=" + VECTOR_SIGNATURE), bytes(VECTOR_BODY + " ")))
                .isFalse();
        assertThat(signer.verifies(header("t=1700000001,v1=" + VECTOR_SIGNATURE), bytes(VECTOR_BODY)))
                .isFalse();
        assertThat(new WebhookSigner(List.of("whsec_other"))
                        .verifies(header("t=1700000000,v1=" + VECTOR_SIGNATURE), bytes(VECTOR_BODY)))
                .isFalse();
        assertThat(new WebhookSigner(List.of())
                        .verifies(header("t=1700000000,v1=" + VECTOR_SIGNATURE), bytes(VECTOR_BODY)))
                .isFalse();
    }

    @Test
    void anySecretAndAnySignaturePartMayMatchDuringARotation() {
        WebhookSigner rotated = new WebhookSigner(List.of("whsec_new", "whsec_test"));
        String other = new WebhookSigner(List.of("whsec_unrelated")).sign(1700000000L, bytes(VECTOR_BODY));
        assertThat(rotated.verifies(header("t=1700000000,v1=" + VECTOR_SIGNATURE), bytes(VECTOR_BODY)))
                .isTrue();
        assertThat(rotated.verifies(header("t=1700000000,v1=" + other + ",v1=" + VECTOR_SIGNATURE), bytes(VECTOR_BODY)))
                .isTrue();
        assertThat(rotated.verifies(header("t=1700000000,v1=" + other), bytes(VECTOR_BODY)))
                .isFalse();
    }

    private static SignatureHeader header(String value) {
        return SignatureHeader.parse(value).orElseThrow();
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
