package io.reelhook.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** WireMock playing Twelve Labs' v1.3 API; tests stub it through its HTTP admin API on {@link #PORT}. */
public class TwelveLabsResource implements QuarkusTestResourceLifecycleManager {

    public static final String PORT = "reelhook.test.wiremock.port";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        return Map.of("twelvelabs.api-url", server.baseUrl() + "/v1.3", PORT, Integer.toString(server.port()));
    }

    @Override
    public void stop() {
        server.stop();
    }
}
