package io.reelhook.testing;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import io.restassured.RestAssured;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;

/**
 * The test profile's upstream is WireMock; a test that wants Twelve Labs' asset API played by the built-in simulator
 * (in the same Quarkus) registers this: WireMock passes every asset, multipart and index request on to it, so Reelhook
 * sends exactly what Twelve Labs would receive. Presigned chunk URLs point at the simulator itself.
 */
public final class SimulatorProxy {

    private SimulatorProxy() {}

    public static MappingBuilder assetApi() {
        return any(urlMatching("/v1\\.3/(assets|indexes)(/.*)?(\\?.*)?"))
                .willReturn(aResponse().proxiedFrom("http://localhost:" + RestAssured.port + "/simulator"));
    }
}
