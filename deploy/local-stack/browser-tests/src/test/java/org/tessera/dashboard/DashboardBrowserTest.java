package org.tessera.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.tessera.cli.TesseraCli;
import org.tessera.localstack.Demo;
import org.tessera.localstack.DemoClient;
import org.tessera.localstack.LocalStack;
import org.tessera.localstack.SlideSet;
import org.tessera.localstack.StackOptions;

/**
 * The dashboard and the slide viewer as people use them: Debian's Chromium, headless, driven through chromedriver
 * against the real local stack (Kafka, PostgreSQL, object store, token issuer, orchestrator, worker), signing in
 * through the issuer's authorization-code flow, and the real command-line client (its packaged jar) signed in by
 * device code. One stack for all tests, in order: an admin adds a colleague and downloads an application's user
 * guide; a member submits slides with the command-line client, watches the run in the dashboard, opens a slide in the
 * viewer from the run's item row, toggles its layers and shares the run with the colleague, who opens it and is
 * refused a run not shared with her; the admin lowers the member's monthly slides and the client's next submission is
 * refused naming the quota, and the viewer says plainly that a slide's URL expired; the operator sees the
 * organizations. Every page is checked for JavaScript errors in the browser console, each main screen against axe-core's
 * WCAG 2 A/AA rules, and saved to docs/screenshots/.
 *
 * <p>Skipped with a message when Chromium or chromedriver is missing, unless {@code TESSERA_REQUIRE_BROWSER=1}
 * (CI). Install both with {@code deploy/local-stack/browser-tests/install-browser}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String COLLEAGUE = "colleague@demo.tessera.local";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration RUN_WAIT = Duration.ofMinutes(3);
    /** How long the damaged slide's download URL is signed for: long enough for the worker, short for the test. */
    private static final Duration SHORT_URL_TTL = Duration.ofSeconds(60);

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path root;
    private Path work;
    private Path screenshots;
    private Path downloads;
    private Path userData;
    private LocalStack stack;
    private ChromeDriver browser;
    private Accessibility accessibility;
    private TesseraCli cli;
    private String base;
    /** The run the member submitted with the command-line client (two good slides). */
    private String runId;
    /** A run of one damaged slide whose download URL expires early (submitted through the API by a script). */
    private String damagedRunId;

    private Instant damagedUrlExpires;

    @BeforeAll
    void start() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            String message = "Chromium or chromedriver is missing (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): the dashboard's browser tests are skipped; install them with"
                    + " deploy/local-stack/browser-tests/install-browser";
            if ("1".equals(System.getenv("TESSERA_REQUIRE_BROWSER"))) {
                throw new IllegalStateException(message + " (TESSERA_REQUIRE_BROWSER=1 requires them)");
            }
            System.err.println(message);
            Assumptions.abort(message);
        }
        root = projectRoot();
        screenshots = Files.createDirectories(root.resolve("docs/screenshots"));
        work = root.resolve("deploy/local-stack/browser-tests/target/browser-work");
        deleteTree(work);
        downloads = Files.createDirectories(work.resolve("downloads"));
        Path stateDir = root.resolve("deploy/local-stack/browser-tests/target/browser-stack");
        stack = LocalStack.start(StackOptions.defaults(root, stateDir).withStartTimeout(Duration.ofMinutes(3)));
        base = stack.apiUrl().toString().replaceAll("/$", "");
        Map<String, String> cliEnvironment = new HashMap<>();
        cliEnvironment.put("XDG_CONFIG_HOME", work.resolve("cli-config").toString());
        cliEnvironment.put("TESSERA_API_URL", stack.apiUrl().toString());
        cliEnvironment.put("TESSERA_ISSUER", stack.accessUrl().toString());
        cliEnvironment.put("NO_COLOR", "1");
        cli = TesseraCli.packaged(root, cliEnvironment);
        accessibility = new Accessibility();

        userData = Files.createTempDirectory("tessera-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1280,800",
                "--user-data-dir=" + userData);
        options.setExperimentalOption(
                "prefs",
                Map.of("download.default_directory", downloads.toString(), "download.prompt_for_download", false));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1280, 800));
        browser.executeCdpCommand(
                "Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    }

    @AfterAll
    void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
        if (userData != null) {
            deleteTree(userData);
        }
    }

    /** No page may have thrown: every console error except failed resource loads the test provoked is a failure. */
    @AfterEach
    void noJavaScriptErrors() {
        if (browser == null) {
            return;
        }
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()
                    && !entry.getMessage().contains("Failed to load resource")) {
                errors.add(entry.getMessage());
            }
        }
        assertThat(errors).as("JavaScript errors in the browser console").isEmpty();
    }

    @Test
    @Order(1)
    void anAdminAddsAColleagueAndDownloadsAnApplicationsUserGuide() throws IOException {
        signIn("demo-admin");
        open("#/admin/users");
        waitFor(By.id("users-table"));
        browser.findElement(By.cssSelector("#add-user input[name=email]")).sendKeys(COLLEAGUE);
        browser.findElement(By.cssSelector("#add-user input[name=name]")).sendKeys("Dr. Colleague");
        browser.findElement(By.cssSelector("#add-user button[type=submit]")).click();
        waitForText(By.id("users-table"), COLLEAGUE);
        screenshot("admin-users");

        open("#/applications");
        WebElement guide = waitFor(By.cssSelector("button[data-document='test-app/1.0.0/user-guide']"));
        assertThat(guide.getText()).isEqualTo("User guide");
        assertThat(browser.findElements(By.cssSelector("button[data-document^='he-tme/1.0.0/']")))
                .as("the organization has he-tme 1.0.0: its documents are offered too")
                .hasSize(2);
        checkAccessibility("applications");
        guide.click();
        Path saved = downloads.resolve("user-guide.md");
        await().atMost(WAIT).until(() -> Files.isRegularFile(saved) && !Files.exists(partial(saved)));
        assertThat(Files.readAllBytes(saved))
                .as("the downloaded user guide is the document's bytes")
                .isEqualTo(Files.readAllBytes(
                        root.resolve("orchestrator/src/main/resources/org/tessera/orchestrator/application/document/"
                                + "test-app/1.0.0/user-guide.md")));
        signOut();
    }

    @Test
    @Order(2)
    void aMemberSubmitsWithTheClientWatchesTheRunAndTogglesLayersInTheViewer() throws Exception {
        submitADamagedSlideWhoseUrlExpiresSoon();

        // The member signs the command-line client in by device code, approving it in the browser.
        TesseraCli.Running login = cli.start("login", "--json");
        JsonNode prompt = JSON.readTree(login.nextLine());
        assertThat(prompt.path("event").asText()).isEqualTo("device_authorization");
        browser.get(prompt.path("verification_uri_complete").asText());
        waitFor(By.cssSelector("button[name=user][value='demo-member']")).click();
        waitForText(By.tagName("body"), "signed in as demo-member");
        TesseraCli.Result signedIn = login.await();
        assertThat(signedIn.exitCode()).as(signedIn.toString()).isZero();

        signIn("demo-member");
        open("#/runs");
        waitFor(By.id("runs-table"));
        waitForText(By.id("live-state"), "live");

        // Submitted with the client while the page is open: it appears and moves on without anyone reloading.
        Path slides = work.resolve("slides");
        SlideSet.generate(
                slides,
                List.of(SlideSet.Spec.good("good-1", 1024, 768, 0.5), SlideSet.Spec.good("good-2", 768, 512, 0.5)),
                11L);
        TesseraCli.Result submitted = cli.run("runs", "submit", Demo.APPLICATION, slides.toString(), "--json");
        assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
        runId = JSON.readTree(submitted.lines().getLast()).path("run_id").asText();
        By row = By.cssSelector("#runs-table tr[data-run-id='" + runId + "']");
        waitFor(row);
        waitForText(row, "demo-member");
        assertThat(browser.findElement(row).getText()).contains("test-app");
        screenshot("runs");
        click(By.cssSelector("#runs-table tr[data-run-id='" + runId + "'] a"));
        waitFor(By.id("items-table"));
        new WebDriverWait(browser, RUN_WAIT)
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-state"), "Finished"));
        assertThat(browser.findElement(By.id("run-state")).getText()).isEqualTo("Finished");
        String items = browser.findElement(By.id("items-table")).getText();
        assertThat(items).contains("good-1.tiff", "good-2.tiff", "Done");
        assertThat(browser.findElements(By.cssSelector("#items-table tr[data-external-id='good-1.tiff'] button.link")))
                .isNotEmpty();
        screenshot("run");

        // The damaged slide of the other run, in words.
        open("#/runs/" + damagedRunId);
        new WebDriverWait(browser, RUN_WAIT)
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-state"), "Finished"));
        String damaged = browser.findElement(By.id("items-table")).getText();
        assertThat(damaged).contains("damaged-1", "Failed: problem with the slide", "INPUT_UNREADABLE", "damaged");

        // From the item row to the viewer.
        open("#/runs/" + runId);
        click(By.cssSelector("#items-table tr[data-external-id='good-1.tiff'] a[href^='/viewer/']"));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("/viewer/?run=" + runId));
        viewerSettled();
        assertThat(browser.findElement(By.id("title")).getText()).isEqualTo("good-1.tiff");
        WebElement tissueMap = layer("tissue_segmentation:segmentation_map_image");
        assertThat(tissueMap.findElement(By.tagName("legend")).getText()).isEqualTo("Tissue segmentation map");
        assertThat(tissueMap.findElements(By.cssSelector(".class label")))
                .extracting(WebElement::getText)
                .contains("Tumor", "Stroma");
        assertThat(tissueMap.findElements(By.cssSelector(".class .swatch"))).isNotEmpty();

        // Switching the tissue map off changes what is drawn over the slide; switching it on again restores it.
        WebElement mapToggle = tissueMap.findElement(By.cssSelector("legend input[type=checkbox]"));
        assertThat(mapToggle.isSelected()).isTrue();
        String withMap = canvasSignature();
        mapToggle.click();
        assertThat(mapToggle.isSelected()).isFalse();
        String withoutMap = viewerSettledSignatureOtherThan(withMap);
        assertThat(withoutMap).isNotEqualTo(withMap);
        mapToggle.click();
        assertThat(viewerSettledSignatureOtherThan(withoutMap)).isEqualTo(withMap);

        // The tissue outlines are off at first: switched on, their polygons are fetched and drawn.
        WebElement outlines = layer("tissue_segmentation:geojson_polygons");
        assertThat(outlines.findElement(By.tagName("legend")).getText()).isEqualTo("Tissue segmentation outlines");
        assertThat(shapesDrawn()).isZero();
        outlines.findElement(By.cssSelector("legend input[type=checkbox]")).click();
        await().atMost(WAIT).until(() -> shapesDrawn() > 0 && viewerWaitingFor() == 0);
        assertThat(browser.findElement(By.id("status")).getText()).contains(shapesDrawn() + " shapes");
        assertThat(browser.findElement(By.id("refusal")).isDisplayed()).isFalse();
        screenshot("viewer");

        open("#/runs/" + runId);
        WebElement email = waitFor(By.cssSelector("#share-form input[name=email]"));
        email.sendKeys(COLLEAGUE);
        browser.findElement(By.cssSelector("#share-form button[type=submit]")).click();
        waitForText(By.id("grants"), "Stop sharing");
        signOut();
    }

    @Test
    @Order(3)
    void theColleagueOpensTheSharedRunInTheViewerAndIsRefusedTheOther() throws Exception {
        assertThat(runId).as("the run of the previous test").isNotNull();
        signInWithEmail(COLLEAGUE);
        open("#/runs?scope=readable");
        waitFor(By.cssSelector("#runs-table tr[data-run-id='" + runId + "']"));
        open("#/runs/" + runId);
        waitForText(By.id("items-table"), "good-2.tiff");
        assertThat(browser.findElement(By.id("run-state")).getText()).startsWith("Finished");
        // A viewer may read it, not change it: no owner's actions.
        assertThat(browser.findElements(By.id("delete-outputs"))).isEmpty();
        click(By.cssSelector("#items-table tr[data-external-id='good-2.tiff'] a[href^='/viewer/']"));
        viewerSettled();
        assertThat(browser.findElement(By.id("title")).getText()).isEqualTo("good-2.tiff");

        // The damaged slide's run was not shared with her: a page that says so, not an empty canvas.
        browser.get(base + "/viewer/?run=" + damagedRunId + "&item=" + damagedItemId());
        WebElement refusal = waitFor(By.id("refusal"));
        assertThat(refusal.getDomAttribute("data-kind")).isEqualTo("not-allowed");
        assertThat(refusal.getText()).contains("You may not view this slide", "not shared with you");
        assertThat(browser.findElement(By.id("canvas")).isDisplayed()).isFalse();
        checkAccessibility("viewer refusal");
        refusal.findElement(By.linkText("Go to your runs on the dashboard")).click();
        waitFor(By.id("runs-table"));
        signOut();
    }

    @Test
    @Order(4)
    void anAdminLowersAMembersMonthlySlidesAndTheClientsNextSubmissionIsRefusedNamingTheQuota() throws Exception {
        signIn("demo-admin");
        open("#/admin/users");
        WebElement row = waitFor(By.cssSelector("#users-table tr[data-user-id='demo-member']"));
        WebElement limit = row.findElement(By.cssSelector("input[name=monthly_wsi_limit]"));
        limit.clear();
        limit.sendKeys("3"); // the member used 3 slides this month: the next slide is one too many
        row.findElement(By.cssSelector("button.save-user")).click();
        waitForText(By.cssSelector(".messages"), "saved");
        open("#/admin/cost");
        waitFor(By.id("cost-table"));
        screenshot("admin-usage-and-cost");
        signOut();

        TesseraCli.Result refused = cli.run(
                "runs",
                "submit",
                Demo.APPLICATION,
                work.resolve("slides/good-1.tiff").toString(),
                "--json");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(4);
        JsonNode error = JSON.readTree(refused.lines().getLast()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("QUOTA.USER_MONTHLY_WSIS");
        assertThat(error.path("message").asText()).contains("402");

        signIn("demo-member");
        open("#/usage");
        waitForText(By.id("my-usage"), "3");
        assertThat(browser.findElement(By.id("my-usage")).getText())
                .contains("My monthly slide limit\n3")
                .contains("Slides I may still submit this month\n0");
        screenshot("my-quota");

        // The damaged slide's signed URL has expired by now: the viewer says so instead of showing nothing.
        await().atMost(SHORT_URL_TTL).until(() -> Instant.now().isAfter(damagedUrlExpires.plusSeconds(1)));
        browser.get(base + "/viewer/?run=" + damagedRunId + "&item=" + damagedItemId());
        WebElement refusal = waitFor(By.id("refusal"));
        assertThat(refusal.getDomAttribute("data-kind")).isEqualTo("expired");
        assertThat(refusal.getText()).contains("This slide's link has expired", "keeps no copy", "fresh URL");
        screenshot("viewer-expired");
        open("#/runs");
        signOut();

        // Signed out, the viewer asks for a sign-in instead of drawing an empty slide.
        browser.get(base + "/viewer/?run=" + runId + "&item=good-1.tiff");
        WebElement signedOut = waitFor(By.id("refusal"));
        assertThat(signedOut.getDomAttribute("data-kind")).isEqualTo("signed-out");
        assertThat(signedOut.getText()).contains("Sign in to view this slide");
    }

    @Test
    @Order(5)
    void theOperatorManagesOrganizationsAndTheDashboardFitsANarrowScreen() throws IOException {
        signIn("operator");
        open("#/operator/organizations");
        waitFor(By.cssSelector("section[data-organization-id='northside']"));
        screenshot("operator-organizations");
        signOut();

        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            signIn("demo-member");
            open("#/runs");
            waitFor(By.cssSelector("#runs-table tr[data-run-id='" + runId + "']"));
            long overflow = (Long) ((JavascriptExecutor) browser)
                    .executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
            assertThat(overflow).as("the page scrolls sideways on a phone").isLessThanOrEqualTo(0);
            screenshot("runs-narrow");
            signOut();
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 800));
        }
    }

    /** A script's run through the API, with the slide's URL signed for {@link #SHORT_URL_TTL} only. */
    private void submitADamagedSlideWhoseUrlExpiresSoon() throws IOException {
        DemoClient member =
                new DemoClient(stack.apiUrl(), () -> stack.token(stack.seed().member()));
        SlideSet.UrlSigning store = SlideSet.UrlSigning.of(stack.objectStore());
        SlideSet damaged = SlideSet.generate(
                        work.resolve("slides-damaged"), List.of(SlideSet.Spec.corrupt("damaged-1")), 12L)
                .upload(
                        member,
                        (method, key, ttl) -> store.sign(method, key, method.equals("GET") ? SHORT_URL_TTL : ttl),
                        "uploads/demo/" + UUID.randomUUID());
        URI url = damaged.slides().getFirst().downloadUrl();
        damagedUrlExpires =
                Instant.ofEpochSecond(Long.parseLong(url.getQuery().replaceAll(".*(?:^|&)expires=(\\d+).*", "$1")));
        damagedRunId = member.submitRun(damaged.runRequest(Demo.APPLICATION, null));
    }

    private String damagedItemId() {
        DemoClient member =
                new DemoClient(stack.apiUrl(), () -> stack.token(stack.seed().member()));
        return member.item(damagedRunId, "damaged-1").path("item_id").asText();
    }

    private WebElement layer(String output) {
        return waitFor(By.cssSelector("#layers fieldset[data-layer='" + output + "']"));
    }

    /** Waits until the viewer has drawn everything it asked for: tiles of the level shown, maps and outlines. */
    private void viewerSettled() {
        waitFor(By.cssSelector("#layers fieldset"));
        await().atMost(WAIT).until(() -> viewerWaitingFor() == 0);
    }

    /** After a change: waits until the viewer has settled on a picture other than {@code before}, and answers it. */
    private String viewerSettledSignatureOtherThan(String before) {
        String[] now = new String[1];
        await().atMost(WAIT).until(() -> {
            if (viewerWaitingFor() != 0) {
                return false;
            }
            now[0] = canvasSignature();
            return !now[0].equals(before);
        });
        return now[0];
    }

    private long viewerWaitingFor() {
        String waiting = browser.findElement(By.id("canvas")).getDomAttribute("data-waiting");
        return waiting == null ? Long.MAX_VALUE : Long.parseLong(waiting);
    }

    private long shapesDrawn() {
        String shapes = browser.findElement(By.id("canvas")).getDomAttribute("data-shapes");
        return shapes == null ? 0 : Long.parseLong(shapes);
    }

    /** The canvas's pixels summed per channel over the whole stage, after the next frame is drawn. */
    private String canvasSignature() {
        return (String) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                requestAnimationFrame(() => requestAnimationFrame(() => {
                  const canvas = document.getElementById('canvas');
                  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                  const sums = [0, 0, 0];
                  for (let i = 0; i < data.length; i += 4) {
                    sums[0] += data[i]; sums[1] += data[i + 1]; sums[2] += data[i + 2];
                  }
                  done(sums.join(','));
                }));
                """);
    }

    private void signIn(String user) {
        startSignIn();
        browser.findElement(By.id("user-" + user)).click();
        waitFor(By.id("signed-in-as"));
    }

    private void signInWithEmail(String email) {
        startSignIn();
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("sign-in-email")).click();
        waitFor(By.id("signed-in-as"));
    }

    private void startSignIn() {
        // Whoever was signed in in this tab (a test that failed half-way) is signed out first.
        browser.get(base + "/dashboard/");
        browser.executeScript("sessionStorage.clear();");
        browser.navigate().refresh();
        waitFor(By.id("sign-in")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("/authorize"));
        assertThat(browser.getCurrentUrl()).contains("code_challenge_method=S256");
    }

    private void signOut() {
        if (!browser.getCurrentUrl().contains("/dashboard/")) {
            open("#/runs");
        }
        waitFor(By.id("sign-out")).click();
        waitFor(By.id("sign-in"));
    }

    private void open(String hash) {
        browser.get(base + "/dashboard/" + hash);
    }

    private WebElement waitFor(By locator) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    /** Clicks what the locator finds when it is shown, again if a live update replaced it in between. */
    private void click(By locator) {
        new WebDriverWait(browser, WAIT)
                .ignoring(StaleElementReferenceException.class)
                .until(driver -> {
                    WebElement element = ExpectedConditions.visibilityOfElementLocated(locator)
                            .apply(driver);
                    if (element == null) {
                        return false;
                    }
                    element.click();
                    return true;
                });
    }

    private void waitForText(By locator, String text) {
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(locator, text));
    }

    private void checkAccessibility(String page) {
        assertThat(accessibility.violations(browser))
                .as("accessibility violations (axe-core, WCAG 2 A/AA) on " + page)
                .isEmpty();
    }

    /** Saves the page as it is shown, after checking it against the accessibility rules. */
    private void screenshot(String name) throws IOException {
        checkAccessibility(name);
        browser.executeScript("window.scrollTo(0, 0);");
        Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path partial(Path download) {
        return download.resolveSibling(download.getFileName() + ".crdownload");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    private static Path projectRoot() {
        return StackOptions.repositoryRoot();
    }
}
