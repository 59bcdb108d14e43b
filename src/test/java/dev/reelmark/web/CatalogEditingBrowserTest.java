package dev.reelmark.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.reelmark.app.DemoStudio;
import dev.reelmark.auth.Role;
import dev.reelmark.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Editing the catalog in Debian's Chromium against the real server on a demo studio: a character created through
 * the form and listed, the server's field error shown at its field, a deletion asked for first; then every screen
 * checked by axe-core (from web/node_modules, injected into the page) at 1440 and 390 px with no horizontal
 * overflow on the phone; last, with users, a viewer sees no write buttons. Ordered: users end the local mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogEditingBrowserTest {
    private static final Path AXE = Paths.get("web", "node_modules", "axe-core", "axe.min.js");

    private BrowserHarness harness;
    private long projectId;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        if (!Files.isRegularFile(AXE)) fail("axe-core is missing at " + AXE + ": run npm ci in web/");
        harness = new BrowserHarness(dataDir);
        projectId = json("/api/projects").get("items").get(0).get("id").asLong();
    }

    @AfterAll
    void stop() {
        if (harness != null) harness.close();
    }

    private JsonNode json(String path) {
        var response = harness.api.get(path);
        assertEquals(200, response.status(), path + ": " + response.text());
        return Json.parse(response.text());
    }

    private static Locator button(Locator scope, String name) {
        return scope.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name).setExact(true));
    }

    @Test
    @Order(1)
    void createACharacterThroughTheFormSeeTheFieldErrorAndDeleteItWithConfirmation(@TempDir Path files) {
        Path png = files.resolve("zoë front.png");
        var made = dev.reelmark.media.ProcessRunner.run(List.of(dev.reelmark.media.FfmpegTools.defaults().ffmpeg().toString(),
                "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=96x64", "-frames:v", "1", png.toString()), java.time.Duration.ofSeconds(60),
                dev.reelmark.media.FfmpegTools.defaults().environment());
        assertTrue(made.ok(), made.stderr());
        List<String> errors = new ArrayList<>();
        Page page = harness.newPage(1440, 900, errors);
        try (BrowserContext context = page.context()) {
            page.navigate("/catalog/projects/" + projectId);
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText(DemoStudio.PROJECT_NAME);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New character")).click();
            Locator dialog = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("New character"));
            assertThat(dialog).isVisible();
            // focus starts in the form and Tab stays inside the dialog
            assertThat(dialog.getByLabel("Name")).isFocused();
            for (int i = 0; i < 12; i++) page.keyboard().press("Tab");
            assertTrue((Boolean) page.evaluate("() => document.querySelector('[role=dialog]').contains(document.activeElement)"));

            // a blank name: the server's 400 names the field, shown at the field
            Locator name = dialog.getByLabel("Name");
            name.fill("   ");
            button(dialog, "Create").click();
            assertThat(name).hasAttribute("aria-invalid", "true");
            Locator fieldError = page.locator("#" + name.getAttribute("aria-describedby").split(" ")[0]);
            assertThat(fieldError).hasText("must not be blank");
            assertThat(name).isFocused();
            BrowserHarness.screenshot(page, "catalog-field-error");

            // a real name with accents: created, listed without a reload
            name.fill("Zoë Ångström");
            dialog.getByLabel("Tags").fill("lead, dancer");
            button(dialog, "Create").click();
            assertThat(dialog).isHidden();
            Locator row = page.locator("table tbody tr").filter(new Locator.FilterOptions().setHasText("Zoë Ångström"));
            assertThat(row).hasCount(1);
            assertThat(row).containsText("dancer");
            JsonNode stored = json("/api/characters?project_id=" + projectId + "&limit=500").get("items");
            JsonNode zoe = null;
            for (JsonNode c : stored) if (c.get("name").asText().equals("Zoë Ångström")) zoe = c;
            assertTrue(zoe != null, "the character is in the API");
            assertEquals("[\"lead\",\"dancer\"]", zoe.get("tags").toString());

            // edit: only the changed field is sent
            row.getByRole(AriaRole.LINK).click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Zoë Ångström");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Edit character Zoë Ångström")).click();
            Locator edit = page.getByRole(AriaRole.DIALOG);
            edit.getByLabel("Hair colour").fill("auburn");
            button(edit, "Save").click();
            assertThat(page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Details"))).containsText("auburn");

            // a source image uploaded from this machine (a PNG made by ffmpeg), then one picked from the media roots
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add source image")).click();
            Locator add = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Add a source image"));
            add.getByLabel("Upload a PNG, JPEG or WebP (at most 5 MB)").setInputFiles(png);
            button(add, "Upload").click();
            assertThat(add).isHidden();
            Locator images = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Source images"));
            assertThat(images).containsText("zoë front.png");
            assertThat(images).containsText("images/zoe_angstrom/zoë front.png");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add source image")).click();
            add.getByLabel("Or pick a file already in the media roots").fill("ava_reyes_source");
            add.getByLabel("Image file").selectOption(new com.microsoft.playwright.options.SelectOption().setIndex(1));
            button(add, "Use this file").click();
            assertThat(add).isHidden();
            assertThat(images).containsText("images/ava_reyes_source.png");

            // delete: asked first; Cancel keeps it, Escape closes the dialog, Delete removes it
            Locator deleteButton = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete character Zoë Ångström"));
            deleteButton.click();
            Locator confirm = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Delete character Zoë Ångström?"));
            assertThat(confirm).containsText("cannot be undone");
            assertThat(button(confirm, "Cancel")).isFocused();
            button(confirm, "Cancel").click();
            assertThat(confirm).isHidden();
            assertThat(deleteButton).isFocused();
            deleteButton.click();
            page.keyboard().press("Escape");
            assertThat(confirm).isHidden();
            assertEquals(200, harness.api.get("/api/characters/" + zoe.get("id").asLong()).status());
            deleteButton.click();
            button(confirm, "Delete character").click();
            page.waitForURL(harness.baseUrl + "/catalog/projects/" + projectId);
            assertThat(page.locator("table tbody tr")).hasCount(3);
            assertEquals(404, harness.api.get("/api/characters/" + zoe.get("id").asLong()).status());
            assertEquals(List.of(), errors.stream().filter(e -> !e.contains("400")).toList());
        }
    }

    @Test
    @Order(2)
    void theProjectWideListFiltersFromTheUrlAndApprovesTheSelection() {
        int generating = json("/api/segments?status=generating&limit=500").get("total").asInt();
        assertTrue(generating > 0, "the demo has segments still generating");
        Page page = harness.newPage(1440, 900, new ArrayList<>());
        try (BrowserContext context = page.context()) {
            page.navigate("/catalog/projects/" + projectId + "/scenes?status=generating");
            Locator rows = page.locator("table tbody tr");
            assertThat(rows).hasCount(generating);
            assertThat(page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName(Pattern.compile("^Status")))).hasValue("generating");
            // a search narrows further and lands in the URL
            page.getByRole(AriaRole.SEARCHBOX, new Page.GetByRoleOptions().setName("Search")).fill("no such name");
            assertThat(page.getByText("No segment matches these filters.")).isVisible();
            assertTrue(page.url().contains("q=no+such+name") || page.url().contains("q=no%20such%20name"), page.url());
            page.getByRole(AriaRole.SEARCHBOX, new Page.GetByRoleOptions().setName("Search")).fill("");
            assertThat(rows).hasCount(generating);
            page.getByLabel("Select all shown segments").check();
            assertThat(page.getByText(generating + " selected")).isVisible();

            // "Add to an export" opens the dataset export form with the selection, and the export sends it
            List<Long> picked = new ArrayList<>();
            json("/api/segments?status=generating&limit=500").get("items").forEach(s -> picked.add(s.get("id").asLong()));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add to an export")).click();
            Locator form = page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("Dataset export"));
            assertThat(form).containsText(generating == 1 ? "Only the segment picked" : "Only the " + generating + " segments picked");
            var posted = page.waitForResponse(r -> r.url().endsWith("/api/projects/" + projectId + "/export-dataset"),
                    () -> button(form, "Export dataset").click());
            assertEquals(202, posted.status(), posted.text());
            List<Long> sent = new ArrayList<>();
            Json.parse(posted.text()).get("config").get("segment_ids").forEach(n -> sent.add(n.asLong()));
            assertEquals(new java.util.TreeSet<>(picked), new java.util.TreeSet<>(sent));
            assertEquals(picked.size(), sent.size());

            page.navigate("/catalog/projects/" + projectId + "/scenes?status=generating");
            assertThat(rows).hasCount(generating);
            page.getByLabel("Select all shown segments").check();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Approve")).click();
            assertThat(page.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("marked approved")))
                    .hasText(generating + " segments marked approved.");
            assertThat(page.getByText("No segment matches these filters.")).isVisible();
            assertEquals(0, json("/api/segments?status=generating&limit=500").get("total").asInt());
        }
    }

    @Test
    @Order(3)
    void everyScreenHasNoAxeViolationsAtDesktopAndPhoneWidthAndNoHorizontalOverflowOnThePhone() throws IOException {
        long character = json("/api/characters?project_id=" + projectId).get("items").get(0).get("id").asLong();
        long scene = json("/api/scenes?character_id=" + character).get("items").get(0).get("id").asLong();
        long segment = json("/api/segments?scene_id=" + scene).get("items").get(0).get("id").asLong();
        long asset = json("/api/assets").get("items").get(0).get("id").asLong();
        List<String> routes = List.of("/catalog", "/catalog/assets", "/catalog/projects/" + projectId,
                "/catalog/projects/" + projectId + "/scenes", "/catalog/characters/" + character, "/catalog/scenes/" + scene,
                "/jobs", "/ledger", "/metadata", "/provenance", "/provenance/segments/" + segment,
                "/provenance/assets/" + asset, "/exports", "/tagging", "/tagging?view=history", "/audit", "/no-such-screen");
        String axe = Files.readString(AXE);
        List<String> problems = new ArrayList<>();
        for (int width : new int[]{1440, 390}) {
            Page page = harness.newPage(width, width == 390 ? 844 : 900, new ArrayList<>());
            try (BrowserContext context = page.context()) {
                for (String route : routes) {
                    page.navigate(route);
                    settle(page);
                    // evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern
                    page.evaluate(axe);
                    Object result = page.evaluate("async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
                            + " return r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3)"
                            + ".map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' ')).join(' | ')); }");
                    for (Object v : (List<?>) result) problems.add(width + " px " + route + ": " + v);
                    if (width == 390) {
                        Object overflow = page.evaluate("() => { const w = document.documentElement.clientWidth;"
                                + " const wide = [...document.querySelectorAll('body *')].filter(e => { const r = e.getBoundingClientRect();"
                                + " return r.width > 0 && r.right > w + 1 && getComputedStyle(e).position !== 'fixed'"
                                + " && !e.closest('.table-wrap, pre, .json-preview, [data-scroll-x]'); })"
                                + ".slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));"
                                + " return document.documentElement.scrollWidth > w ? 'page ' + document.documentElement.scrollWidth + ' px wide: ' + wide.join(', ') : (wide.length ? 'wide: ' + wide.join(', ') : ''); }");
                        if (!"".equals(overflow)) problems.add("390 px " + route + ": horizontal overflow, " + overflow);
                        // the phone's top bar is its own height (brand and Menu), not stretched on a short page
                        double header = ((Number) page.evaluate("() => document.querySelector('header.sidebar').getBoundingClientRect().height")).doubleValue();
                        if (header > 90) problems.add("390 px " + route + ": the header is " + header + " px tall");
                        BrowserHarness.screenshot(page, "phone" + route.replaceAll("[/?=]", "-"));
                    }
                }
            }
        }
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    /** Waits until no loading indicator is left (every screen shows one while its data is on the way). */
    private static void settle(Page page) {
        page.waitForFunction("() => document.querySelector('main h1') && !document.querySelector('.loading')");
    }

    @Test
    @Order(4)
    void aViewerSeesNoWriteButtons() {
        long character = json("/api/characters?project_id=" + projectId).get("items").get(0).get("id").asLong();
        long scene = json("/api/scenes?character_id=" + character).get("items").get(0).get("id").asLong();
        // a job on the Jobs screen, started while the server is still in local mode (no users)
        var started = harness.api.post("/api/projects/" + projectId + "/metadata/regenerate",
                com.microsoft.playwright.options.RequestOptions.create().setData(java.util.Map.of("stale_only", false)));
        assertEquals(202, started.status(), started.text());
        harness.app.auth().addUser("vera", Role.VIEWER, null, "viewer password one", null);
        Page page = harness.newPage(1440, 900, new ArrayList<>());
        try (BrowserContext context = page.context()) {
            page.navigate("/catalog");
            Locator login = page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("Log in to Reelmark"));
            login.getByLabel("Name").fill("vera");
            login.getByLabel("Password").fill("viewer password one");
            login.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Log in")).click();
            assertThat(page.locator(".user-badge")).containsText("vera");
            Pattern write = Pattern.compile("^(New |Add |Edit|Delete|Save|Create|Approve|Reject|Regenerate|Generate|Mirror|Write|Roll ?back|Re-generate|Remove|Export|Package|Pause|Resume|Cancel|Really)");
            for (String route : List.of("/catalog", "/catalog/projects/" + projectId, "/catalog/projects/" + projectId + "/scenes",
                    "/catalog/characters/" + character, "/catalog/scenes/" + scene, "/tagging", "/exports?project=" + projectId,
                    "/jobs", "/metadata?project=" + projectId, "/provenance?project=" + projectId)) {
                page.navigate(route);
                settle(page);
                List<String> names = page.getByRole(AriaRole.MAIN).getByRole(AriaRole.BUTTON).all().stream()
                        .map(b -> b.getAttribute("aria-label") != null ? b.getAttribute("aria-label") : b.innerText().trim())
                        .filter(n -> write.matcher(n).find()).toList();
                assertEquals(List.of(), names, "write buttons a viewer sees on " + route);
            }
            // the pages read what a viewer may read
            page.navigate("/catalog/scenes/" + scene);
            assertThat(page.locator("article.segment-card").first()).isVisible();
            page.navigate("/jobs");
            assertThat(page.locator("article.job-card").first()).isVisible();
            page.navigate("/exports?project=" + projectId);
            assertThat(page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Sidecar templates"))).isVisible();
            assertThat(page.getByRole(AriaRole.MAIN)).containsText("Exporting a dataset needs the lead role");
        }
    }
}
