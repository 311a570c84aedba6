package io.reelhook.subscriptions;

import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Signatures checked by the Standard Webhooks reference library. */
class SignerTest {

    @Test
    void theReferenceLibraryVerifiesEachSecretOfTheHeader() {
        String a = Signer.newSecret();
        String b = Signer.newSecret();
        String body = "{\"event_id\":\"e1\"}";
        long t = System.currentTimeMillis() / 1000;
        String header = Signer.header(List.of(a, b), "msg_1", t, body.getBytes(StandardCharsets.UTF_8));
        Map<String, List<String>> headers = Map.of(
                "webhook-id",
                List.of("msg_1"),
                "webhook-timestamp",
                List.of(Long.toString(t)),
                "webhook-signature",
                List.of(header));

        assertThatCode(() -> new Webhook(a).verify(body, headers)).doesNotThrowAnyException();
        assertThatCode(() -> new Webhook(b).verify(body, headers)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new Webhook(Signer.newSecret()).verify(body, headers))
                .isInstanceOf(Exception.class);
        assertThatThrownBy(() -> new Webhook(a).verify(body + " ", headers)).isInstanceOf(Exception.class);
    }
}
