package dev.reelmark.web;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.reelmark.app.AppConfig;
import dev.reelmark.app.DemoStudio;
import dev.reelmark.app.Reelmark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Ledger screen as a person uses it: Debian's Chromium (Playwright) against the real server, started in process
 * on a fresh demo studio. Mirrors the demo project into the ledger through the UI and filters the entries by status.
 * Screenshot: target/screenshots/ledger.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LedgerScreenBrowserTest {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    private Reelmark app;
    private String baseUrl;
    private Playwright playwright;
    private Browser browser;

    @BeforeAll
    void startServerAndBrowser(@TempDir Path dataDir) throws Exception {
        if (LedgerScreenBrowserTest.class.getResource("/public/index.html") == null) {
            fail("The web UI is not on the test classpath (/public/index.html is missing); run the build without -Dweb.skip.");
        }
        if (!Files.isExecutable(CHROMIUM)) {
            fail("No browser at " + CHROMIUM + ": install Debian's Chromium (apt-get install -y chromium).");
        }
        app = Reelmark.open(AppConfig.defaults(dataDir));
        new DemoStudio(app.catalog(), app.config().dataDir(), app.ffmpegTools()).build((done, total) -> {
        });
        baseUrl = "http://127.0.0.1:" + app.startServer("127.0.0.1", 0).port();

        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run")));
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.close();
        if (playwright != null) playwright.close();
        if (app != null) app.close();
    }

    @Test
    void mirroringTheDemoProjectFillsTheLedgerAndTheStatusFilterNarrowsIt() {
        List<String> pageErrors = new ArrayList<>();
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setBaseURL(baseUrl).setViewportSize(1280, 900).setLocale("en-GB").setTimezoneId("UTC"))) {
            context.setDefaultTimeout(20_000);
            Page page = context.newPage();
            page.onPageError(error -> pageErrors.add("page error: " + error));
            page.onConsoleMessage(message -> {
                if (message.type().equals("error") && !message.text().startsWith("Failed to load resource")) {
                    pageErrors.add("console error: " + message.text());
                }
            });

            page.navigate("/ledger");
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Ledger");
            assertThat(page).hasTitle("Ledger · Reelmark");
            assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))
                    .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Ledger")))
                    .hasAttribute("aria-current", "page");
            // A fresh data dir: the ledger starts empty.
            assertThat(page.getByRole(AriaRole.MAIN)).containsText("The ledger is empty");

            // Mirror the demo project through the form.
            Locator form = page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("Mirror a project"));
            form.getByLabel("Project").selectOption(new com.microsoft.playwright.options.SelectOption().setLabel(DemoStudio.PROJECT_NAME));
            form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Mirror project")).click();
            assertThat(form.getByRole(AriaRole.STATUS)).containsText(Pattern.compile("Mirrored .*: 15 segments \\(15 added"));

            Locator rows = page.locator("table.ledger-table tbody tr");
            assertThat(rows).hasCount(15);
            Locator badges = page.locator("table.ledger-table tbody .badge");
            assertThat(badges.filter(new Locator.FilterOptions().setHasText("ready")).first()).isVisible();
            assertThat(badges.filter(new Locator.FilterOptions().setHasText("generating")).first()).isVisible();
            List<String> statuses = badges.allTextContents();
            assertEquals(15, statuses.size());
            long generating = statuses.stream().filter("generating"::equals).count();
            long ready = statuses.stream().filter("ready"::equals).count();
            assertEquals(15, generating + ready, "only ready and generating entries: " + statuses);
            org.junit.jupiter.api.Assertions.assertTrue(generating > 0 && ready > 0, "both statuses: " + statuses);

            // Filter: only the still-generating entries (the demo's last scene).
            Locator filters = page.getByRole(AriaRole.GROUP, new Page.GetByRoleOptions().setName("Filter by status"));
            filters.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("generating")).click();
            page.waitForURL(baseUrl + "/ledger?status=generating");
            assertThat(filters.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("generating")))
                    .hasAttribute("aria-pressed", "true");
            assertThat(rows).hasCount((int) generating);
            assertThat(badges).hasText(java.util.Collections.nCopies((int) generating, "generating").toArray(new String[0]));
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("ledger.png")).setFullPage(true));

            filters.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("All")).click();
            assertThat(rows).hasCount(15);
        }
        assertEquals(List.of(), pageErrors, "the page logged errors");
    }
}
