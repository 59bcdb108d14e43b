package dev.reelmark.web;

import com.microsoft.playwright.APIRequest;
import com.microsoft.playwright.APIRequestContext;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.reelmark.app.AppConfig;
import dev.reelmark.app.DemoStudio;
import dev.reelmark.app.Reelmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What every browser test stands on: the real server started in process on a fresh demo studio, serving the
 * production build of web/ from the classpath, and Debian's Chromium driven by Playwright (which never downloads
 * a browser here). A missing UI build or browser fails the test; it is never skipped.
 */
final class BrowserHarness implements AutoCloseable {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    final Reelmark app;
    final String baseUrl;
    final APIRequestContext api;
    private final Playwright playwright;
    private final Browser browser;

    BrowserHarness(Path dataDir) {
        if (BrowserHarness.class.getResource("/public/index.html") == null) {
            fail("The web UI is not on the test classpath (/public/index.html is missing). The Maven build makes it "
                    + "from web/ (npm ci, npm run build) into target/classes/public; run the build without -Dweb.skip.");
        }
        if (!Files.isExecutable(CHROMIUM)) {
            fail("No browser at " + CHROMIUM + ": install Debian's Chromium (apt-get install -y chromium); "
                    + "./scripts/test does that on a fresh machine.");
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
        api = playwright.request().newContext(new APIRequest.NewContextOptions().setBaseURL(baseUrl));
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A page in a fresh browser context; uncaught exceptions and console errors are collected into {@code errors}. */
    Page newPage(int width, int height, List<String> errors) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setBaseURL(baseUrl)
                .setViewportSize(width, height)
                .setLocale("en-GB")
                .setTimezoneId("UTC"));
        context.setDefaultTimeout(20_000);
        Page page = context.newPage();
        // A failed resource load is what an API error looks like; anything else logged as an error is a bug.
        page.onPageError(error -> errors.add("page error: " + error));
        page.onConsoleMessage(message -> {
            if (message.type().equals("error") && !message.text().startsWith("Failed to load resource")) {
                errors.add("console error: " + message.text());
            }
        });
        return page;
    }

    Page newPage(int width, int height) {
        return newPage(width, height, new ArrayList<>());
    }

    /** A full-page screenshot at target/screenshots/NAME.png, for a reviewer to look at. */
    static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    @Override
    public void close() {
        api.dispose();
        browser.close();
        playwright.close();
        app.close();
    }
}
