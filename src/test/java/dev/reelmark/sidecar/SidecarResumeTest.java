package dev.reelmark.sidecar;

import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.media.MediaRoots;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What a resumed sidecar export does: videos before the checkpoint are not written again; per-export files list all. */
class SidecarResumeTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aResumedExportWritesOnlyTheRemainingVideosButCompleteExportFiles(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            long project = DemoData.build(h);
            ClipFacts facts = h.app.sidecars().facts();
            var scope = facts.scope(project, null);
            List<SidecarTemplate> templates = new ArrayList<>();
            for (SidecarTemplate t : h.app.sidecars().list()) {
                if (t.name().equals("Nuke XML") || t.name().equals("DaVinci Resolve Metadata CSV")) templates.add(t);
            }
            Path out = dir.resolve("partial");
            List<Integer> reported = new ArrayList<>();
            var exporter = new SidecarExporter(facts, MediaRoots.of(DemoData.dataDir(h)));
            var r = exporter.export(scope, templates, out, 5, Json.MAPPER.createArrayNode(), (done, clip, f, flush) -> reported.add(done));
            assertThat(reported).first().isEqualTo(6);
            assertThat(reported).last().isEqualTo(scope.size());
            try (Stream<Path> walk = Files.walk(out.resolve("nuke_xml"))) {
                assertThat(walk.filter(Files::isRegularFile).count()).isEqualTo(scope.size() - 5);
            }
            String csv = Files.readString(out.resolve("davinci_resolve_metadata_csv/davinci_resolve_metadata_csv.csv"));
            assertThat(csv.split("\r\n")).hasSize(scope.size() + 1);
            assertThat(r.videos()).isEqualTo(scope.size());
            // no temp files left behind
            try (Stream<Path> walk = Files.walk(out)) {
                assertThat(walk.filter(p -> p.getFileName().toString().endsWith(".part"))).isEmpty();
            }
        }
    }
}
