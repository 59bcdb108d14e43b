package dev.reelmark.web;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.reelmark.app.DemoStudio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Ledger screen as a person uses it: Debian's Chromium (Playwright) against the real server, started in process
 * on a fresh demo studio. Mirrors the demo project into the ledger through the UI and filters the entries by status.
 * Screenshot: target/screenshots/ledger.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LedgerScreenBrowserTest {
    private BrowserHarness harness;
    private String baseUrl;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        harness = new BrowserHarness(dataDir);
        baseUrl = harness.baseUrl;
    }

    @AfterAll
    void stop() {
        if (harness != null) harness.close();
    }

    @Test
    void mirroringTheDemoProjectFillsTheLedgerAndTheStatusFilterNarrowsIt() {
        List<String> pageErrors = new ArrayList<>();
        Page page = harness.newPage(1280, 900, pageErrors);
        try (BrowserContext context = page.context()) {

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
            BrowserHarness.screenshot(page, "ledger");

            filters.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("All")).click();
            assertThat(rows).hasCount(15);
        }
        assertEquals(List.of(), pageErrors, "the page logged errors");
    }
}
