package io.reelhook.security;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Api;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route of the OpenAPI document, spelled every way that a router or a proxy may read differently, with no
 * key, a client key and an admin key. The webhook receiver and the simulator check their own credentials.
 */
@QuarkusTest
class RouteKeysTest {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    record Route(String method, String path) {

        boolean admin() {
            return path.startsWith("/api/v1/admin/") || path.startsWith("/api/v1/subscriptions");
        }
    }

    @Test
    void noSpellingOfAGuardedRouteAnswersWithoutTheRightKey() throws Exception {
        List<Route> routes = routes();
        assertThat(routes)
                .extracting(Route::path)
                .contains(
                        "/v1.3/tasks",
                        "/v1.3/tasks/dummy",
                        "/api/v1/events/stream",
                        "/api/v1/admin/republish",
                        "/api/v1/subscriptions");
        List<String> failures = new ArrayList<>();
        for (Route route : routes) {
            for (String target : spellings(route.path())) {
                boolean plain = target.equals(route.path());
                RawHttp.Answer none = send(route.method(), target, null);
                if (plain ? none.status() != 401 : none.status() != 401 && none.status() != 404) {
                    failures.add(route.method() + " " + target + " without a key: " + none);
                    continue;
                }
                if (!"application/json".equals(none.header("content-type"))
                        || !(none.status() == 401 ? "api_key_invalid" : "resource_not_exist")
                                .equals(none.json().getString("code"))
                        || none.json().getString("message") == null) {
                    failures.add(route.method() + " " + target + " without a key, body: " + none);
                }
                RawHttp.Answer wrong = send(route.method(), target, "not-a-key");
                if (wrong.status() != none.status()) {
                    failures.add(route.method() + " " + target + " with an unknown key: " + wrong);
                }
                if (none.status() == 404) {
                    continue;
                }
                RawHttp.Answer client = send(route.method(), target, Api.KEY);
                if (route.admin()
                        ? client.status() != 403
                                || !"forbidden".equals(client.json().getString("code"))
                        : client.status() == 401 || client.status() == 403) {
                    failures.add(route.method() + " " + target + " with a client key: " + client);
                }
                RawHttp.Answer admin = send(route.method(), target, Api.ADMIN_KEY);
                if (admin.status() == 401 || admin.status() == 403) {
                    failures.add(route.method() + " " + target + " with an admin key: " + admin);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    /** The plain path and spellings that a lenient router could map onto it. */
    static List<String> spellings(String path) {
        // a route of one segment (/uploads) has no rest
        int second = path.indexOf('/', 1) < 0 ? path.length() : path.indexOf('/', 1);
        String first = path.substring(0, second);
        String rest = path.substring(second);
        String tail = rest.isEmpty() ? "" : rest.substring(1);
        return List.of(
                path,
                first + ";x" + rest,
                first + ";" + rest,
                first + "%3B" + rest,
                first + "%3Bx" + rest,
                "/" + path,
                first + "/." + rest,
                first + "//" + tail,
                first + "/x/.." + rest,
                path.replace(".", "%2E"),
                first + "%2F" + tail);
    }

    private static RawHttp.Answer send(String method, String target, String key) throws Exception {
        Map<String, String> headers = key == null ? Map.of() : Map.of("x-api-key", key);
        return RawHttp.send(RestAssured.port, method.toUpperCase(), target, headers, new byte[0]);
    }

    private static List<Route> routes() {
        JsonPath openapi = RestAssured.given()
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Map<String, Map<String, Object>> paths = openapi.getMap("paths");
        List<Route> routes = new ArrayList<>();
        paths.forEach((path, operations) -> {
            if (path.startsWith("/webhooks/") || path.startsWith("/simulator/")) {
                return;
            }
            for (String method : operations.keySet()) {
                if (METHODS.contains(method)) {
                    routes.add(new Route(method, path.replaceAll("\\{[^}]+}", "dummy")));
                }
            }
        });
        return routes;
    }
}
