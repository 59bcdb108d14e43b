package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.app.DemoStudio;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.db.Vendor;
import dev.reelmark.jobs.JobService;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.testing.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo studio gets receipts on its real segments and assets, and a LoRA update makes the report show something. */
class ProvenanceDemoTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void demoReceiptsShowStalenessAfterALoraUpdate(Vendor vendor) throws Exception {
        try (var tdb = TestDatabases.fresh(vendor, dir)) {
            CatalogService catalog = new CatalogService(tdb.db());
            var summary = new DemoStudio(catalog, dir.resolve("data"), FfmpegTools.defaults()).build((d, t) -> { });
            ProvenanceService p = new ProvenanceService(tdb.db(), catalog, new JobService(tdb.db()));
            int written = p.recordDemoReceipts(summary.projectId());
            assertThat(written).isEqualTo(summary.segments());
            ObjectNode report = p.stalenessReport(summary.projectId(), null);
            List<String> messages = new ArrayList<>();
            report.get("by_asset").forEach(g -> messages.add(g.get("message").asText()));
            assertThat(messages).anySatisfy(m -> assertThat(m).contains("used smooth-motion v1 — you are on v2"));
            assertThat(messages).anySatisfy(m -> assertThat(m).contains("used wan2.2-i2v-14b 2.2.0 — you are on 2.2.1"));
            assertThat(messages).anySatisfy(m -> assertThat(m).contains("used chloe-likeness v1 — you are on v2"));
            assertThat(report.get("total_stale_segments").asInt()).isPositive().isLessThan(summary.segments());
            // again: nothing new, the LoRA is not versioned twice
            assertThat(p.recordDemoReceipts(summary.projectId())).isZero();
            long chloe = catalog.list(CatalogModel.ASSETS, Map.of("kind", "lora"), 100, null).items().stream()
                    .filter(a -> a.get("name").asText().equals("chloe-likeness")).count();
            assertThat(chloe).isEqualTo(2);
            // reverse provenance for the demo's LoRA: every segment used some smooth-motion version
            long motion = catalog.list(CatalogModel.ASSETS, Map.of("kind", "lora"), 100, null).items().stream()
                    .filter(a -> a.get("name").asText().equals("smooth-motion")).findFirst().orElseThrow().get("id").longValue();
            JsonNode usage = p.assetUsage(motion, null, 500, null);
            assertThat(usage.get("segments").asInt()).isEqualTo(summary.segments());
        }
    }
}
