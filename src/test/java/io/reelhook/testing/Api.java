package io.reelhook.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** RestAssured for the client APIs, with the test profile's client key. */
public final class Api {

    public static final String KEY = "test-client-key";

    private Api() {
    }

    public static RequestSpecification given() {
        return RestAssured.given().header("x-api-key", KEY);
    }
}
