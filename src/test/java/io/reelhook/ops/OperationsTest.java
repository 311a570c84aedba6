package io.reelhook.ops;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Management;
import io.reelhook.testing.PostgresResource;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
class OperationsTest {

    @Test
    void operationalEndpointsAnswerOnTheirPorts() {
        assertThat(Management.port()).isNotEqualTo(RestAssured.port);
        Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        Management.given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("openapi"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void healthAndMetricsAreNotOnThePublicPort() {
        for (String path : new String[] {"/q/health", "/q/health/live", "/q/health/ready", "/q/metrics"}) {
            given().get(path)
                    .then()
                    .statusCode(404)
                    .contentType("application/json")
                    .body("code", equalTo("resource_not_exist"));
        }
        Management.given()
                .get("/q/nope")
                .then()
                .statusCode(404)
                .contentType("application/json")
                .body("code", equalTo("resource_not_exist"));
    }

    @Test
    void readinessReportsDatabaseAndKafkaAndFollowsTheDatabase() throws Exception {
        Management.given()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check", "Kafka connection health check"));

        PostgresResource.halt();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> Management.given()
                            .get("/q/health/ready")
                            .then()
                            .statusCode(503)
                            .body("status", equalTo("DOWN")));
        } finally {
            PostgresResource.restart();
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> Management.given()
                        .get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("UP")));
    }
}
