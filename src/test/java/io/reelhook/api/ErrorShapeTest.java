package io.reelhook.api;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Api;
import io.reelhook.testing.PostgresResource;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** Every error, from every kind of route, is {@code {"code","message"}} JSON. */
@QuarkusTest
class ErrorShapeTest {

    private static ValidatableResponse error(ValidatableResponse response, int status, String code) {
        return response.statusCode(status)
                .contentType("application/json")
                .body("code", equalTo(code))
                .body("message", notNullValue());
    }

    private static ValidatableResponse get(RequestSpecification request, String path, int status, String code) {
        return error(request.urlEncodingEnabled(false).get(path).then(), status, code);
    }

    @Test
    void unknownRoutesAnswer404() {
        get(RestAssured.given(), "/nope", 404, "resource_not_exist");
        get(Api.given(), "/nope", 404, "resource_not_exist");
        get(RestAssured.given(), "/webhooks/x", 404, "resource_not_exist");
        get(Api.given(), "/v1.3/nope", 404, "resource_not_exist");
        get(Api.given(), "/api/v1/nope", 404, "resource_not_exist");
        error(RestAssured.given().post("/nope").then(), 404, "resource_not_exist");
    }

    @Test
    void wrongMethodsAnswer405() {
        error(Api.given().delete("/v1.3/tasks").then(), 405, "method_not_allowed");
        error(Api.given().put("/v1.3/tasks/x").then(), 405, "method_not_allowed");
        error(RestAssured.given().get("/webhooks/twelvelabs").then(), 405, "method_not_allowed");
    }

    @Test
    void aBodyOfTheWrongTypeAnswers415() {
        error(
                Api.given()
                        .contentType("application/json")
                        .body("{}")
                        .post("/v1.3/tasks")
                        .then(),
                415,
                "unsupported_media_type");
    }

    @Test
    void missingAndWrongKeysAnswer401AndAClientKeyOnAdminAnswers403() {
        get(RestAssured.given(), "/v1.3/tasks", 401, "api_key_invalid");
        get(RestAssured.given().header("x-api-key", "nope"), "/api/v1/tasks/x/events", 401, "api_key_invalid");
        error(RestAssured.given().post("/api/v1/admin/republish?task_id=x").then(), 401, "api_key_invalid");
        error(Api.given().post("/api/v1/admin/republish?task_id=x").then(), 403, "forbidden");
        error(Api.admin().post("/api/v1/admin/republish").then(), 400, "parameter_not_provided");
        Api.admin().get("/v1.3/tasks").then().statusCode(200);
    }

    @Test
    void malformedTaskListParametersAnswer400() {
        for (String query : List.of(
                "page=0",
                "page=-1",
                "page=abc",
                "page=1.5",
                "page=99999999999",
                "page=214748365",
                "page_limit=0",
                "page_limit=51",
                "page_limit=x",
                "page=107374183&page_limit=20",
                "sort_by=x",
                "sort_by=id",
                "sort_option=up",
                "status=nope",
                "index_id=%00",
                "filename=a%00b")) {
            get(Api.given(), "/v1.3/tasks?" + query, 400, "parameter_invalid")
                    .body(
                            "message",
                            containsString(
                                    query.substring(0, query.indexOf('=')).replace("page=", "page")));
        }
    }

    @Test
    void theLastPagesThatFitAnIntOffsetAnswerEmpty() {
        Api.given()
                .get("/v1.3/tasks?page=214748364")
                .then()
                .statusCode(200)
                .body("data.size()", equalTo(0))
                .body("page_info.page", equalTo(214748364));
        Api.given()
                .get("/v1.3/tasks?page=42949672&page_limit=50")
                .then()
                .statusCode(200)
                .body("data.size()", equalTo(0));
        Api.given()
                .get("/v1.3/tasks?page=1&page_limit=50&sort_by=updated_at&sort_option=asc")
                .then()
                .statusCode(200)
                .body("page_info.limit_per_page", equalTo(50));
    }

    @Test
    void badJsonAndUnconvertibleParametersAnswer400() {
        error(
                RestAssured.given()
                        .contentType("application/json")
                        .body("{\"name\":")
                        .post("/test-probe/json")
                        .then(),
                400,
                "parameter_invalid");
        error(
                RestAssured.given()
                        .contentType("application/json")
                        .body("{\"count\":\"many\"}")
                        .post("/test-probe/json")
                        .then(),
                400,
                "parameter_invalid");
        RestAssured.given()
                .contentType("application/json")
                .body("{\"name\":\"n\",\"count\":1}")
                .post("/test-probe/json")
                .then()
                .statusCode(200)
                .body(equalTo("n"));
        get(RestAssured.given(), "/test-probe/number?n=abc", 400, "parameter_invalid");
        error(Api.admin().post("/api/v1/admin/republish?from_sequence=abc").then(), 400, "parameter_invalid");
        get(Api.given(), "/api/v1/events/stream?after=abc", 400, "parameter_invalid");
    }

    @Test
    void anUnexpectedFailureAnswers500WithAnErrorIdAndLogsTheDetails() {
        List<LogRecord> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(Failures.class.getName());
        logger.addHandler(capture);
        try {
            for (String path : List.of("/test-probe/boom", "/test-probe/vertx-boom")) {
                String message = error(RestAssured.given().get(path).then(), 500, "internal_error")
                        .body(not(containsString(FailureProbe.SECRET_DETAIL)))
                        .body(not(containsString("IllegalStateException")))
                        .extract()
                        .path("message");
                String id = message.replaceAll(".*error id ([0-9a-f-]{36}).*", "$1");
                assertThat(id).hasSize(36);
                assertThat(logged).anySatisfy(record -> {
                    assertThat(record.getMessage() + java.util.Arrays.toString(record.getParameters()))
                            .contains(id);
                    assertThat(record.getThrown()).hasMessage(FailureProbe.SECRET_DETAIL);
                });
            }
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void readsWhileTheDatabaseIsDownAnswer503() throws Exception {
        Api.given().get("/v1.3/tasks").then().statusCode(200);
        PostgresResource.halt();
        try {
            for (String path : List.of(
                    "/v1.3/tasks",
                    "/v1.3/tasks/some-task",
                    "/api/v1/tasks/some-task/events",
                    "/api/v1/tasks/some-task")) {
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> get(Api.given(), path, 503, "database_unavailable"));
            }
        } finally {
            PostgresResource.restart();
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> Api.given().get("/v1.3/tasks").then().statusCode(200));
    }
}
