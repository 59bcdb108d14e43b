package dev.reelmark.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.RequestOptions;
import dev.reelmark.app.DemoStudio;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.json.Json;
import dev.reelmark.provenance.ProvenanceService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Watching and comparing clips, and a page that follows the server live: Debian's Chromium (Playwright) against the
 * real server on a fresh demo studio. A scene's player plays (readyState ≥ 2) and seeks with HTTP range requests the
 * server answers 206; frame stepping moves one frame; the A/B view of a regenerated segment plays both takes in step;
 * a character created through the API appears on an open project page within 2 s. Screenshots: target/screenshots/watch*.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchScreenBrowserTest {
    private BrowserHarness harness;
    private long projectId;

    /** One media answer the browser got: the request's Range header and the status. */
    record MediaExchange(String url, String range, int status, String contentRange) {
    }

    @BeforeAll
    void start(@TempDir Path dataDir) {
        harness = new BrowserHarness(dataDir);
        projectId = harness.app.catalog().findProjectByName(DemoStudio.PROJECT_NAME).orElseThrow().get("id").longValue();
    }

    @AfterAll
    void stop() {
        if (harness != null) harness.close();
    }

    private static void awaitReady(Locator video) {
        video.page().waitForFunction("v => v.readyState >= 2", video.elementHandle(),
                new Page.WaitForFunctionOptions().setTimeout(30_000));
    }

    @Test
    void aScenesPlayerPlaysSeeksWithRangeRequestsAndStepsFrameByFrame() {
        List<String> errors = new ArrayList<>();
        Page page = harness.newPage(1280, 900, errors);
        List<MediaExchange> media = new CopyOnWriteArrayList<>();
        page.onResponse(r -> {
            if (r.url().contains("/video")) {
                media.add(new MediaExchange(r.url(), r.request().headers().get("range"), r.status(), r.headers().get("content-range")));
            }
        });
        try (BrowserContext ignored = page.context()) {
            JsonNode scene = harness.app.catalog().list(CatalogModel.SCENES, Map.of(), 1, null).items().get(0);
            page.navigate("/catalog/scenes/" + scene.get("id").longValue());
            Locator video = page.locator("section.watch video.player-video");
            assertThat(video).hasCount(1);
            awaitReady(video);
            assertTrue(((Number) video.evaluate("v => v.readyState")).intValue() >= 2);
            Locator select = page.locator("section.watch select");
            assertThat(select.locator("option").first()).containsText(" — ");
            assertThat(select.locator("option").first()).containsText(" · seg ");

            // play a little, then seek into the clip: the browser asks for byte ranges and the server answers 206
            video.evaluate("v => v.play()");
            page.waitForFunction("v => v.currentTime > 0.1 || v.ended", video.elementHandle());
            video.evaluate("v => { v.pause(); v.currentTime = v.duration * 0.6; }");
            page.waitForFunction("v => !v.seeking && v.readyState >= 2", video.elementHandle());
            assertTrue(media.stream().anyMatch(m -> m.range() != null && m.status() == 206 && m.contentRange() != null
                    && m.contentRange().startsWith("bytes ")), "the player made range requests answered 206: " + media);

            // frame stepping: back to frame 0, then one frame forward
            Locator readout = page.locator("section.watch .frame-readout");
            for (int i = 0; i < 200 && !"0".equals(readout.getAttribute("data-frame")); i++) {
                page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Previous frame")).click();
            }
            assertThat(readout).hasAttribute("data-frame", "0");
            assertThat(readout).containsText("00:00:00:00");
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Next frame")).click();
            assertThat(readout).hasAttribute("data-frame", "1");
            assertThat(readout).containsText("00:00:00:01");
            page.waitForFunction("v => !v.seeking", video.elementHandle());
            double t = ((Number) video.evaluate("v => v.currentTime")).doubleValue();
            assertTrue(t > 0 && t < 0.1, "one frame in: " + t);
            BrowserHarness.screenshot(page, "watch-scene");
        }
        assertEquals(List.of(), errors, "the page logged errors");
    }

    @Test
    void theABViewOfARegeneratedSegmentPlaysBothTakesInStep() throws Exception {
        ProvenanceService provenance = harness.app.provenance();
        provenance.recordDemoReceipts(projectId);
        ObjectNode report = provenance.stalenessReport(projectId, null);
        JsonNode stale = report.get("stale_segments").get(0);
        long old = stale.get("segment_id").longValue();
        ObjectNode queued = provenance.regenerateStale(projectId, List.of(old));
        harness.app.jobs().awaitTerminal(queued.get("job").get("id").longValue(), Duration.ofSeconds(60));
        long fresh = provenance.segmentProvenance(old).get("regenerations").get(0).get("new_segment_id").longValue();

        List<String> errors = new ArrayList<>();
        Page page = harness.newPage(1280, 1000, errors);
        try (BrowserContext ignored = page.context()) {
            // before the generator delivered: the new take is pending next to the old one, not an error card
            long sceneId = stale.get("scene_id").longValue();
            page.navigate("/catalog/scenes/" + sceneId);
            Locator card = page.locator("article.segment-card[data-segment-id=\"" + fresh + "\"]");
            assertThat(card.locator(".draft-note")).containsText("pending");
            assertThat(card.locator(".draft-note")).containsText("replaces segment #" + old);
            assertThat(card.locator(".error-notice, [role=alert]")).hasCount(0);
            Locator cards = page.locator("article.segment-card");
            List<String> order = new ArrayList<>();
            for (int i = 0; i < cards.count(); i++) order.add(cards.nth(i).getAttribute("data-segment-id"));
            assertEquals(order.indexOf(String.valueOf(old)) + 1, order.indexOf(String.valueOf(fresh)),
                    "the pending take sits right after the segment it replaces: " + order);

            // the generator delivers the new take (a copy of the old clip, as a re-render at the same settings would be)
            String oldPath = harness.app.catalog().get(CatalogModel.SEGMENTS, old).get("output_video_path").asText();
            Path source = harness.app.config().dataDir().resolve(oldPath);
            String name = source.getFileName().toString();
            Path copy = source.resolveSibling("regenerated " + name);
            Files.copy(source, copy);
            String relative = harness.app.config().dataDir().relativize(copy).toString();
            APIResponse patched = harness.api.patch("/api/segments/" + fresh, RequestOptions.create()
                    .setHeader("Content-Type", "application/json")
                    .setData(Json.write(Map.of("output_video_path", relative, "status", "complete"))));
            assertEquals(200, patched.status(), patched.text());

            page.navigate("/provenance/segments/" + fresh);
            Locator a = page.locator(".compare [data-compare-side=A] video");
            Locator b = page.locator(".compare [data-compare-side=B] video");
            assertThat(page.locator(".compare [data-compare-side=A]")).hasAttribute("data-segment-id", String.valueOf(old));
            assertThat(page.locator(".compare [data-compare-side=B]")).hasAttribute("data-segment-id", String.valueOf(fresh));
            assertThat(page.locator(".compare [data-compare-side=A] figcaption")).containsText("stale");
            assertThat(page.locator(".compare [data-compare-side=B] figcaption")).containsText(" · seg ");
            awaitReady(a);
            awaitReady(b);

            a.evaluate("v => v.play()");
            page.waitForFunction("([a, b]) => !b.paused && a.currentTime > 0.2",
                    new Object[]{a.elementHandle(), b.elementHandle()}, new Page.WaitForFunctionOptions().setTimeout(20_000));
            a.evaluate("v => v.pause()");
            page.waitForFunction("b => b.paused", b.elementHandle());
            page.waitForFunction("([a, b]) => !a.seeking && !b.seeking", new Object[]{a.elementHandle(), b.elementHandle()});
            double drift = ((Number) page.evaluate("([a, b]) => Math.abs(a.currentTime - b.currentTime)",
                    new Object[]{a.elementHandle(), b.elementHandle()})).doubleValue();
            assertTrue(drift < 0.1, "B follows A (drift " + drift + " s)");

            Locator step = page.locator(".compare").getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Locator.GetByRoleOptions().setName("Next frame"));
            String before = page.locator(".compare .frame-readout").getAttribute("data-frame");
            step.click();
            assertThat(page.locator(".compare .frame-readout")).not().hasAttribute("data-frame", before);
            String now = page.locator(".compare .frame-readout").getAttribute("data-frame");
            assertThat(page.locator(".compare [data-compare-side=B] [data-frame]")).hasAttribute("data-frame", now,
                    new LocatorAssertions.HasAttributeOptions().setTimeout(5_000));
            BrowserHarness.screenshot(page, "watch-compare");
        }
        assertEquals(List.of(), errors, "the page logged errors");
    }

    @Test
    void aCharacterCreatedThroughTheApiAppearsOnAnOpenProjectPageWithinTwoSeconds() {
        List<String> errors = new ArrayList<>();
        Page page = harness.newPage(1280, 900, errors);
        try (BrowserContext ignored = page.context()) {
            page.navigate("/catalog/projects/" + projectId);
            assertThat(page.getByText("Chloé Martin").first()).isVisible();
            // the stream is open before the change is made
            page.waitForCondition(() -> harness.app.events().clientCount() > 0);
            APIResponse created = harness.api.post("/api/characters", RequestOptions.create()
                    .setHeader("Content-Type", "application/json")
                    .setData(Json.write(Map.of("project_id", projectId, "name", "Zoë Live-Update"))));
            assertEquals(201, created.status(), created.text());
            assertThat(page.getByText("Zoë Live-Update")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(2_000));
            BrowserHarness.screenshot(page, "watch-live");
        }
        assertEquals(List.of(), errors, "the page logged errors");
    }
}
