package dev.reelmark.web;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.SelectOption;
import dev.reelmark.app.DemoStudio;
import dev.reelmark.auth.Role;
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
 * Login, a write with the session (the client sends the CSRF header) and the Audit screen showing it, in Debian's
 * Chromium against the real server on a demo studio that has one admin. Screenshots: target/screenshots/login.png,
 * audit.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthScreensBrowserTest {
    private BrowserHarness harness;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        harness = new BrowserHarness(dataDir);
        harness.app.auth().addUser("ada", Role.ADMIN, null, "correct horse battery", null);
    }

    @AfterAll
    void stop() {
        if (harness != null) harness.close();
    }

    @Test
    void logInSeeTheProjectsMakeAWriteAndFindItOnTheAuditScreen() {
        List<String> pageErrors = new ArrayList<>();
        Page page = harness.newPage(1280, 900, pageErrors);
        try (BrowserContext context = page.context()) {
            page.navigate("/catalog");
            Locator login = page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("Log in to Reelmark"));
            assertThat(login).isVisible();
            login.getByLabel("Name").fill("ada");
            login.getByLabel("Password").fill("wrong password");
            login.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Log in")).click();
            assertThat(login.getByRole(AriaRole.ALERT)).hasText("Wrong name or password.");
            BrowserHarness.screenshot(page, "login");
            login.getByLabel("Password").fill("correct horse battery");
            login.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Log in")).click();

            // signed in: the projects, and who we are
            assertThat(page.getByRole(AriaRole.MAIN)).containsText(DemoStudio.PROJECT_NAME);
            assertThat(page.locator(".user-badge")).containsText("Signed in as ada");
            // the session cookie is not readable by scripts
            assertEquals("", page.evaluate("document.cookie"));

            // a write made with the session: mirror the demo project into the ledger
            page.navigate("/ledger");
            Locator form = page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("Mirror a project"));
            form.getByLabel("Project").selectOption(new SelectOption().setLabel(DemoStudio.PROJECT_NAME));
            form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Mirror project")).click();
            assertThat(form.getByRole(AriaRole.STATUS)).containsText(Pattern.compile("Mirrored .*: 15 segments"));

            // the Audit screen (admins only) shows it with its author
            page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))
                    .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Audit")).click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Audit");
            Locator mirror = page.locator("table.audit-table tbody tr")
                    .filter(new Locator.FilterOptions().setHasText("/api/projects/{id}/ledger/mirror"));
            assertThat(mirror).hasCount(1);
            assertThat(mirror).containsText("ada");
            assertThat(mirror).containsText("session");
            assertThat(mirror).containsText("200");
            BrowserHarness.screenshot(page, "audit");

            // log out: back to the login screen, and the API refuses the old session
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out")).click();
            assertThat(page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("Log in to Reelmark"))).isVisible();
            assertEquals(401, page.request().get(harness.baseUrl + "/api/projects").status());
            assertEquals(List.of(), pageErrors.stream().filter(e -> !e.contains("401")).toList());
        }
    }
}
