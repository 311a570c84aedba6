package io.reelhook.console;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Api;
import io.reelhook.testing.TwelveLabsResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** The console's session cookie, its CSRF defence and the pages' security headers, over plain HTTP. */
@QuarkusTest
class ConsoleSessionTest {

    private static final Path SAMPLE = Path.of("samples/sample.mp4");

    private static String origin() {
        return "http://localhost:" + RestAssured.port;
    }

    static String signIn(String key) {
        return RestAssured.given()
                .header("Origin", origin())
                .contentType("application/json")
                .body("{\"api_key\":\"" + key + "\"}")
                .post("/console/session")
                .then()
                .statusCode(200)
                .extract()
                .cookie(SessionCookie.NAME);
    }

    private static RequestSpecification session(String token) {
        return RestAssured.given().cookie(SessionCookie.NAME, token);
    }

    @Test
    void signInAnswersAnHttpOnlyStrictCookieThatHoldsNoKey() {
        Response answer = RestAssured.given()
                .header("Origin", origin())
                .contentType("application/json")
                .body("{\"api_key\":\"" + Api.KEY + "\"}")
                .post("/console/session");
        answer.then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("signed_in", equalTo(true))
                .body("open", equalTo(false))
                .body("roles", equalTo(java.util.List.of("client")))
                .body("expires_at", org.hamcrest.Matchers.notNullValue());
        String cookie = answer.getHeader("Set-Cookie");
        assertThat(cookie)
                .startsWith(SessionCookie.NAME + "=v1.")
                .contains("; HttpOnly", "; SameSite=Strict", "; Path=/", "; Max-Age=28800")
                .doesNotContain("Secure")
                .doesNotContain(Api.KEY);
        session(answer.getCookie(SessionCookie.NAME))
                .get("/console/session")
                .then()
                .statusCode(200)
                .body("signed_in", equalTo(true));
    }

    @Test
    void theCookieIsSecureWhenTheBrowserSpeaksHttps() {
        String cookie = RestAssured.given()
                .header("Origin", origin())
                .header("X-Forwarded-Proto", "https")
                .contentType("application/json")
                .body("{\"api_key\":\"" + Api.KEY + "\"}")
                .post("/console/session")
                .then()
                .statusCode(200)
                .extract()
                .header("Set-Cookie");
        assertThat(cookie).contains("; Secure", "; HttpOnly", "; SameSite=Strict");
    }

    @Test
    void aWrongKeyGetsNoSession() {
        for (String key : new String[] {"not-a-key", "", Api.KEY + "x"}) {
            Response answer = RestAssured.given()
                    .header("Origin", origin())
                    .contentType("application/json")
                    .body("{\"api_key\":\"" + key + "\"}")
                    .post("/console/session");
            assertThat(answer.statusCode()).as(key).isIn(400, 401);
            assertThat(answer.getHeader("Set-Cookie")).as(key).isNull();
            assertThat(answer.jsonPath().getString("code")).isIn("api_key_invalid", "parameter_not_provided");
        }
        RestAssured.given()
                .get("/console/session")
                .then()
                .statusCode(200)
                .body("signed_in", equalTo(false))
                .body("warning", nullValue());
    }

    @Test
    void aSignInFromAnotherOriginIsRefused() {
        RestAssured.given()
                .header("Origin", "https://evil.example")
                .contentType("application/json")
                .body("{\"api_key\":\"" + Api.KEY + "\"}")
                .post("/console/session")
                .then()
                .statusCode(403)
                .header("Set-Cookie", nullValue())
                .body("code", equalTo("cross_origin_refused"));
    }

