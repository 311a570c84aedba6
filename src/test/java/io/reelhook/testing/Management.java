package io.reelhook.testing;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.net.URI;

/** RestAssured for Quarkus' management interface (health, metrics), which has a port of its own. */
public final class Management {

    private Management() {}

    public static int port() {
        return URI.create(TestHTTPResourceManager.getManagementUri()).getPort();
    }

    public static RequestSpecification given() {
        URI uri = URI.create(TestHTTPResourceManager.getManagementUri());
        return RestAssured.given()
                .baseUri(uri.getScheme() + "://" + uri.getHost())
                .port(uri.getPort());
    }
}
