package io.reelhook.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** RestAssured for the client APIs, with the test profile's client key. */
public final class Api {

    public static final String KEY = "test-client-key";
    /** The test profile's admin key (auth slice). */
    public static final String ADMIN_KEY = "test-admin-key";

    private Api() {}

    public static RequestSpecification given() {
        return RestAssured.given().header("x-api-key", KEY);
    }

    /** For the admin endpoints ({@code /api/v1/admin/*}). */
    public static RequestSpecification admin() {
        return RestAssured.given().header("x-api-key", ADMIN_KEY);
    }
}