    @Test
    void theSessionOpensWhatAClientKeyOpensAndNoMore() throws Exception {
        String token = signIn(Api.KEY);
        session(token).get("/v1.3/tasks").then().statusCode(200);
        session(token).get("/api/v1/operations").then().statusCode(200);
        session(token).get("/api/v1/subscriptions").then().statusCode(403).body("code", equalTo("forbidden"));
        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(origin() + "/api/v1/events/stream"))
                                .header("Cookie", SessionCookie.NAME + "=" + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = stream.body()) {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        }
        RestAssured.given().get("/v1.3/tasks").then().statusCode(401).body("code", equalTo("api_key_invalid"));
    }

    @Test
    void aForgedOrAlteredTokenOpensNothing() {
        String token = signIn(Api.KEY);
        String[] parts = token.split("\\.");
        String later = parts[0] + "." + parts[1] + "." + (Long.parseLong(parts[2]) + 3600) + "." + parts[3];
        String otherMac = parts[0] + "." + parts[1] + "." + parts[2] + "." + "A".repeat(parts[3].length());
        for (String forged : new String[] {later, otherMac, token + "x", "v1..0.", "garbage"}) {
            session(forged).get("/v1.3/tasks").then().statusCode(401).body("code", equalTo("api_key_invalid"));
            session(forged).get("/console/session").then().statusCode(200).body("signed_in", equalTo(false));
        }
        // a key beside the cookie decides alone: a wrong one is refused even with a good session
        session(token)
                .header("x-api-key", "not-a-key")
                .get("/v1.3/tasks")
                .then()
                .statusCode(401);
    }

    @Test
    void aCrossOriginWriteWithTheSessionIsRefusedAndDoesNothing() {
        String token = signIn(Api.KEY);
        String index = "csrf-" + UUID.randomUUID();
        long before = tasks();
        String[][] refused = {
            {"Origin", "https://evil.example"},
            {"Referer", "https://evil.example/page"},
            {"Origin", "null"},
            {"Origin", origin().replace("localhost", "127.0.0.1")},
            {"X-None", "neither"}
        };
        for (String[] header : refused) {
            session(token)
                    .header(header[0], header[1])
                    .multiPart("index_id", index)
                    .multiPart("video_file", SAMPLE.toFile(), "video/mp4")
                    .post("/v1.3/tasks")
                    .then()
                    .statusCode(403)
                    .contentType("application/json")
                    .body("code", equalTo("cross_origin_refused"))
                    .body("message", containsString("Origin"));
        }
        session(token)
                .header("Origin", "https://evil.example")
                .delete("/console/session")
                .then()
                .statusCode(403)
                .header("Set-Cookie", nullValue());
        assertThat(tasks()).isEqualTo(before);
        assertThat(wireMock().find(postRequestedFor(urlEqualTo("/v1.3/tasks")).withRequestBody(containing(index))))
                .isEmpty();
    }

    @Test
    void aSameOriginWriteWithTheSessionGoesThrough() {
        String token = signIn(Api.KEY);
        // no index_id (and none configured): the upload itself answers, so the guard let it pass
        for (String[] header : new String[][] {{"Origin", origin()}, {"Referer", origin() + "/#/upload"}}) {
            session(token)
                    .header(header[0], header[1])
                    .multiPart("video_file", SAMPLE.toFile(), "video/mp4")
                    .post("/v1.3/tasks")
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("parameter_not_provided"));
        }
        // a client with its own key is no browser session: its Origin does not matter
        Api.given()
                .cookie(SessionCookie.NAME, token)
                .header("Origin", "https://elsewhere.example")
                .multiPart("video_file", SAMPLE.toFile(), "video/mp4")
                .post("/v1.3/tasks")
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_not_provided"));
    }

    @Test
    void signOutClearsTheCookie() {
        String token = signIn(Api.KEY);
        String cleared = session(token)
                .header("Origin", origin())
                .delete("/console/session")
                .then()
                .statusCode(200)
                .body("signed_in", equalTo(false))
                .extract()
                .header("Set-Cookie");
        assertThat(cleared).startsWith(SessionCookie.NAME + "=;").contains("Max-Age=0", "Path=/", "HttpOnly");
    }

    @Test
    void theConsoleIsServedAtTheRootWithItsSecurityHeaders() {
        for (String path : new String[] {"/", "/console/app.js", "/console/console.css"}) {
            RestAssured.given()
                    .get(path)
                    .then()
                    .statusCode(200)
                    .header("Content-Security-Policy", containsString("script-src 'self';"))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("Content-Security-Policy", org.hamcrest.Matchers.not(containsString("unsafe-inline")))
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Frame-Options", "DENY");
        }
        RestAssured.given()
                .get("/")
                .then()
                .contentType(containsString("text/html"))
                .header("Cache-Control", containsString("max-age=0"))
                .body(containsString("id=\"api-key\""), containsString("id=\"sign-in\""))
                .body(org.hamcrest.Matchers.not(containsString("<script>")));
        // the API's answers carry them too; Swagger UI (inline scripts) keeps its own
        Api.given().get("/v1.3/tasks").then().header("X-Content-Type-Options", "nosniff");
        RestAssured.given().get("/q/swagger-ui/").then().statusCode(200).header("Content-Security-Policy", nullValue());
    }

    @Test
    void theConsolesOwnRoutesStayOutOfTheApiDescription() {
        RestAssured.given()
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("paths.'/console/session'", nullValue())
                .body("paths.'/api/v1/operations'.get", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/v1/tasks/{task_id}/timeline'.get", org.hamcrest.Matchers.notNullValue());
    }

    private static long tasks() {
        return Api.given().get("/v1.3/tasks").then().extract().jsonPath().getLong("page_info.total_results");
    }

    private static com.github.tomakehurst.wiremock.client.WireMock wireMock() {
        return new com.github.tomakehurst.wiremock.client.WireMock(
                "localhost", ConfigProvider.getConfig().getValue(TwelveLabsResource.PORT, Integer.class));
    }
}
