package dev.reelmark.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.reelmark.app.DemoStudio;
import dev.reelmark.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metadata screens as a person uses them: Debian's Chromium (Playwright) against the real server on a fresh demo
 * studio, whose metadata files the server writes by itself after the demo is built. Files are made stale the way
 * they go stale in real life, by editing or deleting them on disk. Screenshots: target/screenshots/metadata*.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetadataScreenBrowserTest {
    private BrowserHarness harness;
    private Path dataDir;
    private long projectId;

    @BeforeAll
    void start(@TempDir Path dir) {
        harness = new BrowserHarness(dir);
        dataDir = harness.app.config().dataDir();
        JsonNode projects = get("/api/projects").get("items");
        assertEquals(1, projects.size(), "the demo has one project: " + projects);
        assertEquals(DemoStudio.PROJECT_NAME, projects.get(0).get("name").asText());
        projectId = projects.get(0).get("id").asLong();
    }

    @AfterAll
    void stop() {
        if (harness != null) harness.close();
    }

    /** Every test starts from a project whose files are all written and current. */
    @BeforeEach
    void everyFileCurrent() throws InterruptedException {
        harness.app.metadata().awaitIdle(Duration.ofSeconds(60));
        var report = harness.app.metadata().regenerateProject(projectId, false);
        assertEquals(0, report.failed(), "the demo's files all regenerate: " + report.failures());
        assertEquals(0, get("/api/projects/" + projectId + "/metadata/stale").get("stale_count").asInt());
    }

    @Test
    void aFileEditedOnDiskShowsAsStaleOnTheCharacterPageAndRegenerateMakesItCurrent() throws Exception {
        List<String> pageErrors = new ArrayList<>();
        Page page = harness.newPage(1280, 900, pageErrors);
        try (BrowserContext context = page.context()) {
            long ava = characterId("Ava Reyes");
            JsonNode before = get("/api/characters/" + ava + "/metadata");
            assertEquals("[]", before.get("reasons").toString(), "current before the edit");
            Path file = dataDir.resolve(before.get("file_path").asText());
            Files.writeString(file, Files.readString(file).replace("Lead dancer", "Lead dancer (edited by hand)"));

            page.navigate("/catalog/characters/" + ava);
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Ava Reyes");
            Locator panel = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Metadata file character_metadata.json"));
            assertThat(panel.locator(".metadata-status")).containsText("Stale: edited on disk");
            assertThat(panel.locator(".metadata-status .badge")).hasText("Stale");
            assertThat(panel).containsText(before.get("file_path").asText());
            Locator generated = panel.getByRole(AriaRole.DEFINITION).first().locator("time");
            assertThat(generated).hasAttribute("datetime", before.get("generated_at").asText());
            BrowserHarness.screenshot(page, "metadata-character-stale");

            panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Regenerate")).click();
            assertThat(panel.getByRole(AriaRole.STATUS)).containsText("Regenerated: character_metadata.json written at");
            assertThat(panel.locator(".metadata-status .badge")).hasText("Current");
            JsonNode after = get("/api/characters/" + ava + "/metadata");
            assertEquals("[]", after.get("reasons").toString());
            assertNotEquals(before.get("generated_at").asText(), after.get("generated_at").asText());
            assertThat(generated).hasAttribute("datetime", after.get("generated_at").asText());
            assertTrue(!Files.readString(file).contains("edited by hand"), "the hand edit was overwritten");

            // The preview: the JSON as it would be written, loaded when opened.
            panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Show preview")).click();
            Locator preview = panel.getByRole(AriaRole.REGION, new Locator.GetByRoleOptions().setName("Preview of character_metadata.json"));
            assertThat(preview.locator("pre")).containsText("\"name\": \"Ava Reyes\"");
            assertThat(preview.locator("pre")).containsText("\"schema_version\": \"1.0\"");
            BrowserHarness.screenshot(page, "metadata-character");

            // A scene's file deleted on disk: the scene page says so, and Regenerate writes it again.
            long scene = sceneId(ava, "Ava Reyes — dance");
            JsonNode sceneStatus = get("/api/scenes/" + scene + "/metadata");
            Path sceneFile = dataDir.resolve(sceneStatus.get("file_path").asText());
            Files.delete(sceneFile);
            page.navigate("/catalog/scenes/" + scene);
            Locator scenePanel = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Metadata file video_metadata.json"));
            assertThat(scenePanel.locator(".metadata-status")).containsText("Stale: file missing on disk");
            scenePanel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Regenerate")).click();
            assertThat(scenePanel.locator(".metadata-status .badge")).hasText("Current");
            assertTrue(Files.isRegularFile(sceneFile), "the scene's file is back: " + sceneFile);
            BrowserHarness.screenshot(page, "metadata-scene");
        }
        assertEquals(List.of(), pageErrors, "the page logged errors");
    }

    @Test
    void regenerateAllOnTheProjectPageRunsWithProgressAndEmptiesTheStaleList() throws Exception {
        List<String> pageErrors = new ArrayList<>();
        Page page = harness.newPage(1280, 900, pageErrors);
        try (BrowserContext context = page.context()) {
            long bruno = characterId("Bruno Okafor");
            Path brunoFile = dataDir.resolve(get("/api/characters/" + bruno + "/metadata").get("file_path").asText());
            Files.writeString(brunoFile, Files.readString(brunoFile) + "\n");
            long scene = sceneId(characterId("Ava Reyes"), "Ava Reyes — dance");
            Files.delete(dataDir.resolve(get("/api/scenes/" + scene + "/metadata").get("file_path").asText()));
            int checked = get("/api/projects/" + projectId + "/metadata/stale").get("checked_count").asInt();

            page.navigate("/metadata");
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Metadata");
            assertThat(page).hasTitle("Metadata · Reelmark");
            assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))
                    .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Metadata")))
                    .hasAttribute("aria-current", "page");
            assertThat(page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName("Project").setExact(true))).hasValue(String.valueOf(projectId));

            Locator summary = page.getByTestId("stale-summary");
            assertThat(summary).hasText("2 of " + checked + " files stale.");
            Locator characterTable = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName(Pattern.compile("^Character metadata")));
            assertThat(characterTable.locator("tbody tr")).hasCount(1);
            assertThat(characterTable.locator("tbody tr")).containsText("Bruno Okafor");
            assertThat(characterTable.locator("tbody tr")).containsText("edited on disk");
            Locator videoTable = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName(Pattern.compile("^Video metadata")));
            assertThat(videoTable.locator("tbody tr")).hasCount(1);
            assertThat(videoTable.locator("tbody tr")).containsText("Ava Reyes — dance");
            assertThat(videoTable.locator("tbody tr")).containsText("file missing on disk");
            BrowserHarness.screenshot(page, "metadata-stale");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Regenerate all")).click();
            Locator job = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName(Pattern.compile("^Regeneration job #\\d+$")));
            assertThat(job).isVisible();
            Locator bar = job.getByRole(AriaRole.PROGRESSBAR);
            assertThat(bar).hasAttribute("aria-valuenow", "100");
            assertThat(bar).hasAttribute("aria-valuetext", "100% (" + checked + " of " + checked + ")");
            assertThat(job).hasAttribute("data-status", "completed");
            assertThat(job.getByRole(AriaRole.STATUS)).hasText(checked + " regenerated · 0 skipped · 0 failed");
            assertThat(summary).hasText("All " + checked + " files are current.");
            assertThat(characterTable).hasCount(0);
            assertEquals(0, get("/api/projects/" + projectId + "/metadata/stale").get("stale_count").asInt());
            assertTrue(Files.isRegularFile(brunoFile));
            BrowserHarness.screenshot(page, "metadata");
        }
        assertEquals(List.of(), pageErrors, "the page logged errors");
    }

    @Test
    void theDeliveryCheckListsTheCharacterWhoseMetadataIsMissingAndPackagesOnceItIsBack() throws Exception {
        List<String> pageErrors = new ArrayList<>();
        Page page = harness.newPage(1280, 900, pageErrors);
        try (BrowserContext context = page.context()) {
            long bruno = characterId("Bruno Okafor");
            Files.delete(dataDir.resolve(get("/api/characters/" + bruno + "/metadata").get("file_path").asText()));

            page.navigate("/metadata?project=" + projectId);
            Locator delivery = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Delivery"));
            assertThat(delivery.locator(".metadata-status")).containsText("Blocked 1 of 3 characters block packaging");
            Locator rows = delivery.getByRole(AriaRole.TABLE, new Locator.GetByRoleOptions().setName("Delivery check")).locator("tbody tr");
            assertThat(rows).hasCount(3);
            Locator brunoRow = rows.filter(new Locator.FilterOptions().setHasText("Bruno Okafor"));
            assertThat(brunoRow).hasAttribute("data-ready", "false");
            assertThat(brunoRow).containsText("Blocks");
            assertThat(brunoRow.locator("td[data-label='Character file']")).hasText("missing");
            assertThat(brunoRow.locator("td[data-label='Problems']")).hasText("character_metadata: file missing on disk");
            assertThat(rows.filter(new Locator.FilterOptions().setHasText("Ava Reyes"))).hasAttribute("data-ready", "true");
            Locator zip = delivery.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Package delivery (ZIP)"));
            assertThat(zip).isDisabled();
            assertThat(delivery.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Package delivery (folder)"))).isDisabled();
            BrowserHarness.screenshot(page, "metadata-delivery-blocked");

            // Regenerate only the stale file: one written, the rest skipped; the delivery is then ready.
            int checked = get("/api/projects/" + projectId + "/metadata/stale").get("checked_count").asInt();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Regenerate stale")).click();
            Locator job = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName(Pattern.compile("^Regeneration job #\\d+$")));
            assertThat(job.getByRole(AriaRole.STATUS)).hasText("1 regenerated · " + (checked - 1) + " skipped · 0 failed");
            assertThat(delivery.locator(".metadata-status")).containsText("Ready");
            assertThat(rows.filter(new Locator.FilterOptions().setHasText("Bruno Okafor"))).hasAttribute("data-ready", "true");

            zip.click();
            Locator done = delivery.getByRole(AriaRole.STATUS);
            assertThat(done).containsText(Pattern.compile("Packaged \\d+ files \\(.+\\) as a zip\\."));
            Path packaged = Path.of(done.locator("[title]").getAttribute("title"));
            Path zipFile = packaged.isAbsolute() ? packaged : dataDir.resolve(packaged);
            assertTrue(Files.isRegularFile(zipFile), "the ZIP exists: " + zipFile);
            assertTrue(Files.size(zipFile) > 0);
            // the link downloads exactly that package
            String href = done.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Download the package")).getAttribute("href");
            APIResponse download = harness.api.get(href);
            assertEquals(200, download.status());
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(zipFile), download.body()), "the download is the delivered ZIP");
            BrowserHarness.screenshot(page, "metadata-delivery");
        }
        assertEquals(List.of(), pageErrors, "the page logged errors");
    }

    // ---- helpers ----

    private JsonNode get(String path) {
        APIResponse response = harness.api.get(path);
        assertTrue(response.ok(), "GET " + path + " → " + response.status() + " " + response.text());
        return Json.parse(response.text());
    }

    private long characterId(String name) {
        for (JsonNode c : get("/api/characters?project_id=" + projectId + "&limit=100").get("items")) {
            if (c.get("name").asText().equals(name)) return c.get("id").asLong();
        }
        throw new AssertionError("no character " + name);
    }

    private long sceneId(long characterId, String name) {
        for (JsonNode s : get("/api/scenes?character_id=" + characterId + "&limit=100").get("items")) {
            if (s.get("name").asText().equals(name)) return s.get("id").asLong();
        }
        throw new AssertionError("no scene " + name);
    }
}
