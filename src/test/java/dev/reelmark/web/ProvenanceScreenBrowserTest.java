package dev.reelmark.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.reelmark.app.DemoStudio;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.provenance.ProvenanceService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Provenance screens as a person uses them: Debian's Chromium (Playwright) against the real server on a fresh
 * demo studio whose segments got generation receipts (and one LoRA a new version, so some segments are stale).
 * A segment's receipt panel (collapsible sections, copy a hash), stale markers on a scene's segments, the staleness
 * report with "Re-generate selected" followed to the job's end, and an asset's usage per version.
 * Screenshots: target/screenshots/provenance*.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvenanceScreenBrowserTest {
    private BrowserHarness harness;
    private ProvenanceService provenance;
    private long projectId;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        harness = new BrowserHarness(dataDir);
        provenance = harness.app.provenance();
        projectId = harness.app.catalog().findProjectByName(DemoStudio.PROJECT_NAME).orElseThrow().get("id").longValue();
        int written = provenance.recordDemoReceipts(projectId);
        assertTrue(written > 0, "the demo segments got receipts");
    }

    @AfterAll
    void stop() {
        if (harness != null) harness.close();
    }

    /** What the screens call a segment: "Chloé Martin — dance · seg 0". */
    private String label(long segmentId) {
        return dev.reelmark.json.Json.parse(harness.api.get("/api/segment-labels?ids=" + segmentId).text())
                .get("items").get(0).get("label").asText();
    }

    private static Locator h1(Page page) {
        return page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1));
    }

    @Test
    void staleMarkersOnTheSceneLeadToAReceiptPanelWithCollapsibleSectionsAndCopyableHashes() {
        List<String> pageErrors = new ArrayList<>();
        Page page = harness.newPage(1280, 900, pageErrors);
        try (BrowserContext context = page.context()) {
            context.grantPermissions(List.of("clipboard-read", "clipboard-write"),
                    new BrowserContext.GrantPermissionsOptions().setOrigin(harness.baseUrl));
            // Segment 1 of the demo used the model's first version and smooth-motion v1: stale.
            ObjectNode forward = provenance.segmentProvenance(1);
            assertTrue(forward.get("stale").asBoolean(), "demo segment 1 is stale");
            long sceneId = forward.get("segment").get("scene_id").longValue();
            Set<Long> stale = staleIds();
            List<Long> sceneSegments = new ArrayList<>();
            harness.app.catalog().list(CatalogModel.SEGMENTS, Map.of("scene_id", sceneId), 100, null).items()
                    .forEach(s -> sceneSegments.add(s.get("id").longValue()));
            long staleHere = sceneSegments.stream().filter(stale::contains).count();
            assertTrue(staleHere > 0 && staleHere < sceneSegments.size(), "the scene mixes stale and current segments: " + sceneSegments);

            page.navigate("/catalog/scenes/" + sceneId);
            Locator cards = page.locator("article.segment-card");
            assertThat(cards).hasCount(sceneSegments.size());
            assertThat(page.locator("article.segment-card .stale-marker")).hasCount((int) staleHere);
            for (long id : sceneSegments) {
                Locator marker = page.locator("article.segment-card[data-segment-id=\"" + id + "\"] .stale-marker");
                if (stale.contains(id)) assertThat(marker).hasText("stale");
                else assertThat(marker).hasCount(0);
            }
            Locator marker = page.locator("article.segment-card[data-segment-id=\"1\"] .stale-marker");
            assertThat(marker).hasAttribute("title", Pattern.compile("lora smooth-motion v1 → v2"));
            BrowserHarness.screenshot(page, "provenance-scene-markers");

            marker.click();
            page.waitForURL(harness.baseUrl + "/provenance/segments/1");
            assertThat(h1(page)).hasText(label(1));
            assertThat(page).hasTitle(label(1) + " receipt · Reelmark");
            Locator panel = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Generation receipt"));
            assertThat(panel.locator(".receipt-header .badge")).hasText("stale");
            assertThat(panel.getByRole(AriaRole.LIST, new Locator.GetByRoleOptions().setName("Why it is stale")))
                    .containsText("model wan2.2-i2v-14b 2.2.0 → 2.2.1");

            // "Assets used" is open: model, workflow and both LoRAs with version, weight and hash.
            Locator assets = panel.locator("table.receipt-assets");
            assertThat(assets).isVisible();
            assertThat(assets.locator("tr[data-kind=model]")).containsText("wan2.2-i2v-14b");
            assertThat(assets.locator("tr[data-kind=model]")).containsText("2.2.0");
            assertThat(assets.locator("tr[data-kind=workflow]")).containsText("i2v-chained-segments");
            Locator loras = assets.locator("tr[data-kind=lora]");
            assertThat(loras).hasCount(2);
            assertThat(loras.nth(1)).containsText("smooth-motion");
            assertThat(loras.nth(1)).containsText("v1");
            assertThat(loras.nth(1)).containsText("0.45");
            JsonNode latest = forward.get("latest");
            String modelHash = latest.get("model_hash").asText();
            assertThat(assets.locator("tr[data-kind=model] code")).hasText(modelHash.substring(0, 12) + "…");
            assertThat(assets.locator("tr[data-kind=model] code")).hasAttribute("title", modelHash);

            // The other sections start collapsed and open on a click.
            Locator prompt = panel.locator("details[data-section=Prompt]");
            assertThat(prompt.getByText(latest.get("prompt_text").asText())).isHidden();
            prompt.locator("summary").click();
            assertThat(prompt.getByText(latest.get("prompt_text").asText())).isVisible();
            assertThat(prompt).containsText("blurry, extra fingers, watermark");
            Locator sampling = panel.locator("details[data-section=Sampling]");
            assertThat(sampling.getByText("euler")).isHidden();
            sampling.locator("summary").click();
            assertThat(sampling.getByText("euler")).isVisible();
            assertThat(sampling).containsText("832×480");
            assertThat(sampling).containsText(latest.get("seed").asText());
            assertThat(sampling).containsText("6.5");
            Locator timing = panel.locator("details[data-section=Timing]");
            timing.locator("summary").click();
            assertThat(timing).containsText("1 min 15 s");
            assertThat(timing.locator("time").first()).hasAttribute("datetime", latest.get("generation_started_at").asText());
            Locator images = panel.locator("details[data-section=\"Source images\"]");
            images.locator("summary").click();
            assertThat(images).containsText("#" + latest.get("source_image_id").asText());
            Locator all = panel.locator("details[data-section=\"All receipts (1)\"]");
            all.locator("summary").click();
            assertThat(all.locator("tbody tr")).hasCount(1);

            // Copy the inputs hash: a visible confirmation, and the clipboard holds the whole hash.
            Locator copy = panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Copy inputs hash").setExact(true));
            copy.click();
            Locator confirmation = copy.locator("xpath=following-sibling::*[@role='status']");
            assertThat(confirmation).hasText("Copied");
            assertEquals(latest.get("inputs_hash").asText(), page.evaluate("() => navigator.clipboard.readText()"));
            BrowserHarness.screenshot(page, "provenance-receipt");
            // The confirmation goes away by itself.
            assertThat(confirmation).hasText("", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(6_000));
        }
        assertEquals(List.of(), pageErrors, "the page logged errors");
    }

    @Test
    void theStalenessReportRegeneratesTheSelectedSegmentsAndUpdates() {
        List<String> pageErrors = new ArrayList<>();
        Page page = harness.newPage(1280, 900, pageErrors);
        try (BrowserContext context = page.context()) {
            ObjectNode report = provenance.stalenessReport(projectId, null);
            int totalStale = report.get("total_stale_segments").asInt();
            int totalSegments = report.get("total_segments").asInt();
            assertTrue(totalStale >= 3, "the demo has stale segments: " + totalStale);

            page.navigate("/catalog");
            page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))
                    .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Provenance").setExact(true)).click();
            page.waitForURL(harness.baseUrl + "/provenance");
            assertThat(h1(page)).hasText("Provenance");
            assertThat(page).hasTitle("Provenance · Reelmark");
            Locator main = page.getByRole(AriaRole.MAIN);
            assertThat(main).containsText("5 segments across 2 scenes used chloe-likeness v1 — you are on v2");
            Locator groups = page.locator(".stale-group");
            assertThat(groups).hasCount(report.get("by_asset").size());
            for (JsonNode g : report.get("by_asset")) {
                assertThat(page.locator(".stale-group[data-asset-name=\"" + g.get("asset_name").asText() + "\"]"))
                        .containsText(g.get("message").asText());
            }
            assertThat(page.getByTestId("total-stale")).hasText(String.valueOf(totalStale));
            assertThat(page.getByTestId("total-segments")).hasText(String.valueOf(totalSegments));

            Locator rows = page.locator("table.stale-table tbody tr");
            assertThat(rows).hasCount(totalStale);
            Locator regenerate = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("^Re-generate selected")));
            assertThat(regenerate).hasText("Re-generate selected (0)");
            assertThat(regenerate).isDisabled();

            // Select all, then none.
            Locator selectAll = page.getByRole(AriaRole.CHECKBOX, new Page.GetByRoleOptions().setName("Select all stale segments"));
            selectAll.check();
            assertThat(regenerate).hasText("Re-generate selected (" + totalStale + ")");
            assertThat(page.locator("table.stale-table tbody input[type=checkbox]:checked")).hasCount(totalStale);
            selectAll.uncheck();
            assertThat(regenerate).hasText("Re-generate selected (0)");
            assertThat(page.locator("table.stale-table tbody input[type=checkbox]:checked")).hasCount(0);

            // Two segments, regenerated.
            long first = report.get("stale_segments").get(0).get("segment_id").longValue();
            long second = report.get("stale_segments").get(1).get("segment_id").longValue();
            page.getByRole(AriaRole.CHECKBOX, new Page.GetByRoleOptions().setName("Select " + label(first)).setExact(true)).check();
            page.getByRole(AriaRole.CHECKBOX, new Page.GetByRoleOptions().setName("Select " + label(second)).setExact(true)).check();
            assertThat(regenerate).hasText("Re-generate selected (2)");
            assertThat(regenerate).isEnabled();
            regenerate.click();

            Locator jobCard = page.locator(".regeneration-jobs article.job-card");
            assertThat(jobCard).hasCount(1);
            assertThat(page.locator(".regeneration-jobs [role=status]")).containsText("2 segment(s) queued for regeneration");
            assertThat(jobCard).hasAttribute("data-status", "completed", new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions().setTimeout(30_000));
            assertThat(jobCard.getByRole(AriaRole.PROGRESSBAR)).hasAttribute("aria-valuenow", "100");
            Locator newSegments = jobCard.getByRole(AriaRole.LIST, new Locator.GetByRoleOptions().setName("New segments")).locator("li");
            assertThat(newSegments).hasCount(2);

            // The server made two new pending segments, and the report, reloaded, names them on the old ones.
            long newFirst = provenance.segmentProvenance(first).get("regenerations").get(0).get("new_segment_id").longValue();
            long newSecond = provenance.segmentProvenance(second).get("regenerations").get(0).get("new_segment_id").longValue();
            assertEquals("pending", harness.app.catalog().get(CatalogModel.SEGMENTS, newFirst).get("status").asText());
            assertThat(newSegments.nth(0)).containsText(label(first) + " → new take #" + newFirst);
            assertThat(page.getByTestId("total-segments")).hasText(String.valueOf(totalSegments + 2));
            assertThat(page.locator("tr[data-segment-id=\"" + first + "\"] td.regenerated-as")).hasText("new take #" + newFirst + "pending");
            assertThat(page.locator("tr[data-segment-id=\"" + second + "\"] td.regenerated-as")).hasText("new take #" + newSecond + "pending");
            // a segment with a pending take cannot be queued twice
            assertThat(page.getByRole(AriaRole.CHECKBOX, new Page.GetByRoleOptions().setName(label(first) + " already has a pending take"))).isDisabled();
            long third = report.get("stale_segments").get(2).get("segment_id").longValue();
            assertThat(page.locator("tr[data-segment-id=\"" + third + "\"] td.regenerated-as")).hasText("—");
            assertThat(regenerate).hasText("Re-generate selected (0)");
            BrowserHarness.screenshot(page, "provenance");

            // The new segment appears on its scene, pending, without a stale marker (it has no receipt yet).
            long scene = report.get("stale_segments").get(0).get("scene_id").longValue();
            page.navigate("/catalog/scenes/" + scene);
            Locator newCard = page.locator("article.segment-card[data-segment-id=\"" + newFirst + "\"]");
            assertThat(newCard).isVisible();
            assertThat(newCard.locator(".segment-header")).containsText("pending");
            assertThat(newCard.locator(".stale-marker")).hasCount(0);
            assertThat(page.locator("article.segment-card[data-segment-id=\"" + first + "\"] .stale-marker")).isVisible();
        }
        assertEquals(List.of(), pageErrors, "the page logged errors");
    }

    @Test
    void anAssetsVersionTimelineShowsHowManySegmentsUsedEachVersion() {
        List<String> pageErrors = new ArrayList<>();
        Page page = harness.newPage(1280, 900, pageErrors);
        try (BrowserContext context = page.context()) {
            long chloe = harness.app.catalog().list(CatalogModel.ASSETS, Map.of("kind", "lora"), 100, null).items().stream()
                    .filter(a -> a.get("name").asText().equals("chloe-likeness") && a.get("is_current_version").asBoolean())
                    .findFirst().orElseThrow().get("id").longValue();
            int v1Segments = provenance.assetUsage(chloe, "v1", 1, null).get("segments").asInt();
            int v2Segments = provenance.assetUsage(chloe, "v2", 1, null).get("segments").asInt();
            assertEquals(5, v1Segments, "the demo's Chloe segments used chloe-likeness v1");
            assertEquals(0, v2Segments);

            page.navigate("/catalog/assets");
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Usage by version of chloe-likeness").setExact(true)).click();
            page.waitForURL(harness.baseUrl + "/provenance/assets/" + chloe);
            assertThat(h1(page)).hasText("chloe-likeness");
            Locator v1 = page.locator(".usage-timeline li[data-version-label=v1]");
            Locator v2 = page.locator(".usage-timeline li[data-version-label=v2]");
            assertThat(v1.locator(".usage-count")).hasText("used by 5 segments (5 receipts)");
            assertThat(v2.locator(".usage-count")).hasText("used by 0 segments (0 receipts)");
            assertThat(v2).hasAttribute("aria-current", "true");
            assertThat(v2).containsText("current");
            assertThat(page.getByRole(AriaRole.MAIN)).containsText("5 receipts across 5 segments used a version of this asset.");
            Locator uses = page.locator("section[aria-labelledby=usage-recent-heading] tbody tr");
            assertThat(uses).hasCount(5);
            assertThat(uses.first()).containsText("weight 0.8");
            BrowserHarness.screenshot(page, "provenance-asset-usage");

            // From a use to the segment's receipt.
            uses.first().getByRole(AriaRole.LINK).click();
            assertThat(page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Generation receipt"))
                    .locator("tr[data-kind=lora]").filter(new Locator.FilterOptions().setHasText("chloe-likeness"))).containsText("v1");
        }
        assertEquals(List.of(), pageErrors, "the page logged errors");
    }

    @Test
    void theProvenanceScreensFitAPhone() {
        List<String> pageErrors = new ArrayList<>();
        Page page = harness.newPage(390, 844, pageErrors);
        try (BrowserContext context = page.context()) {
            page.navigate("/provenance");
            assertThat(page.locator("table.stale-table tbody tr").first()).isVisible();
            assertNoHorizontalOverflow(page, "provenance report");
            BrowserHarness.screenshot(page, "provenance-phone");
            page.navigate("/provenance/segments/1");
            Locator panel = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Generation receipt"));
            assertThat(panel.locator("table.receipt-assets")).isVisible();
            panel.locator("details[data-section=Sampling] summary").click();
            assertNoHorizontalOverflow(page, "receipt panel");
            BrowserHarness.screenshot(page, "provenance-receipt-phone");
        }
        assertEquals(List.of(), pageErrors, "the page logged errors");
    }

    private static void assertNoHorizontalOverflow(Page page, String where) {
        var sizes = (Map<?, ?>) page.evaluate("() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth })");
        int scroll = ((Number) sizes.get("scroll")).intValue();
        int view = ((Number) sizes.get("view")).intValue();
        if (scroll > view) {
            Object culprits = page.evaluate("view => [...document.querySelectorAll('body *')]"
                    + ".filter(el => el.getBoundingClientRect().right > view)"
                    + ".slice(0, 8).map(el => el.tagName.toLowerCase() + '.' + el.className + ' → ' + Math.round(el.getBoundingClientRect().right))", view);
            org.junit.jupiter.api.Assertions.fail(where + ": the page is " + scroll + " px wide on a " + view + " px screen; too wide: " + culprits);
        }
    }

    private Set<Long> staleIds() {
        Set<Long> ids = new HashSet<>();
        provenance.stalenessReport(projectId, null).get("stale_segments").forEach(s -> ids.add(s.get("segment_id").longValue()));
        assertFalse(ids.isEmpty());
        return ids;
    }
}
