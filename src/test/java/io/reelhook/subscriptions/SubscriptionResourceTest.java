package io.reelhook.subscriptions;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.reelhook.subscriptions.Fixtures.PATH;
import static io.reelhook.subscriptions.Fixtures.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** The admin API: create, read, change, delete, and its refusals as {code, message}. */
@QuarkusTest
class SubscriptionResourceTest {

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void cleanUp() {
        fixtures.cleanUp();
    }

    @Test
    void createAnswersTheSubscriptionWithItsSecretAndReadsHideIt() {
        Map<String, Object> created =
                fixtures.subscribe("http://127.0.0.1:9/hook", List.of("index.task.*"), List.of("idx_1"));
        String id = (String) created.get("id");

        admin().get(PATH + "/" + id)
                .then()
                .statusCode(200)
                .body("url", equalTo("http://127.0.0.1:9/hook"))
                .body("event_types", equalTo(List.of("index.task.*")))
                .body("index_ids", equalTo(List.of("idx_1")))
                .body("description", equalTo("test"))
                .body("enabled", equalTo(true))
                .body("secret", nullValue());
        admin().get(PATH)
                .then()
                .statusCode(200)
                .body("data.id", hasItem(id))
                .body("data.secret", not(hasItem(notNullValue())));
    }

    @Test
    void patchChangesOnlyWhatIsSentAndDeleteRemoves() {
        String id = (String) fixtures.subscribe("http://127.0.0.1:9/a", List.of("index.task.ready"), List.of())
                .get("id");

        admin().body(Map.of("enabled", false))
                .patch(PATH + "/" + id)
                .then()
                .statusCode(200)
                .body("enabled", equalTo(false))
                .body("url", equalTo("http://127.0.0.1:9/a"));
        admin().body(Map.of("enabled", true, "event_types", List.of("index.task.failed")))
                .patch(PATH + "/" + id)
                .then()
                .statusCode(200)
                .body("enabled", equalTo(true))
                .body("event_types", equalTo(List.of("index.task.failed")))
                .body("disabled_reason", nullValue());
        admin().body(Map.of("url", "http://127.0.0.1:9/b", "event_types", List.of("index.task.*")))
                .put(PATH + "/" + id)
                .then()
                .statusCode(200)
                .body("url", equalTo("http://127.0.0.1:9/b"))
                .body("index_ids", equalTo(List.of()));

        admin().delete(PATH + "/" + id).then().statusCode(204);
        admin().get(PATH + "/" + id).then().statusCode(404).body("code", equalTo("resource_not_exist"));
    }

    @Test
    void invalidBodiesAre400WithCodeAndMessage() {
        admin().body(Map.of("event_types", List.of("index.task.*")))
                .post(PATH)
                .then()
                .statusCode(400)
                .body("code", startsWith("parameter_"))
                .body("message", notNullValue());
        admin().body(Map.of("url", "http://127.0.0.1:9/", "event_types", List.of()))
                .post(PATH)
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"));
        admin().body(Map.of("url", "http://127.0.0.1:9/", "event_types", List.of("index task; drop")))
                .post(PATH)
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"));
        admin().get(PATH + "/" + UUID.randomUUID()).then().statusCode(404).body("code", equalTo("resource_not_exist"));
        admin().body(Map.of())
                .post(PATH + "/" + UUID.randomUUID() + "/replay")
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_not_provided"));
    }

    @Test
    void onlyHttpAndHttpsUrlsAreAcceptedWhateverTheFlag() {
        for (String url : List.of(
                "ftp://example.com/hook",
                "file:///etc/passwd",
                "gopher://127.0.0.1/",
                "http://user:pw@127.0.0.1/",
                "not a url")) {
            admin().body(Map.of("url", url, "event_types", List.of("index.task.*")))
                    .post(PATH)
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("parameter_invalid"));
        }
        String id = (String) fixtures.subscribe("http://127.0.0.1:9/a", List.of("index.task.*"), List.of())
                .get("id");
        admin().body(Map.of("url", "ftp://example.com/"))
                .patch(PATH + "/" + id)
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"));
    }
}
