package dev.reelmark.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.reelmark.app.DemoStudio;
import dev.reelmark.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Exports screen as a person uses it: Debian's Chromium (Playwright) against the real server on a fresh demo
 * studio. Templates (built-in badges, a custom XML template written in the editor with its live preview and a field
 * error), a sidecar export with two templates to its ZIP, and a dataset export whose splits must sum to 100.
 * Screenshots: target/screenshots/exports*.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportsScreenBrowserTest {
    private static final LocatorAssertions.HasAttributeOptions LONG = new LocatorAssertions.HasAttributeOptions().setTimeout(90_000);
    private BrowserHarness harness;
    private long projectId;

    @BeforeAll
    void start(@TempDir Path dir) {
        harness = new BrowserHarness(dir);
        JsonNode projects = get("/api/projects").get("items");
        assertEquals(1, projects.size(), "the demo has one project: " + projects);
        assertEquals(DemoStudio.PROJECT_NAME, projects.get(0).get("name").asText());
        projectId = projects.get(0).get("id").asLong();
    }

    @AfterAll
    void stop() {
        if (harness != null) harness.close();
    }

    @Test
    void templatesListShowsBuiltInsAndTheEditorWritesACustomXmlTemplateWithALivePreview() {
        List<String> pageErrors = new ArrayList<>();
        Page page = harness.newPage(1400, 1000, pageErrors);
        try (BrowserContext context = page.context()) {
            JsonNode builtIns = builtInTemplates();
            assertEquals(7, builtIns.size(), "seven built-ins are seeded: " + builtIns);

            page.navigate("/exports");
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Exports");
            assertThat(page).hasTitle("Exports · Reelmark");
            assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))
                    .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Exports")))
                    .hasAttribute("aria-current", "page");

            Locator table = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Sidecar templates"));
            for (JsonNode t : builtIns) {
                Locator row = table.locator("tbody tr[data-template-id='" + t.get("id").asLong() + "']");
                assertThat(row.locator("th")).hasText(t.get("name").asText());
                assertThat(row.locator("td[data-label='Format']")).hasText(t.get("format").asText());
                assertThat(row.locator("td[data-label='Tool']")).hasText(t.get("target_tool").isNull() ? "—" : t.get("target_tool").asText());
                assertThat(row.locator("td[data-label='Kind'] .badge")).hasText("Built-in");
            }

            // A built-in opens read-only, with its preview against the sample clip.
            table.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Nuke XML").setExact(true)).click();
            Locator builtIn = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Template editor: Nuke XML"));
            assertThat(builtIn.getByLabel("Name", new Locator.GetByLabelOptions().setExact(true))).hasAttribute("readonly", "");
            assertThat(builtIn).containsText("Built-in templates are read-only");
            assertThat(builtIn.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save changes"))).hasCount(0);
            assertThat(builtIn.getByTestId("preview-file")).hasText(Pattern.compile("\\.xml$"));
            assertThat(builtIn.getByTestId("preview-content")).containsText("<?xml");

            // A new template: the preview follows the typing.
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New template")).click();
            Locator editor = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Template editor: New template"));
            editor.getByText("Clip fields a xml template can use").click();
            assertThat(editor.locator(".exports-field-help")).containsText("one .xml per video");
            assertThat(editor.locator(".exports-field-names")).containsText("generation_params");
            editor.getByLabel("Name", new Locator.GetByLabelOptions().setExact(true)).fill("Comp XML");
            Locator json = editor.getByLabel("Template JSON");
            Locator preview = editor.getByTestId("preview-content");
            json.fill("{\"root_element\": \"shot\", \"fields\": [\"file_name\", \"codec\"]}");
            assertThat(preview).containsText("<shot");
            assertThat(preview).containsText("<codec");
            assertThat(editor.getByRole(AriaRole.REGION, new Locator.GetByRoleOptions().setName("Live preview"))).hasAttribute("data-state", "ready");
            json.fill("{\"root_element\": \"shot\", \"fields\": [\"file_name\", \"codec\", \"resolution\"]}");
            assertThat(preview).containsText("<resolution");

            // A bad root element name: the server's 400 is shown next to the JSON field.
            json.fill("{\"root_element\": \"1shot\", \"fields\": [\"file_name\", \"codec\"]}");
            Locator jsonError = editor.locator("#template-json-error");
            assertThat(jsonError).containsText("template_json.root_element");
            assertThat(jsonError).containsText("not a valid XML element name");
            assertThat(json).hasAttribute("aria-invalid", "true");
            BrowserHarness.screenshot(page, "exports-template-error");

            // Not JSON at all: said at the same place, without asking the server.
            json.fill("{\"root_element\": ");
            assertThat(jsonError).containsText("template_json is not valid JSON");

            json.fill("{\"root_element\": \"shot\", \"fields\": [\"file_name\", \"codec\"]}");
            assertThat(jsonError).hasCount(0);
            assertThat(preview).containsText("<shot");
            editor.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create template")).click();

            Locator saved = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Template editor: Comp XML"));
            assertThat(saved.getByRole(AriaRole.STATUS)).hasText("Saved “Comp XML”.");
            Locator customRow = table.locator("tbody tr").filter(new Locator.FilterOptions().setHasText("Comp XML"));
            assertThat(customRow.locator("td[data-label='Kind'] .badge")).hasText("Custom");
            JsonNode created = templateNamed("Comp XML");
            assertEquals("xml", created.get("format").asText());
            assertEquals("shot", created.get("template_json").get("root_element").asText());
            assertEquals(false, created.get("is_builtin").asBoolean());
            BrowserHarness.screenshot(page, "exports-templates");

            // A custom template can be changed (a bad change is refused at its field) and deleted.
            Locator savedJson = saved.getByLabel("Template JSON");
            savedJson.fill("{\"root_element\": \"shot\", \"fields\": [\"file_name\", \"no_such_field\"]}");
            assertThat(saved.locator("#template-json-error")).containsText("template_json.fields[1]");
            savedJson.fill("{\"root_element\": \"take\", \"fields\": [\"file_name\"]}");
            assertThat(saved.getByTestId("preview-content")).containsText("<take");
            saved.getByLabel("Name", new Locator.GetByLabelOptions().setExact(true)).fill("Comp XML takes");
            saved.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save changes")).click();
            Locator renamed = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Template editor: Comp XML takes"));
            assertThat(renamed.getByRole(AriaRole.STATUS)).hasText("Saved “Comp XML takes”.");
            assertThat(customRow.locator("th")).hasText("Comp XML takes");
            assertEquals("take", templateNamed("Comp XML takes").get("template_json").get("root_element").asText());

            renamed.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete")).click();
            renamed.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Really delete")).click();
            assertThat(customRow).hasCount(0);
            assertThat(table.locator("tbody tr")).hasCount(7);
            assertEquals(404, harness.api.get("/api/sidecar-templates/" + created.get("id").asLong()).status());
        }
        assertEquals(List.of(), pageErrors, "the page logged errors");
    }

    @Test
    void aSidecarExportWithTwoTemplatesRunsToADownloadableZip() throws IOException {
        List<String> pageErrors = new ArrayList<>();
        Page page = harness.newPage(1400, 1000, pageErrors);
        try (BrowserContext context = page.context()) {
            page.navigate("/exports?project=" + projectId);
            Locator panel = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Sidecar export").setExact(true));
            Locator start = panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Export sidecars"));
            assertThat(start).isDisabled();
            assertThat(panel).containsText("Tick at least one template.");
            assertThat(panel.getByRole(AriaRole.RADIO, new Locator.GetByRoleOptions().setName("Whole project"))).isChecked();

            panel.getByRole(AriaRole.CHECKBOX, new Locator.GetByRoleOptions().setName(Pattern.compile("^Nuke XML"))).check();
            panel.getByRole(AriaRole.CHECKBOX, new Locator.GetByRoleOptions().setName(Pattern.compile("^After Effects CSV"))).check();
            assertThat(start).isEnabled();
            start.click();

            Locator job = panel.getByRole(AriaRole.REGION, new Locator.GetByRoleOptions().setName(Pattern.compile("^Sidecar export job #\\d+$")));
            assertThat(job).hasAttribute("data-status", "completed", LONG);
            assertThat(job.getByRole(AriaRole.PROGRESSBAR)).hasAttribute("aria-valuenow", "100");
            Locator result = job.getByRole(AriaRole.STATUS);
            assertThat(result).containsText(Pattern.compile("\\d+ files for \\d+ videos"));
            Locator download = result.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Download ZIP"));
            String href = download.getAttribute("href");
            assertTrue(href.matches("/api/sidecar-exports/\\d+/download"), href);
            BrowserHarness.screenshot(page, "exports-sidecars");

            APIResponse zip = harness.api.get(href);
            assertEquals(200, zip.status(), zip.statusText());
            assertEquals("application/zip", zip.headers().get("content-type"));
            List<String> entries = entries(zip.body());
            assertTrue(entries.stream().anyMatch(e -> e.endsWith(".xml")), "XML sidecars in the ZIP: " + entries);
            assertTrue(entries.stream().anyMatch(e -> e.endsWith(".csv")), "frame CSVs in the ZIP: " + entries);

            // One character only: the job's params carry it.
            String firstJob = job.getAttribute("aria-label");
            panel.getByRole(AriaRole.RADIO, new Locator.GetByRoleOptions().setName("One character")).check();
            Locator character = panel.getByRole(AriaRole.COMBOBOX, new Locator.GetByRoleOptions().setName("Character"));
            character.selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("Bruno Okafor"));
            start.click();
            Locator second = panel.getByRole(AriaRole.REGION, new Locator.GetByRoleOptions().setName(Pattern.compile("^Sidecar export job #\\d+$")));
            assertThat(second).not().hasAttribute("aria-label", firstJob);
            assertThat(second).hasAttribute("data-status", "completed", LONG);
            long jobId = Long.parseLong(second.getAttribute("aria-label").replaceAll("\\D+", ""));
            JsonNode params = get("/api/jobs/" + jobId).get("params");
            assertEquals(characterId("Bruno Okafor"), params.get("character_id").asLong(), params.toString());
            assertEquals(2, params.get("template_ids").size(), params.toString());
        }
        assertEquals(List.of(), pageErrors, "the page logged errors");
    }

    @Test
    void datasetSplitsMustSumTo100AndTheFinishedDatasetShowsItsManifest() throws IOException {
        List<String> pageErrors = new ArrayList<>();
        Page page = harness.newPage(1400, 1000, pageErrors);
        try (BrowserContext context = page.context()) {
            page.navigate("/exports?project=" + projectId);
            Locator panel = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Dataset export").setExact(true));
            Locator start = panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Export dataset"));
            assertThat(panel.getByRole(AriaRole.CHECKBOX, new Locator.GetByRoleOptions().setName("dance"))).isChecked();
            assertThat(panel.getByRole(AriaRole.CHECKBOX, new Locator.GetByRoleOptions().setName("Ava Reyes"))).isChecked();
            assertThat(panel.getByText("No datasets exported from this project yet.")).isVisible();

            Locator sum = panel.getByTestId("split-sum");
            panel.getByRole(AriaRole.SPINBUTTON, new Locator.GetByRoleOptions().setName("Train")).fill("70");
            panel.getByRole(AriaRole.SPINBUTTON, new Locator.GetByRoleOptions().setName("Validation")).fill("20");
            panel.getByRole(AriaRole.SPINBUTTON, new Locator.GetByRoleOptions().setName("Test")).fill("20");
            assertThat(sum).hasText("Sum: 110%");
            assertThat(sum).hasAttribute("data-valid", "false");
            assertThat(panel).containsText("The splits sum to 110%; they must sum to 100%.");
            assertThat(start).isDisabled();
            BrowserHarness.screenshot(page, "exports-dataset-splits");

            panel.getByRole(AriaRole.SPINBUTTON, new Locator.GetByRoleOptions().setName("Test")).fill("10");
            assertThat(sum).hasText("Sum: 100%");
            assertThat(start).isEnabled();
            panel.getByLabel("Name", new Locator.GetByLabelOptions().setExact(true)).fill("Browser set");
            start.click();

            Locator job = panel.getByRole(AriaRole.REGION, new Locator.GetByRoleOptions().setName(Pattern.compile("^Dataset export job #\\d+$")));
            assertThat(job).hasAttribute("data-status", "completed", LONG);
            JsonNode datasets = get("/api/projects/" + projectId + "/datasets").get("items");
            assertEquals(1, datasets.size(), datasets.toString());
            JsonNode dataset = datasets.get(0);
            assertEquals("completed", dataset.get("status").asText(), dataset.toString());
            assertEquals(70, dataset.get("config").get("splits").get("train").asInt());
            assertTrue(dataset.get("sample_count").asInt() > 0, dataset.toString());

            Locator row = panel.locator("tr[data-dataset-id='" + dataset.get("id").asLong() + "']");
            assertThat(row).hasAttribute("data-status", "completed");
            assertThat(row.locator("th")).containsText("Browser set");
            assertThat(row.locator("th")).containsText("70/20/10");
            assertThat(row.getByTestId("dataset-samples")).hasText(dataset.get("sample_count").asText());
            assertThat(row.locator("td[data-label='Size']")).not().hasText("—");
            row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Manifest")).click();
            Locator manifest = panel.getByRole(AriaRole.REGION, new Locator.GetByRoleOptions().setName("Manifest of dataset #" + dataset.get("id").asLong()));
            assertThat(manifest).containsText("\"format\": \"reelmark-dataset\"");
            assertThat(manifest).containsText("\"total_samples\": " + dataset.get("sample_count").asInt());
            JsonNode counts = get("/api/projects/" + projectId + "/datasets/" + dataset.get("id").asLong()).get("manifest").get("metadata").get("split_counts");
            assertThat(manifest.locator("li[data-split='train']")).containsText("train: " + counts.get("train").asInt() + " sample");
            assertThat(manifest.locator("li[data-split='train']")).containsText("(asked 70%)");
            assertThat(manifest.locator("li[data-split='test']")).containsText("test: " + counts.get("test").asInt() + " sample");
            BrowserHarness.screenshot(page, "exports");

            String href = row.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Download")).getAttribute("href");
            APIResponse zip = harness.api.get(href);
            assertEquals(200, zip.status(), zip.statusText());
            List<String> entries = entries(zip.body());
            assertTrue(entries.contains("manifest.json"), "the dataset ZIP has its manifest: " + entries);
            assertTrue(entries.contains("train/metadata.jsonl"), "and a train split: " + entries);

            // On a phone the screen fits the width, the dataset table included.
            page.setViewportSize(390, 844);
            page.navigate("/exports?project=" + projectId);
            assertThat(panel.locator("tr[data-dataset-id='" + dataset.get("id").asLong() + "']")).isVisible();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Nuke XML").setExact(true)).click();
            assertThat(page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Live preview")).getByTestId("preview-content")).containsText("<?xml");
            Object widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]");
            List<?> w = (List<?>) widths;
            assertTrue(((Number) w.get(0)).intValue() <= ((Number) w.get(1)).intValue(), "no horizontal overflow on a phone: " + widths);
            BrowserHarness.screenshot(page, "exports-phone");
        }
        assertEquals(List.of(), pageErrors, "the page logged errors");
    }

    // ---- helpers ----

    private static List<String> entries(byte[] body) throws IOException {
        assertTrue(body.length > 4 && body[0] == 'P' && body[1] == 'K' && body[2] == 3 && body[3] == 4, "a ZIP file");
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(body))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) names.add(e.getName());
        }
        assertTrue(!names.isEmpty(), "the ZIP has entries");
        return names;
    }

    private JsonNode builtInTemplates() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode t : get("/api/sidecar-templates").get("items")) if (t.get("is_builtin").asBoolean()) out.add(t);
        return Json.MAPPER.valueToTree(out);
    }

    private JsonNode templateNamed(String name) {
        for (JsonNode t : get("/api/sidecar-templates").get("items")) if (t.get("name").asText().equals(name)) return t;
        throw new AssertionError("no template " + name);
    }

    private long characterId(String name) {
        for (JsonNode c : get("/api/characters?project_id=" + projectId + "&limit=100").get("items")) {
            if (c.get("name").asText().equals(name)) return c.get("id").asLong();
        }
        throw new AssertionError("no character " + name);
    }

    private JsonNode get(String path) {
        APIResponse response = harness.api.get(path);
        assertTrue(response.ok(), "GET " + path + " → " + response.status() + " " + response.text());
        return Json.parse(response.text());
    }
}
