package dev.reelmark.web;

import com.microsoft.playwright.APIRequestContext;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.ElementHandle;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.RequestOptions;
import dev.reelmark.app.DemoStudio;
import dev.reelmark.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The web UI as a person uses it: Debian's Chromium (driven by Playwright) against the real server, started in
 * process on a fresh demo studio, serving the production build of web/ from the classpath (/public). A full-page
 * screenshot of every screen lands in target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiBrowserTest {
    private BrowserHarness harness;
    private String baseUrl;
    private APIRequestContext api;

    private Page page;
    private final List<String> pageErrors = new ArrayList<>();

    @BeforeAll
    void startServerAndBrowser(@TempDir Path dataDir) {
        harness = new BrowserHarness(dataDir);
        baseUrl = harness.baseUrl;
        api = harness.api;
    }

    @AfterAll
    void stop() {
        if (harness != null) harness.close();
    }

    @BeforeEach
    void openPage() {
        openPage(1280, 900);
    }

    private void openPage(int width, int height) {
        if (page != null) page.context().close();
        pageErrors.clear();
        page = harness.newPage(width, height, pageErrors);
    }

    @AfterEach
    void closePage(TestInfo test) {
        try {
            assertEquals(List.of(), pageErrors, "the page logged errors during " + test.getDisplayName());
        } finally {
            page.context().close();
            page = null;
        }
    }

    @Test
    void clickingThroughTheCatalogShowsSegmentsWithThumbnailsAndTechnicalInfo() {
        page.navigate("/");
        page.waitForURL(baseUrl + "/catalog");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Catalog").setLevel(1))).isVisible();
        assertThat(page).hasTitle("Projects · Reelmark");
        screenshot("catalog-projects");

        link(DemoStudio.PROJECT_NAME).click();
        assertThat(h1()).hasText(DemoStudio.PROJECT_NAME);
        assertThat(page.locator("table").getByRole(AriaRole.LINK)).hasCount(3);
        assertThat(page.getByText("Showing 3 of 3 characters")).isVisible();
        screenshot("catalog-project");

        link("Ava Reyes").click();
        assertThat(h1()).hasText("Ava Reyes");
        assertThat(page.getByText("Showing 2 of 2 scenes")).isVisible();
        screenshot("catalog-character");

        link("Ava Reyes — dance").click();
        assertThat(h1()).hasText("Ava Reyes — dance");
        assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Breadcrumb")).getByRole(AriaRole.LINK))
                .hasText(new String[]{"Projects", DemoStudio.PROJECT_NAME, "Ava Reyes"});
        Locator cards = page.locator("article.segment-card");
        assertThat(cards).hasCount(3);

        for (int i = 0; i < cards.count(); i++) {
            Locator card = cards.nth(i);
            long segmentId = Long.parseLong(card.getAttribute("data-segment-id"));
            var media = Json.parse(get("/api/segments/" + segmentId + "/media"));
            // Technical info as the server reads it with ffprobe.
            assertThat(card.locator("dl")).containsText(media.get("resolution").asText());
            assertThat(card.locator("dl")).containsText(media.get("codec").asText());
            assertThat(card.locator("dl")).containsText("fps");
            assertThat(card).containsText(Pattern.compile("Quality: (\\d\\.\\d{3}|no score)"));
            // The thumbnail really loaded (ffmpeg made a JPEG, the browser decoded it).
            Locator img = card.getByRole(AriaRole.IMG, new Locator.GetByRoleOptions().setName(Pattern.compile("^Thumbnail of segment")));
            img.scrollIntoViewIfNeeded();
            waitUntilLoaded(img);
            assertTrue(((Number) img.evaluate("img => img.naturalWidth")).intValue() > 0, "thumbnail of segment " + segmentId);
        }
        assertThat(cards.locator("dl")).containsText(new String[]{"480x270", "320x180", "640x360"});
        page.evaluate("() => window.scrollTo(0, 0)");
        screenshot("catalog-scene");

        // Back goes back, in place.
        page.goBack();
        assertThat(h1()).hasText("Ava Reyes");
    }

    @Test
    void aSceneStillGeneratingShowsNoScoreAndAMissingVideoIsExplained() {
        // A segment whose video file is gone: the thumbnail falls back and the media info says why.
        var character = Json.parse(get("/api/characters?limit=1")).get("items").get(0);
        var sceneType = Json.parse(get("/api/scene-types?limit=1")).get("items").get(0);
        var scene = Json.parse(post("/api/scenes", Map.of("character_id", character.get("id").asLong(),
                "scene_type_id", sceneType.get("id").asLong(), "name", "Lost render", "status", "generating")));
        post("/api/segments", Map.of("scene_id", scene.get("id").asLong(), "sequence_index", 0,
                "output_video_path", "media/lost/segment_0.mp4", "status", "failed"));

        page.navigate("/catalog/scenes/" + scene.get("id").asLong());
        assertThat(h1()).hasText("Lost render");
        Locator card = page.locator("article.segment-card");
        assertThat(card.getByRole(AriaRole.IMG, new Locator.GetByRoleOptions().setName(Pattern.compile("^No thumbnail for segment 0"))))
                .isVisible();
        assertThat(card.getByRole(AriaRole.ALERT)).containsText("is missing: media/lost/segment_0.mp4");
        assertThat(card).containsText("Quality: no score");
        screenshot("catalog-scene-missing-video");
    }

    @Test
    void theAssetsScreenShowsEachAssetsVersionTimelineWithTheCurrentOneMarked() {
        page.navigate("/catalog");
        page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Catalog"))
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Assets")).click();
        page.waitForURL(baseUrl + "/catalog/assets");

        Locator model = page.locator("article.asset-card")
                .filter(new Locator.FilterOptions().setHas(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("wan2.2-i2v-14b"))));
        assertThat(model).hasCount(1);
        Locator versions = model.locator("ol.timeline > li");
        assertThat(versions).hasCount(2);
        assertThat(versions.nth(0)).containsText("2.2.0");
        assertThat(versions.nth(0)).containsText("v1");
        assertThat(versions.nth(0)).not().hasAttribute("aria-current", "true");
        assertThat(versions.nth(1)).containsText("2.2.1");
        assertThat(versions.nth(1)).containsText("current");
        assertThat(versions.nth(1)).hasAttribute("aria-current", "true");
        // A checksum prefix, and the full checksum on hover.
        var chain = Json.parse(get("/api/assets/" + model.getAttribute("data-asset-id") + "/versions"));
        String checksum = chain.get(1).get("checksum_sha256").asText();
        assertThat(versions.nth(1).locator("code")).hasText(checksum.substring(0, 12));
        assertThat(versions.nth(1).locator("code")).hasAttribute("title", checksum);
        screenshot("catalog-assets");

        // Filter by kind: only LoRAs.
        page.getByLabel("Kind").selectOption("lora");
        page.waitForURL(baseUrl + "/catalog/assets?kind=lora");
        assertThat(page.locator("article.asset-card")).hasCount(3);
        assertThat(page.locator("article.asset-card .badge").first()).hasText("lora");
        assertThat(page.locator("article.asset-card").filter(new Locator.FilterOptions().setHasText("smooth-motion"))
                .locator("ol.timeline > li")).hasCount(2);
    }

    @Test
    void aThumbnailJobStartedFromTheProjectPageRunsToCompletionOnTheJobsScreen() {
        page.navigate("/catalog");
        link(DemoStudio.PROJECT_NAME).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Generate thumbnails")).click();
        Locator follow = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(Pattern.compile("^Follow job #\\d+ on the Jobs screen$")));
        assertThat(follow).isVisible();
        String jobId = follow.textContent().replaceAll("\\D", "");
        follow.click();
        page.waitForURL(baseUrl + "/jobs?job=" + jobId);
        assertThat(h1()).hasText("Jobs");
        assertThat(navLink("Jobs")).hasAttribute("aria-current", "page");

        Locator job = page.locator("article.job-card.highlighted");
        assertThat(job).hasAttribute("data-job-id", jobId);
        assertThat(job).hasAttribute("data-status", "completed", new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
        Locator bar = job.getByRole(AriaRole.PROGRESSBAR);
        assertThat(bar).hasAttribute("aria-valuenow", "100");
        assertThat(job.locator(".progress-fill")).hasAttribute("style", Pattern.compile("width: 100%"));
        assertThat(job.locator(".badge")).hasText("completed");
        for (String action : List.of("Pause", "Resume", "Cancel")) {
            assertThat(job.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(action))).isDisabled();
        }
        // The job is highlighted in the list itself, not shown twice.
        assertThat(page.locator("article.job-card[data-job-id='" + jobId + "']")).hasCount(1);
        screenshot("jobs");
    }

    @Test
    void aPausedJobIsResumedFromItsCardAndFollowedLiveToTheEnd() {
        // A project of 30 segments with new ids, so the job has real ffmpeg work to do; paused at once, it stops
        // at its next checkpoint long before the end.
        long projectId = Json.parse(post("/api/projects", Map.of("name", "Pause drill"))).get("id").asLong();
        long characterId = Json.parse(post("/api/characters", Map.of("project_id", projectId, "name", "Stand-in"))).get("id").asLong();
        long typeId = Json.parse(post("/api/scene-types", Map.of("project_id", projectId, "name", "idle"))).get("id").asLong();
        long sceneId = Json.parse(post("/api/scenes", Map.of("character_id", characterId, "scene_type_id", typeId, "name", "Long take"))).get("id").asLong();
        var clips = Json.parse(get("/api/segments?limit=6")).get("items");
        for (int i = 0; i < 30; i++) {
            post("/api/segments", Map.of("scene_id", sceneId, "sequence_index", i,
                    "output_video_path", clips.get(i % clips.size()).get("output_video_path").asText()));
        }
        long jobId = Json.parse(post("/api/projects/" + projectId + "/thumbnails", Map.of())).get("id").asLong();
        post("/api/jobs/" + jobId + "/pause", Map.of());

        List<String> streams = new ArrayList<>();
        page.onRequest(request -> {
            if (request.url().endsWith("/api/jobs/" + jobId + "/events")) streams.add(request.url());
        });
        page.navigate("/jobs?job=" + jobId);
        Locator job = page.locator("article.job-card.highlighted");
        assertThat(job).hasAttribute("data-status", "paused");
        assertThat(job.locator(".transport")).hasText("live");
        assertThat(job.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Pause"))).isDisabled();
        assertThat(job.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel"))).isEnabled();
        Locator bar = job.getByRole(AriaRole.PROGRESSBAR);
        // Paused before its first checkpoint the job has no total yet: the bar is indeterminate (no aria-valuenow).
        String valueNow = bar.getAttribute("aria-valuenow");
        int pausedAt = valueNow == null ? 0 : Integer.parseInt(valueNow);
        assertTrue(pausedAt < 100, "paused before the end, at " + pausedAt + "%");
        screenshot("jobs-paused");

        job.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Resume")).click();
        // No reload: the event stream carries the job through running to completed.
        assertThat(job).hasAttribute("data-status", "completed", new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
        assertThat(bar).hasAttribute("aria-valuenow", "100");
        assertThat(job).containsText("30 of 30");
        assertTrue(streams.size() >= 1, "the page followed the job over its event stream");
    }

    @Test
    void theKeyboardReachesTheSkipLinkAndTheNavigation() {
        page.navigate("/catalog");
        assertThat(h1()).isVisible();

        page.keyboard().press("Tab");
        assertEquals("Skip to content", page.evaluate("() => document.activeElement.textContent"));
        assertTrue((Boolean) page.evaluate("() => document.activeElement.getBoundingClientRect().top >= 0"),
                "the focused skip link is on screen");
        assertTrue((Boolean) page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle !== 'none'"),
                "the focused element has a visible outline");
        screenshot("keyboard-skip-link");
        page.keyboard().press("Enter");
        assertEquals("main", page.evaluate("() => document.activeElement.id"));

        // From the top: Tab through the navigation to Jobs and open it with Enter.
        page.evaluate("() => document.activeElement.blur()");
        page.navigate("/catalog");
        assertThat(h1()).isVisible();
        for (int i = 0; i < 15 && !"Jobs".equals(page.evaluate("() => document.activeElement.textContent")); i++) {
            page.keyboard().press("Tab");
        }
        assertEquals("Jobs", page.evaluate("() => document.activeElement.textContent"), "Tab reaches the Jobs link");
        page.keyboard().press("Enter");
        page.waitForURL(baseUrl + "/jobs");
        assertThat(h1()).hasText("Jobs");
        // Focus moved to the new page's content, so the next Tab goes into it.
        assertEquals("main", page.evaluate("() => document.activeElement.id"));

        // Links in the content are reachable too: open the project by keyboard.
        page.navigate("/catalog");
        link(DemoStudio.PROJECT_NAME).focus();
        page.keyboard().press("Enter");
        assertThat(h1()).hasText(DemoStudio.PROJECT_NAME);
    }

    @Test
    void onAPhoneTheNavCollapsesIntoAMenuAndNothingOverflowsSideways() {
        openPage(390, 844);
        page.navigate("/catalog");
        link(DemoStudio.PROJECT_NAME).click();
        assertThat(h1()).hasText(DemoStudio.PROJECT_NAME);
        Locator menu = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Menu"));
        assertThat(menu).isVisible();
        assertThat(navLink("Jobs")).isHidden();
        assertNoHorizontalOverflow("project page");
        screenshot("phone-project");

        menu.click();
        assertThat(menu).hasAttribute("aria-expanded", "true");
        for (String section : List.of("Catalog", "Metadata", "Provenance", "Exports", "Tagging", "Ledger", "Jobs")) {
            assertThat(navLink(section)).isVisible();
        }
        assertNoHorizontalOverflow("open menu");
        screenshot("phone-nav");
        menu.click();
        assertThat(menu).hasAttribute("aria-expanded", "false");
        assertThat(navLink("Jobs")).isHidden();

        link("Bruno Okafor").click();
        link("Bruno Okafor — dance").click();
        Locator cards = page.locator("article.segment-card");
        assertThat(cards).hasCount(2);
        assertThat(cards.first().locator("dl")).containsText("Resolution");
        for (int i = 0; i < cards.count(); i++) {
            cards.nth(i).scrollIntoViewIfNeeded();
            waitUntilLoaded(cards.nth(i).locator("img"));
            double width = ((Number) cards.nth(i).evaluate("el => el.getBoundingClientRect().width")).doubleValue();
            assertTrue(width <= 390, "segment card " + i + " fits the phone's width, was " + width);
        }
        assertNoHorizontalOverflow("scene page");
        page.evaluate("() => window.scrollTo(0, 0)");
        screenshot("phone-scene");

        page.navigate("/jobs");
        assertThat(h1()).hasText("Jobs");
        assertNoHorizontalOverflow("jobs page");
        page.navigate("/catalog/assets");
        assertThat(page.locator("article.asset-card").first()).isVisible();
        assertNoHorizontalOverflow("assets page");
    }

    @Test
    void anApiErrorIsShownToTheUser() {
        page.navigate("/catalog/characters/999999");
        Locator alert = page.getByRole(AriaRole.ALERT);
        assertThat(alert).containsText("Could not load the character");
        assertThat(alert).containsText("character 999999 does not exist");
        assertThat(alert).containsText("404 not_found");
        screenshot("error-missing-character");

        // A path the UI does not know is its own not-found page; unknown API paths stay JSON.
        page.navigate("/catalog/nowhere");
        assertThat(h1()).hasText("Page not found");
        APIResponse apiMiss = api.get("/api/nowhere");
        assertEquals(404, apiMiss.status());
        assertTrue(apiMiss.text().startsWith("{"), "an unknown API path answers JSON: " + apiMiss.text());
    }

    @Test
    void everySectionOfTheNavigationIsABuiltScreen() {
        page.navigate("/catalog");
        for (String section : List.of("Catalog", "Metadata", "Provenance", "Exports", "Tagging", "Ledger", "Jobs")) {
            navLink(section).click();
            assertThat(navLink(section)).hasAttribute("aria-current", "page");
            assertThat(navLink(section)).not().containsText("soon");
            assertThat(page.getByRole(AriaRole.MAIN)).not().containsText("arrives with the");
        }
    }

    // ---- helpers ----

    private Locator h1() {
        return page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1));
    }

    private Locator link(String name) {
        return page.getByRole(AriaRole.MAIN).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(name).setExact(true));
    }

    private Locator navLink(String section) {
        return page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(Pattern.compile("^" + section + "( ?soon)?$")));
    }

    private void waitUntilLoaded(Locator img) {
        ElementHandle handle = img.elementHandle();
        page.waitForFunction("img => img.complete && img.naturalWidth > 0", handle,
                new Page.WaitForFunctionOptions().setTimeout(30_000));
    }

    private void assertNoHorizontalOverflow(String where) {
        var sizes = (Map<?, ?>) page.evaluate("() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth })");
        int scroll = ((Number) sizes.get("scroll")).intValue();
        int view = ((Number) sizes.get("view")).intValue();
        if (scroll > view) {
            Object culprits = page.evaluate("view => [...document.querySelectorAll('body *')]"
                    + ".filter(el => el.getBoundingClientRect().right > view)"
                    + ".slice(0, 8).map(el => el.tagName.toLowerCase() + '.' + el.className + ' → ' + Math.round(el.getBoundingClientRect().right))", view);
            fail(where + ": the page is " + scroll + " px wide on a " + view + " px screen; too wide: " + culprits);
        }
    }

    private void screenshot(String name) {
        BrowserHarness.screenshot(page, name);
    }

    private String get(String path) {
        APIResponse response = api.get(path);
        assertTrue(response.ok(), "GET " + path + " → " + response.status() + " " + response.text());
        return response.text();
    }

    private String post(String path, Map<String, Object> body) {
        APIResponse response = api.post(path, RequestOptions.create().setData(body));
        assertTrue(response.ok(), "POST " + path + " → " + response.status() + " " + response.text());
        return response.text();
    }
}
