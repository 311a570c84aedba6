package io.reelhook.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.assets.AssetPoller;
import io.reelhook.db.Jdbc;
import io.reelhook.testing.Api;
import io.reelhook.testing.SimulatorProxy;
import io.reelhook.testing.TwelveLabsResource;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real browser, one for the whole class, in the order a person would use it: a wrong key, sign-in,
 * an upload of samples/sample.mp4 through the page that turns {@code ready} on the board without a reload, its
 * timeline, the operations panel, and a browser console without errors. The simulator is Twelve Labs, as in the
 * simulator's end-to-end test: WireMock (the test profile's upstream) passes this test's requests on to it.
 * Screenshots go to target/console-screenshots, or to the folder named by {@code -Dreelhook.test.screenshots}
 * (docs/ for the README's).
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Path SAMPLE = Path.of("samples/sample.mp4").toAbsolutePath();
    private static final Path SCREENSHOTS =
            Path.of(System.getProperty("reelhook.test.screenshots", "target/console-screenshots"));

    @Inject
    AssetPoller poller;

    @Inject
    javax.sql.DataSource db;

    private static ChromeDriver browser;
    private static String uploadedAsset;
    private static WebDriverWait wait;

    @BeforeAll
    static void open() {
        browser = Browser.start();
        wait = new WebDriverWait(browser, PATIENCE);
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static String base() {
        return "http://localhost:" + RestAssured.port;
    }

    @Test
    @Order(1)
    void aWrongKeyIsRefused() {
        browser.get(base() + "/");
        WebElement key = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        key.sendKeys("not-a-key");
        browser.findElement(By.id("sign-in")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "api_key_invalid"));
        assertThat(browser.manage().getCookieNamed(SessionCookie.NAME)).isNull();
        assertThat(browser.findElement(By.id("view-board")).isDisplayed()).isFalse();
        // the refused sign-in is the one error the browser may report: a 401 for POST /console/session
        assertThat(errors()).allSatisfy(e -> assertThat(e.getMessage()).contains("/console/session", "401"));
    }

    @Test
    @Order(2)
    void signInExchangesTheKeyForAStrictHttpOnlyCookie() {
        browser.get(base() + "/");
        WebElement key = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        key.clear();
        key.sendKeys(Api.KEY);
        browser.findElement(By.id("sign-in")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-board")));
        Cookie session = browser.manage().getCookieNamed(SessionCookie.NAME);
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getPath()).isEqualTo("/");
        assertThat(session.isSecure()).as("plain HTTP here").isFalse();
        assertThat(session.getValue()).doesNotContain(Api.KEY);
        assertThat(browser.getCurrentUrl()).doesNotContain(Api.KEY);
        assertThat((String) browser.executeScript("return document.cookie")).doesNotContain(SessionCookie.NAME);
        assertThat((String)
                        browser.executeScript("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"))
                .doesNotContain(Api.KEY);
        assertThat(browser.findElement(By.id("api-key")).getAttribute("value")).isEmpty();
        wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
    }

    @Test
    @Order(3)
    void aRefusedUploadShowsTwelveLabsCodeAndMessage() throws Exception {
        Path broken = Files.createTempFile("reelhook-console-broken-", ".mp4");
        Files.write(broken, new byte[64 * 1024]);
        browser.findElement(By.cssSelector("#nav a[data-view=upload]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("file"))).sendKeys(broken.toString());
        browser.findElement(By.id("index-id")).clear();
        browser.findElement(By.id("upload")).click();

        // the bytes arrive whole; the asset pipeline then refuses them as Twelve Labs would
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("upload-error"), "video_file_broken"));
        assertThat(browser.findElement(By.id("upload-result")).getText()).isEmpty();
        assertThat(errors()).isEmpty();
    }

    @Test
    @Order(4)
    void anUploadThroughThePageBecomesAnAssetThatTurnsReadyOnTheBoardWithoutAReload() throws Exception {
        browser.executeScript("window.reelhookTestMarker = 'same page'");
        WireMock wireMock = new WireMock("localhost", wireMockPort());
        // Twelve Labs' asset API is the simulator's, behind WireMock
        wireMock.register(SimulatorProxy.assetApi().atPriority(5));

        browser.findElement(By.cssSelector("#nav a[data-view=upload]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("file"))).sendKeys(SAMPLE.toString());
        WebElement indexId = browser.findElement(By.id("index-id"));
        indexId.clear();
        indexId.sendKeys("console-" + UUID.randomUUID());
        browser.findElement(By.id("upload")).click();

        WebElement created = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("upload-task")));
        String assetId = created.getAttribute("data-id");
        uploadedAsset = assetId;
        assertThat(browser.findElement(By.id("progress")).getAttribute("value")).isEqualTo("100");

        browser.findElement(By.cssSelector("#nav a[data-view=board]")).click();
        new Select(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("filter-kind"))))
                .selectByValue("assets");
        By row = By.cssSelector("#board-rows tr[data-id='" + assetId + "']");
        wait.until(ExpectedConditions.presenceOfElementLocated(row));
        assertThat(browser.findElement(row).getAttribute("data-status")).isEqualTo("processing");

        org.awaitility.Awaitility.await().atMost(PATIENCE).untilAsserted(() -> {
            poller.pollDue();
            assertThat(browser.findElement(row).getAttribute("data-status")).isEqualTo("ready");
        });
        assertThat(browser.executeScript("return window.reelhookTestMarker")).isEqualTo("same page");
        assertThat(browser.findElement(row).getText()).contains("sample.mp4");
        screenshot("console-board.png");
    }

    @Test
    @Order(5)
    void theTimelineShowsEachEventWithItsSourceAndTheRawNotification() throws Exception {
        String index = "console-" + UUID.randomUUID();
        String hookPath = "/simulator/webhook/" + UUID.randomUUID();
        WireMock wireMock = new WireMock("localhost", wireMockPort());
        wireMock.register(post(urlEqualTo("/v1.3/tasks"))
                .atPriority(1)
                .withRequestBody(containing(index))
                .willReturn(aResponse().proxiedFrom(base() + "/simulator")));
        wireMock.register(post(urlEqualTo(hookPath))
                .atPriority(1)
                .willReturn(
                        aResponse().proxiedFrom(base() + "/webhooks/twelvelabs").withProxyUrlPrefixToRemove(hookPath)));
        String taskId = Api.given()
                .multiPart("index_id", index)
                .multiPart("video_file", SAMPLE.toFile(), "video/mp4")
                .multiPart(
                        "user_metadata",
                        new ObjectMapper()
                                .writeValueAsString(Map.of(
                                        "simulator",
                                        Map.of("webhook_url", "http://localhost:" + wireMockPort() + hookPath))))
                .post("/v1.3/tasks")
                .then()
                .statusCode(200)
                .extract()
                .path("_id");

        browser.get(base() + "/#/tasks/" + taskId);
        By webhook = By.cssSelector("#timeline-events li[data-source=webhook]");
        wait.until(ExpectedConditions.presenceOfElementLocated(webhook));
        List<WebElement> events = browser.findElements(By.cssSelector("#timeline-events > li"));
        assertThat(events).extracting(e -> e.getAttribute("data-source")).containsExactly("upload", "webhook");
        assertThat(events).extracting(e -> e.getAttribute("data-applied")).containsOnly("true");
        WebElement raw = browser.findElement(webhook).findElement(By.cssSelector("details.raw"));
        raw.findElement(By.tagName("summary")).click();
        assertThat(raw.findElement(By.tagName("pre")).getText()).contains("index.task.ready", taskId);
        assertThat(browser.findElement(By.id("task-reconcile")).getText()).contains("done");
        screenshot("console-timeline.png");
    }

    @Test
    @Order(6)
    void anUploadLeftHalfwayIsResumedWhenTheSameFileIsPickedAfterAReload() throws Exception {
        String index = "console-" + UUID.randomUUID();
        byte[] file = Files.readAllBytes(SAMPLE);
        String location = Api.given()
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", file.length)
                .header("Upload-Metadata", "filename " + b64("sample.mp4") + ",index_id " + b64(index))
                .post("/uploads")
                .then()
                .statusCode(201)
                .extract()
                .header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        int half = file.length / 2;
        Api.given()
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", 0)
                .contentType("application/offset+octet-stream")
                .body(java.util.Arrays.copyOf(file, half))
                .patch("/uploads/" + id)
                .then()
                .statusCode(204);
        // what the page kept before it was reloaded: the upload's URL under the file's fingerprint
        browser.get(base() + "/#/upload");
        browser.executeScript(
                "window.localStorage.setItem(arguments[0], arguments[1])",
                "reelhook.tus:sample.mp4:" + file.length + ":"
                        + Files.getLastModifiedTime(SAMPLE).toMillis() + ":" + index,
                "/uploads/" + id);
        browser.navigate().refresh();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("file"))).sendKeys(SAMPLE.toString());
        WebElement indexId = browser.findElement(By.id("index-id"));
        indexId.clear();
        indexId.sendKeys(index);
        browser.findElement(By.id("upload")).click();

        WebElement created = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("upload-task")));
        // the page went on with the same upload, from the half Reelhook held, and made its asset
        assertThat(Jdbc.strings(db, "SELECT asset_id FROM resumable_upload WHERE id = ?", id))
                .containsExactly(created.getAttribute("data-id"));
        assertThat(Jdbc.strings(db, "SELECT upload_offset::text FROM resumable_upload WHERE id = ?", id))
                .containsExactly(Integer.toString(file.length));
    }

    private static String b64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static int wireMockPort() {
        return ConfigProvider.getConfig().getValue(TwelveLabsResource.PORT, Integer.class);
    }

    @Test
    @Order(7)
    void anAssetTurnsReadyOnTheAssetsBoardAndHasItsTimeline() {
        String assetId = "asset_" + UUID.randomUUID();
        String filename = "console-" + UUID.randomUUID() + ".mp4";
        WireMock wireMock = new WireMock("localhost", wireMockPort());
        wireMock.register(post(urlEqualTo("/v1.3/assets"))
                .atPriority(1)
                .withRequestBody(containing(filename))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"_id\":\"" + assetId + "\",\"method\":\"url\",\"status\":\"processing\","
                                + "\"filename\":\"" + filename + "\",\"created_at\":\"2026-12-02T10:00:00Z\"}")));
        Api.given()
                .multiPart("method", "url")
                .multiPart("url", "https://videos.example/" + filename)
                .multiPart("filename", filename)
                .post("/v1.3/assets")
                .then()
                .statusCode(201);

        browser.get(base() + "/#/board");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("filter-kind")));
        new Select(browser.findElement(By.id("filter-kind"))).selectByValue("assets");
        By row = By.cssSelector("#board-rows tr[data-id='" + assetId + "']");
        wait.until(ExpectedConditions.presenceOfElementLocated(row));
        assertThat(browser.findElement(row).getAttribute("data-status")).isEqualTo("processing");
        assertThat(browser.findElement(By.id("board-title")).getText()).isEqualTo("Assets");

        wireMock.register(get(urlEqualTo("/v1.3/assets/" + assetId))
                .atPriority(1)
                .willReturn(okJson("{\"_id\":\"" + assetId + "\",\"status\":\"ready\"}")));
        org.awaitility.Awaitility.await().atMost(PATIENCE).untilAsserted(() -> {
            poller.pollDue();
            assertThat(browser.findElement(row).getAttribute("data-status")).isEqualTo("ready");
        });

        browser.findElement(row).findElement(By.tagName("a")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#timeline-events > li"), 2));
        assertThat(browser.getCurrentUrl()).endsWith("#/assets/" + assetId);
        assertThat(browser.findElements(By.cssSelector("#timeline-events .type")))
                .extracting(WebElement::getText)
                .containsExactly("asset.processing", "asset.ready");
        assertThat(browser.findElement(By.id("task-facts")).getText()).contains(assetId, filename);
    }

    @Test
    @Order(8)
    void theOperationsPanelShowsUpstreamOutboxWebhooksReconcilerAndSubscriptions() throws Exception {
        browser.findElement(By.cssSelector("#nav a[data-view=operations]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("ops-webhooks")));
        assertThat(browser.findElement(By.id("ops-upstream")).getText()).contains("Twelve Labs");
        assertThat(browser.findElement(By.id("ops-outbox")).getText()).contains("Relay leader", "this instance");
        assertThat(browser.findElement(By.id("ops-webhooks")).getText()).contains("Accepted", "bad signature");
        assertThat(browser.findElement(By.id("ops-reconciler")).getText()).contains("Stalled tasks");
        assertThat(browser.findElement(By.id("ops-subscriptions")).getText()).contains("Health");
        screenshot("console-operations.png");
    }

    @Test
    @Order(9)
    void theBrowserConsoleHasNoErrors() {
        assertThat(uploadedAsset).as("the earlier tests ran").isNotNull();
        assertThat(errors()).isEmpty();
    }

    @Test
    @Order(10)
    void signOutEndsTheSession() {
        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        assertThat(browser.manage().getCookieNamed(SessionCookie.NAME)).isNull();
        assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("view-board")).isDisplayed()).isFalse();
        assertThat(errors()).isEmpty();
    }

    /** Error entries of the browser's console since the last call (reading them empties the log). */
    private static List<LogEntry> errors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .toList();
    }

    private static void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }
}
