package dev.reelmark.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.reelmark.json.Json;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.MediaProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Tagging screen as a person uses it: Debian's Chromium (Playwright) against the real server on a fresh demo
 * studio whose clips are real files. One demo clip is replaced by a clip whose comment is hand-written text, so the
 * plan has a safe, a warning (ComfyUI provenance) and a danger file. The test edits a file's people, dry-runs (nothing
 * written), writes through the confirmation dialog, reads the comments back with ffprobe, and rolls the write back
 * from the history, with one file changed behind Reelmark's back showing as a conflict.
 * Screenshots: target/screenshots/tagging*.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TaggingScreenBrowserTest {
    private static final String HAND_WRITTEN = "Shot on the rooftop, take 3";

    private BrowserHarness harness;
    private MediaProbe probe;
    private ClipSynth synth;

    @BeforeAll
    void start(@TempDir Path dir) {
        harness = new BrowserHarness(dir);
        probe = new MediaProbe(harness.app.ffmpegTools());
        synth = new ClipSynth(harness.app.ffmpegTools());
        // the ComfyUI clip's generation receipt (the same prompt and seed as its comment): the plan shows its facts
        long segment = harness.app.catalog().reads().segmentsWithOutputPath(COMFY_CLIP).get(0).id();
        long model = harness.app.catalog().reads().assetsOfKind("model").get(0).id();
        var receipt = dev.reelmark.json.Json.object().put("model_asset_id", model)
                .put("prompt_text", dev.reelmark.provenance.ProvenanceService.demoPrompt("Chloé Martin"))
                .put("cfg_scale", 6.5).put("seed", comfySeed = dev.reelmark.provenance.ProvenanceService.demoSeed(segment))
                .put("resolution_width", 832).put("resolution_height", 480).put("steps", 30).put("sampler", "euler");
        receipt.putArray("loras");
        APIResponse posted = harness.api.post("/api/segments/" + segment + "/receipts",
                com.microsoft.playwright.options.RequestOptions.create().setHeader("Content-Type", "application/json")
                        .setData(receipt.toString()));
        assertEquals(201, posted.status(), posted.text());
    }

    static final String COMFY_CLIP = "media/chloe_martin/idle/segment_0.mp4";
    private long comfySeed;

    @AfterAll
    void stop() {
        if (harness != null) harness.close();
    }

    @Test
    @Order(1)
    void planEditDryRunWriteReadBackAndRollBack() {
        JsonNode plan = get("/api/metadata/plan?per_page=100");
        int total = plan.get("statistics").get("total_files").asInt();
        assertTrue(total > 10, "the demo has more files than one page of 10: " + total);
        JsonNode comfy = only(plan, "warning");
        assertEquals("comfyui", comfy.get("comment_kind").asText());
        String comfyOriginal = comfy.get("existing_comment").asText();
        // Two safe .mp4 files: one becomes the danger file (a hand-written comment), one gets its people edited.
        List<JsonNode> safeMp4 = new ArrayList<>();
        for (JsonNode i : plan.get("items")) {
            if (i.get("risk_level").asText().equals("safe") && i.get("file_type").asText().equals("mp4")) safeMp4.add(i);
        }
        assertTrue(safeMp4.size() >= 2, "two safe mp4 files in the demo: " + safeMp4.size());
        Path dangerFile = Path.of(safeMp4.get(0).get("file_path").asText());
        synth.synthesize(ClipSpec.small().withTag("comment", HAND_WRITTEN), dangerFile);
        JsonNode edited = safeMp4.get(1);
        Path editedFile = Path.of(edited.get("file_path").asText());
        Path comfyFile = Path.of(comfy.get("file_path").asText());
        assertEquals(Optional.empty(), probe.probe(editedFile).comment(), "the file to edit has no comment yet");
        String editedPeople = String.join(", ", names(edited.get("result_people"))) + ", Zed Stone";

        plan = get("/api/metadata/plan?per_page=100");
        JsonNode danger = only(plan, "danger");
        assertEquals(dangerFile.toString(), danger.get("file_path").asText());
        assertEquals(HAND_WRITTEN, danger.get("existing_comment").asText());

        List<String> pageErrors = new ArrayList<>();
        Page page = harness.newPage(1280, 900, pageErrors);
        List<String> requested = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (BrowserContext context = page.context()) {
            page.onRequest(r -> requested.add(r.url()));
            page.navigate("/tagging");
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Tagging");
            assertThat(page).hasTitle("Tagging · Reelmark");
            assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))
                    .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Tagging"))).hasAttribute("aria-current", "page");

            // The summary covers the whole plan; the cards are a page of 10.
            Locator summary = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Plan summary"));
            assertThat(stat(summary, "Files")).hasText(String.valueOf(total));
            assertThat(stat(summary, "Danger")).hasText("1");
            assertThat(stat(summary, "Warning")).hasText("1");
            assertThat(stat(summary, "Safe")).hasText(String.valueOf(total - 2));
            assertThat(stat(summary, "With provenance")).hasText("1");
            Locator cards = page.locator("article.tag-card");
            assertThat(cards).hasCount(10);
            assertThat(page.getByTestId("plan-count")).hasText(total + " files · page 1 of 2");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Next page")).click();
            assertThat(cards).hasCount(total - 10);
            assertThat(page.getByTestId("plan-count")).hasText(total + " files · page 2 of 2");
            BrowserHarness.screenshot(page, "tagging");
            Locator export = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Export plan (JSON)"));
            assertThat(export).hasAttribute("href", "/api/metadata/plan/export");
            JsonNode exported = get(export.getAttribute("href"));
            assertEquals(total, exported.get("items").size(), "the export holds the whole plan");

            // Filter by risk: the danger file, its comment and what replaces it.
            Locator risk = page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName("Risk"));
            risk.selectOption("danger");
            assertThat(cards).hasCount(1);
            Locator dangerCard = card(page, danger);
            assertThat(dangerCard).hasAttribute("data-risk", "danger");
            dangerCard.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Details")).click();
            assertThat(dangerCard.getByRole(AriaRole.REGION, new Locator.GetByRoleOptions().setName("Current comment"))).containsText(HAND_WRITTEN);
            assertThat(dangerCard.getByRole(AriaRole.REGION, new Locator.GetByRoleOptions().setName("Result comment")))
                    .hasText("After the write" + danger.get("result_comment").asText());
            dangerCard.getByRole(AriaRole.CHECKBOX, new Locator.GetByRoleOptions().setName("Select " + dangerFile)).check();

            // The ComfyUI file: a warning whose provenance is shown and whose JSON is kept.
            risk.selectOption("warning");
            assertThat(cards).hasCount(1);
            Locator comfyCard = card(page, comfy);
            comfyCard.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Details")).click();
            Locator provenance = comfyCard.getByRole(AriaRole.REGION, new Locator.GetByRoleOptions().setName("Generation provenance"));
            assertThat(provenance).containsText("from a receipt");
            assertThat(provenance).containsText("wan2.2-i2v-14b");
            assertThat(provenance).containsText(String.valueOf(comfySeed));
            assertThat(comfyCard.locator(".tag-warnings")).containsText("keeps ComfyUI's prompt/workflow JSON");
            assertThat(comfyCard.getByRole(AriaRole.CHECKBOX, new Locator.GetByRoleOptions().setName("Keep the current comment text"))).isChecked();
            comfyCard.getByRole(AriaRole.CHECKBOX, new Locator.GetByRoleOptions().setName("Select " + comfyFile)).check();
            BrowserHarness.screenshot(page, "tagging-provenance");

            // Search finds the file to edit; its people are edited inline and the plan is recomputed.
            risk.selectOption("");
            Locator search = page.getByRole(AriaRole.SEARCHBOX, new Page.GetByRoleOptions().setName("Search"));
            String relative = editedFile.getParent().getParent().getFileName() + "/" + editedFile.getParent().getFileName()
                    + "/" + editedFile.getFileName();
            search.fill(relative);
            search.press("Enter");
            assertThat(cards).hasCount(1);
            Locator editCard = card(page, edited);
            editCard.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Details")).click();
            Locator people = editCard.getByRole(AriaRole.TEXTBOX, new Locator.GetByRoleOptions().setName("People (comma-separated)"));
            people.fill(editedPeople);
            editCard.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save people")).click();
            assertThat(editCard.locator(".tag-diff")).containsText("+ Zed Stone");
            assertThat(editCard.locator(".badge", new Locator.LocatorOptions().setHasText("edited"))).isVisible();
            assertThat(editCard.getByRole(AriaRole.REGION, new Locator.GetByRoleOptions().setName("Result comment")))
                    .hasText("After the write" + "People: " + editedPeople);
            JsonNode editedNow = item(get("/api/metadata/plan?per_page=100"), edited.get("file_hash").asText());
            assertEquals(editedPeople, String.join(", ", names(editedNow.get("result_people"))));
            assertTrue(editedNow.get("edited").asBoolean());
            assertThat(stat(summary, "Danger")).hasText("1");

            // Bulk selection works on the whole plan, across pages and filters.
            Locator count = page.getByTestId("selection-count");
            assertThat(count).hasText("2 of " + total + " files selected");
            Locator select = page.getByRole(AriaRole.GROUP, new Page.GetByRoleOptions().setName("Select"));
            select.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("All").setExact(true)).click();
            assertThat(count).hasText(total + " of " + total + " files selected");
            select.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("None").setExact(true)).click();
            assertThat(count).hasText("0 of " + total + " files selected");
            select.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Danger").setExact(true)).click();
            assertThat(count).hasText("1 of " + total + " files selected");
            select.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Inverse").setExact(true)).click();
            assertThat(count).hasText((total - 1) + " of " + total + " files selected");
            assertThat(editCard.getByRole(AriaRole.CHECKBOX, new Locator.GetByRoleOptions().setName("Select " + editedFile))).isChecked();
            select.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Edited").setExact(true)).click();
            assertThat(count).hasText("1 of " + total + " files selected");
            select.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("With provenance").setExact(true)).click();
            assertThat(count).hasText("1 of " + total + " files selected");
            // The three files to write: the edited one (checked on its card), the ComfyUI one and the danger one.
            editCard.getByRole(AriaRole.CHECKBOX, new Locator.GetByRoleOptions().setName("Select " + editedFile)).check();
            risk.selectOption("danger");
            search.fill("");
            search.press("Enter");
            assertThat(cards).hasCount(1);
            card(page, danger).getByRole(AriaRole.CHECKBOX).check();
            assertThat(count).hasText("3 of " + total + " files selected");

            // A dry run checks the three files in the background (an operation of its own, followed live) and writes nothing.
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Dry run")).click();
            Locator dry = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Dry run"));
            assertThat(dry.getByRole(AriaRole.STATUS)).hasText("Dry run: 3 ok · 0 with errors · 0 skipped · 0 files written.");
            assertEquals(Optional.empty(), probe.probe(editedFile).comment(), "a dry run writes nothing");
            assertEquals(Optional.of(HAND_WRITTEN), probe.probe(dangerFile).comment());
            assertEquals(Optional.of(comfyOriginal), probe.probe(comfyFile).comment());
            assertEquals(0, get("/api/metadata/history").get("total").asInt(), "a dry run is no write in the history");
            JsonNode dryRuns = get("/api/metadata/history?type=dry_run");
            assertEquals(1, dryRuns.get("total").asInt(), "the dry run ran as a background operation");
            assertEquals("completed", dryRuns.get("items").get(0).get("status").asText());

            // Writing a danger file asks first; Cancel writes nothing, confirming writes all three.
            Locator write = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Write selected (3)"));
            write.click();
            Locator dialog = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Replace comment text?"));
            assertThat(dialog).containsText("1 of the 3 files you selected carry comment text");
            BrowserHarness.screenshot(page, "tagging-confirm");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel")).click();
            assertThat(dialog).hasCount(0);
            assertEquals(0, get("/api/metadata/history").get("total").asInt(), "cancelled: nothing started");
            write.click();
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Replace and write")).click();
            Locator monitor = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName(Pattern.compile("^Write #\\d+$")));
            assertThat(monitor).hasAttribute("data-status", "completed", new com.microsoft.playwright.assertions.LocatorAssertions
                    .HasAttributeOptions().setTimeout(60_000));
            assertThat(monitor.getByRole(AriaRole.PROGRESSBAR)).hasAttribute("aria-valuetext", "100% (3 of 3)");
            assertThat(monitor.getByRole(AriaRole.STATUS)).hasText("3 written · 0 failed · 0 skipped");
            assertTrue(requested.stream().anyMatch(u -> u.matches(".*/api/jobs/\\d+/events$")),
                    "the monitor followed the write job's event stream: " + requested);
            assertThat(monitor.locator(".tag-operation-items li[data-status='success']")).hasCount(3);
            assertThat(count).hasText(Pattern.compile("^0 of \\d+ files? selected$"));
            assertThat(stat(summary, "Danger")).hasText("0");
            assertThat(stat(summary, "Unchanged")).hasText("3");
            BrowserHarness.screenshot(page, "tagging-written");

            // ffprobe reads back what was written.
            assertEquals(Optional.of("People: " + editedPeople), probe.probe(editedFile).comment());
            assertEquals(Optional.of(danger.get("result_comment").asText()), probe.probe(dangerFile).comment());
            // the ComfyUI JSON stays byte-identical; its people went to their own mdta key
            String comfyWritten = probe.probe(comfyFile).comment().orElseThrow();
            assertEquals(comfyOriginal, comfyWritten);
            assertEquals(String.join(", ", names(comfy.get("result_people"))),
                    dev.reelmark.tagging.TagWriter.peopleKeyOfProbe(new dev.reelmark.tagging.TagWriter(
                            dev.reelmark.media.FfmpegTools::defaults, java.time.Duration.ofSeconds(60)).probeFull(comfyFile)));

            // Someone changes the danger file's comment after the write: the rollback leaves it alone as a conflict.
            synth.synthesize(ClipSpec.small().withTag("comment", "Changed by hand later"), dangerFile);

            page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Tagging views"))
                    .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("History")).click();
            Locator entries = page.locator("article.tag-history-entry");
            assertThat(entries).hasCount(1);
            long writeId = get("/api/metadata/history").get("items").get(0).get("id").asLong();
            Locator entry = page.locator("article.tag-history-entry[aria-label='Operation #" + writeId + "']");
            assertThat(entry).hasAttribute("data-status", "completed");
            assertThat(entry).containsText("3 written · 0 failed · 0 skipped of 3");
            entry.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Files")).click();
            Locator rows = entry.getByRole(AriaRole.TABLE).locator("tbody tr");
            assertThat(rows).hasCount(3);
            assertThat(rows.filter(new Locator.FilterOptions().setHasText(editedFile.toString()))).containsText("+ Zed Stone");
            assertThat(rows.filter(new Locator.FilterOptions().setHasText(dangerFile.toString())).locator(".tag-comment-before")).hasText(HAND_WRITTEN);
            BrowserHarness.screenshot(page, "tagging-history");

            entry.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Rollback")).click();
            // a rollback asks first
            Locator askRollback = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Roll back operation #" + writeId + "?"));
            assertThat(askRollback).containsText("restored from their backups");
            askRollback.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Roll back")).click();
            // a background rollback: its job checks each file, so the conflict is listed when it ends
            Locator rollbackMonitor = entry.getByRole(AriaRole.REGION, new Locator.GetByRoleOptions().setName(Pattern.compile("^Rollback #\\d+$")));
            assertThat(rollbackMonitor).hasAttribute("data-status", "completed_with_errors", new com.microsoft.playwright.assertions
                    .LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
            Locator rollbackStatus = entry.locator(".tag-rollback > p[role='status']");
            assertThat(rollbackStatus).containsText(Pattern.compile("Rollback #\\d+: 2 restored, 1 conflict\\."));
            Locator conflicts = entry.getByRole(AriaRole.LIST, new Locator.GetByRoleOptions().setName("Rollback conflicts"));
            assertThat(conflicts.locator("li")).hasCount(1);
            assertThat(conflicts).containsText(dangerFile.toString());
            assertThat(conflicts).containsText("the comment changed since Reelmark wrote it");
            assertThat(rollbackMonitor.getByRole(AriaRole.STATUS)).hasText("2 written · 1 failed · 0 skipped — 1 file(s) failed");
            // The history reloads when the rollback ends: the rollback on top, the write partially rolled back.
            assertThat(entries).hasCount(2, new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(60_000));
            assertThat(entries.nth(0)).containsText("Rollback");
            assertThat(entries.nth(0)).containsText("undoes #");
            assertThat(entries.nth(1)).hasAttribute("aria-label", "Operation #" + writeId);
            assertThat(entry).hasAttribute("data-status", "partially_rolled_back");
            assertThat(conflicts).containsText(dangerFile.toString());
            BrowserHarness.screenshot(page, "tagging-rollback");

            // The original comments are back, and the changed file was left as it was.
            assertEquals(Optional.empty(), probe.probe(editedFile).comment(), "the edited file had no comment before");
            assertEquals(Optional.of(comfyOriginal), probe.probe(comfyFile).comment());
            assertEquals(Optional.of("Changed by hand later"), probe.probe(dangerFile).comment());
        }
        assertEquals(List.of(), pageErrors, "the page logged errors");
    }

    @Test
    @Order(2)
    void thePlannerAndTheHistoryFitAPhone() throws InterruptedException {
        // real history rows first: a write of one ready file, finished before the page opens
        String ready = get("/api/metadata/plan?per_page=1").get("categories").get("ready").get(0).asText();
        APIResponse wrote = harness.api.post("/api/metadata/write", com.microsoft.playwright.options.RequestOptions.create()
                .setHeader("Content-Type", "application/json")
                .setData("{\"file_hashes\": [\"" + ready + "\"], \"confirm_danger\": true, \"note\": \"phone width check\"}"));
        assertEquals(202, wrote.status(), wrote.text());
        var job = harness.app.jobs().awaitTerminal(Json.parse(wrote.text()).get("job_id").asLong(), java.time.Duration.ofSeconds(60));
        assertEquals(dev.reelmark.jobs.JobStatus.COMPLETED, job.status(), String.valueOf(job.error()));
        List<String> pageErrors = new ArrayList<>();
        Page page = harness.newPage(390, 844, pageErrors);
        try (BrowserContext context = page.context()) {
            page.navigate("/tagging");
            Locator cards = page.locator("article.tag-card");
            assertThat(cards).hasCount(10);
            // each planned file names the catalog's clips that use it (the segment-labels names), with thumbnails
            JsonNode listed = null;
            for (JsonNode i : get("/api/metadata/plan?per_page=10").get("items")) if (listed == null && !i.get("segment_ids").isEmpty()) listed = i;
            assertTrue(listed != null, "a planned file is used by a segment");
            String label = get("/api/segment-labels?ids=" + listed.get("segment_ids").get(0).asLong()).get("items").get(0).get("label").asText();
            assertTrue(label.contains(" · seg "), label);
            assertThat(card(page, listed).locator("ul.tag-card-clips")).containsText(label);
            page.waitForFunction("() => [...document.querySelectorAll('ul.tag-card-clips img.clip-thumb')].some(i => i.complete && i.naturalWidth > 0)");
            cards.first().getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Details")).click();
            assertThat(cards.first().getByRole(AriaRole.REGION, new Locator.GetByRoleOptions().setName("Result comment"))).isVisible();
            assertNoHorizontalOverflow(page, "planner");
            BrowserHarness.screenshot(page, "tagging-phone");
            page.navigate("/tagging?view=history");
            assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Tagging views"))
                    .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("History"))).hasAttribute("aria-current", "page");
            Locator entries = page.locator("article.tag-history-entry");
            assertThat(entries.first()).containsText("phone width check");
            assertTrue(entries.count() >= 1);
            entries.first().getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Files")).click();
            assertThat(entries.first().getByRole(AriaRole.TABLE).locator("tbody tr")).hasCount(1);
            assertNoHorizontalOverflow(page, "history with a write and its files");
            BrowserHarness.screenshot(page, "tagging-history-phone");
        }
        assertEquals(List.of(), pageErrors, "the page logged errors");
    }

    // ---- helpers ----

    private static void assertNoHorizontalOverflow(Page page, String what) {
        int scroll = ((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue();
        int view = ((Number) page.evaluate("() => window.innerWidth")).intValue();
        Object culprits = page.evaluate("view => [...document.querySelectorAll('body *')]"
                + ".filter(el => el.getBoundingClientRect().right > view + 1).slice(0, 5)"
                + ".map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))", view);
        assertTrue(scroll <= view, what + " scrolls sideways on a phone (" + scroll + " > " + view + "): " + culprits);
    }

    private static Locator stat(Locator summary, String label) {
        return summary.locator("[data-stat='" + label + "'] dd");
    }

    private static Locator card(Page page, JsonNode item) {
        return page.locator("article.tag-card[data-file-hash='" + item.get("file_hash").asText() + "']");
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode only(JsonNode plan, String risk) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode i : plan.get("items")) if (i.get("risk_level").asText().equals(risk)) found.add(i);
        assertEquals(1, found.size(), "one " + risk + " file in the plan: " + found);
        return found.get(0);
    }

    private static JsonNode item(JsonNode plan, String hash) {
        for (JsonNode i : plan.get("items")) if (i.get("file_hash").asText().equals(hash)) return i;
        throw new AssertionError("no planned file " + hash);
    }

    private JsonNode get(String path) {
        APIResponse response = harness.api.get(path);
        assertTrue(response.ok(), "GET " + path + " → " + response.status() + " " + response.text());
        return Json.parse(response.text());
    }
}
