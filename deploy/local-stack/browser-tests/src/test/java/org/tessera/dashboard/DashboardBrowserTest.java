package org.tessera.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.tessera.localstack.ApiException;
import org.tessera.localstack.Demo;
import org.tessera.localstack.DemoClient;
import org.tessera.localstack.LocalStack;
import org.tessera.localstack.SlideSet;
import org.tessera.localstack.StackOptions;

/**
 * The dashboard as people use it: Debian's Chromium, headless, driven through chromedriver against the real local
 * stack (Kafka, PostgreSQL, object store, token issuer, orchestrator, worker), signing in through the issuer's
 * authorization-code flow. One stack for all tests, in order: an admin adds a colleague; a member watches a run's
 * progress and shares it with the colleague, who opens it; the admin lowers the member's monthly slides and the next
 * submission is refused naming the quota; the operator sees the organizations. Every page is checked for JavaScript
 * errors in the browser console, and each main screen is saved to docs/screenshots/.
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
    private static final Duration RUN_WAIT = Duration.ofMinutes(4);

    private Path root;
    private Path screenshots;
    private Path userData;
    private LocalStack stack;
    private ChromeDriver browser;
    private String base;
    private String runId;

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
        Path stateDir = root.resolve("deploy/local-stack/browser-tests/target/browser-stack");
        stack = LocalStack.start(StackOptions.defaults(root, stateDir).withStartTimeout(Duration.ofMinutes(3)));
        base = stack.apiUrl().toString().replaceAll("/$", "");

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
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1280, 800));
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
            try (var files = Files.walk(userData)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
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
    void anAdminSignsInAndAddsAColleague() throws IOException {
        signIn("demo-admin");
        open("#/admin/users");
        waitFor(By.id("users-table"));
        browser.findElement(By.cssSelector("#add-user input[name=email]")).sendKeys(COLLEAGUE);
        browser.findElement(By.cssSelector("#add-user input[name=name]")).sendKeys("Dr. Colleague");
        browser.findElement(By.cssSelector("#add-user button[type=submit]")).click();
        waitForText(By.id("users-table"), COLLEAGUE);
        screenshot("admin-users");
        signOut();
    }

    @Test
    @Order(2)
    void aMemberWatchesTheRunProgressLiveWithTheFailedSlideExplained() throws IOException {
        DemoClient member =
                new DemoClient(stack.apiUrl(), () -> stack.token(stack.seed().member()));
        signIn("demo-member");
        open("#/runs");
        waitFor(By.id("runs-table"));
        waitForText(By.id("live-state"), "live");

        // Submitted while the page is open: it appears and moves on without anyone reloading.
        runId = member.submitRun(slides("watched").runRequest(Demo.APPLICATION, null));
        waitFor(By.cssSelector("#runs-table tr[data-run-id='" + runId + "']"));
        screenshot("runs");
        browser.findElement(By.cssSelector("#runs-table tr[data-run-id='" + runId + "'] a"))
                .click();
        waitFor(By.id("items-table"));
        new WebDriverWait(browser, RUN_WAIT)
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-state"), "Finished"));
        String items = browser.findElement(By.id("items-table")).getText();
        assertThat(items).contains("good-1", "corrupt-3", "Done", "Failed: problem with the slide");
        // The corrupt slide's code, in words.
        assertThat(items).contains("INPUT_UNREADABLE", "damaged");
        assertThat(browser.findElements(
                        By.cssSelector("#items-table tr[data-external-id='good-1'] a[href^='/viewer/']")))
                .hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#items-table tr[data-external-id='good-1'] button.link")))
                .isNotEmpty();
        screenshot("run");

        WebElement email = browser.findElement(By.cssSelector("#share-form input[name=email]"));
        email.sendKeys(COLLEAGUE);
        browser.findElement(By.cssSelector("#share-form button[type=submit]")).click();
        waitForText(By.id("grants"), "Stop sharing");
        signOut();
    }

    @Test
    @Order(3)
    void theColleagueOpensTheSharedRun() throws IOException {
        assertThat(runId).as("the run of the previous test").isNotNull();
        signInWithEmail(COLLEAGUE);
        open("#/runs?scope=readable");
        waitFor(By.cssSelector("#runs-table tr[data-run-id='" + runId + "']"));
        open("#/runs/" + runId);
        waitForText(By.id("items-table"), "good-2");
        assertThat(browser.findElement(By.id("run-state")).getText()).startsWith("Finished");
        // A viewer may read it, not change it: no owner's actions.
        assertThat(browser.findElements(By.id("delete-outputs"))).isEmpty();
        signOut();
    }

    @Test
    @Order(4)
    void anAdminLowersAMembersMonthlySlidesAndTheNextSubmissionIsRefusedNamingTheQuota() throws IOException {
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

        DemoClient member =
                new DemoClient(stack.apiUrl(), () -> stack.token(stack.seed().member()));
        assertThatThrownBy(() -> member.submitRun(slides("refused").runRequest(Demo.APPLICATION, null)))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("402")
                .hasMessageContaining("QUOTA.USER_MONTHLY_WSIS")
                .hasMessageContaining("user_monthly_wsis");

        signIn("demo-member");
        open("#/usage");
        waitForText(By.id("my-usage"), "3");
        assertThat(browser.findElement(By.id("my-usage")).getText())
                .contains("My monthly slide limit\n3")
                .contains("Slides I may still submit this month\n0");
        screenshot("my-quota");
        signOut();
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

    private SlideSet slides(String name) throws IOException {
        Path dir = root.resolve("deploy/local-stack/browser-tests/target/slides-" + name);
        return SlideSet.generate(
                        dir,
                        List.of(
                                SlideSet.Spec.good("good-1", 1024, 768, 0.5),
                                SlideSet.Spec.good("good-2", 768, 512, 0.5),
                                SlideSet.Spec.corrupt("corrupt-3")),
                        11L)
                .upload(
                        new DemoClient(
                                stack.apiUrl(), () -> stack.token(stack.seed().member())),
                        SlideSet.UrlSigning.of(stack.objectStore()),
                        "uploads/demo/" + UUID.randomUUID());
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
        browser.get(base + "/dashboard/");
        waitFor(By.id("sign-in")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("/authorize"));
        assertThat(browser.getCurrentUrl()).contains("code_challenge_method=S256");
    }

    private void signOut() {
        waitFor(By.id("sign-out")).click();
        waitFor(By.id("sign-in"));
    }

    private void open(String hash) {
        browser.get(base + "/dashboard/" + hash);
    }

    private WebElement waitFor(By locator) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    private void waitForText(By locator, String text) {
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(locator, text));
    }

    private void screenshot(String name) throws IOException {
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0);");
        Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("orchestrator/pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    "cannot find the repository root above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
