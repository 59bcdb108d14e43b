package dev.reelmark.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.db.Vendor;
import dev.reelmark.metadata.MetadataService;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The composition root feeds video_metadata.json's provenance block from generation receipts, and a new receipt
 * makes the scene's file stale.
 */
class ReceiptProvenanceTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void videoMetadataCarriesTheLatestReceiptsAndGoesStaleOnANewOne(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Reelmark app = h.app;
            DemoStudio.Summary demo = new DemoStudio(app.catalog(), app.config().dataDir(), app.ffmpegTools()).build((d, t) -> { });
            long scene = app.catalog().list(CatalogModel.SCENES, Map.of(), 1, null).items().get(0).get("id").longValue();

            // Before any receipt: the explicit "unknown".
            JsonNode before = h.http.get("/api/scenes/" + scene + "/metadata/preview").json().get("provenance");
            assertThat(before.get("workflow_name").asText()).isEqualTo("unknown");
            assertThat(before.get("lora_versions")).isEmpty();

            app.provenance().recordDemoReceipts(demo.projectId());
            app.metadata().awaitIdle(Duration.ofSeconds(30));
            app.metadata().regenerateScene(scene);
            assertThat(app.metadata().staleness(MetadataService.SCENE, scene).reasons()).isEmpty();

            List<ObjectNode> segments = app.catalog().list(CatalogModel.SEGMENTS, Map.of("scene_id", scene), 10, null).items();
            ObjectNode first = app.provenance().latestReceipt(segments.get(0).get("id").longValue()).orElseThrow();
            JsonNode p = h.http.get("/api/scenes/" + scene + "/metadata/preview").json().get("provenance");
            assertThat(p.get("workflow_name").asText()).isEqualTo(first.get("workflow_name").asText() + " " + first.get("workflow_version").asText());
            assertThat(p.get("model_version").asText()).isEqualTo(first.get("model_name").asText() + " " + first.get("model_version").asText());
            assertThat(p.get("lora_versions").toString()).contains(first.get("loras").get(0).get("lora_name").asText() + "@");
            assertThat(p.get("generation_parameters").get("seed").asLong()).isEqualTo(first.get("seed").asLong());
            assertThat(p.get("generation_parameters").get("inputs_hash").asText()).isEqualTo(first.get("inputs_hash").asText());
            assertThat(app.metadata().schemas().validate("video_metadata", h.http.get("/api/scenes/" + scene + "/metadata/preview").json())).isEmpty();

            // A new receipt for one of the scene's segments: the scene's file no longer says how it was made.
            Thread.sleep(5);
            ObjectNode receipt = (ObjectNode) h.http.post("/api/segments/" + segments.get(0).get("id").longValue() + "/receipts",
                    receiptBody(first).toString()).json();
            assertThat(receipt.get("id").asLong()).isGreaterThan(first.get("id").asLong());
            assertThat(app.metadata().staleness(MetadataService.SCENE, scene).reasons()).containsExactly("source_changed");
        }
    }

    /** The POST body that records the same generation again (asset and image ids of the stored receipt). */
    private static ObjectNode receiptBody(ObjectNode r) {
        ObjectNode b = dev.reelmark.json.Json.object();
        b.set("model_asset_id", r.get("model_asset_id"));
        b.set("workflow_asset_id", r.get("workflow_asset_id"));
        b.set("source_image_id", r.get("source_image_id"));
        var loras = b.putArray("loras");
        for (JsonNode l : r.get("loras")) {
            ObjectNode lora = loras.addObject();
            lora.set("asset_id", l.get("asset_id"));
            lora.set("weight", l.get("weight"));
        }
        for (String field : List.of("prompt_text", "negative_prompt", "cfg_scale", "seed", "resolution_width",
                "resolution_height", "steps", "sampler")) {
            b.set(field, r.get(field));
        }
        return b;
    }
}
