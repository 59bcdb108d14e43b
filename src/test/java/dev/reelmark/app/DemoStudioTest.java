package dev.reelmark.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaProbe;
import dev.reelmark.media.ProbeResult;
import dev.reelmark.testing.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DemoStudioTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void buildsASmallRealStudioAndIsSafeToRunTwice(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            Path data = dir.resolve("data");
            var app = Reelmark.withDatabase(AppConfig.defaults(data).withJobWorkers(0), t.db());
            FfmpegTools tools = FfmpegTools.defaults();
            var demo = new DemoStudio(app.catalog(), data, tools);
            // What this build can make decides the demo's codecs; it must have H.264 (libx264 or libopenh264).
            Map<String, String> available = new ClipSynth(tools).availableVideoCodecs();
            assertThat(available).as("video codecs of " + tools.describe()).containsKey("h264");
            var first = demo.build((done, total) -> { });
            assertThat(first.created()).isTrue();
            assertThat(first.characters()).isEqualTo(3);
            assertThat(first.scenes()).isEqualTo(6);
            assertThat(first.segments()).isBetween(12, 18);
            assertThat(first.segmentsWithQuality()).isGreaterThan(first.segments() / 2).isLessThan(first.segments());
            assertThat(first.frameMetrics()).isGreaterThan(100);

            var catalog = app.catalog();
            assertThat(catalog.list(CatalogModel.SCENE_TYPES, Map.of("project_id", first.projectId()), 10, null).total()).isEqualTo(2);
            List<ObjectNode> segments = catalog.list(CatalogModel.SEGMENTS, Map.of(), 100, null).items();
            for (ObjectNode segment : segments) {
                long perScene = catalog.list(CatalogModel.SEGMENTS, Map.of("scene_id", segment.get("scene_id").longValue()), 10, null).total();
                assertThat(perScene).isBetween(2L, 3L);
            }

            // Every segment's video is a real clip; sizes, codecs and containers vary.
            MediaProbe probe = new MediaProbe();
            Set<String> codecs = new HashSet<>(), containers = new HashSet<>(), sizes = new HashSet<>();
            List<ProbeResult> probes = new ArrayList<>();
            for (ObjectNode segment : segments) {
                Path video = data.resolve(segment.get("output_video_path").asText());
                ProbeResult r = probe.probe(video);
                probes.add(r);
                codecs.add(r.videoCodec());
                sizes.add(r.resolution());
                containers.add(video.getFileName().toString().replaceAll(".*\\.", ""));
                assertThat(Files.isRegularFile(data.resolve(segment.get("last_frame_path").asText()))).isTrue();
            }
            // "Several codecs": H.264 and at least one more, each made with the encoder this build has for it,
            // and the summary names exactly those and the build that made them.
            assertThat(codecs).contains("h264").hasSizeGreaterThanOrEqualTo(2);
            assertThat(first.codecs().keySet()).isEqualTo(codecs);
            first.codecs().forEach((codec, encoder) -> assertThat(encoder).as(codec).isEqualTo(available.get(codec)));
            assertThat(first.ffmpeg()).isEqualTo(tools.describe()).contains(tools.capabilities().version());
            assertThat(sizes).hasSizeGreaterThanOrEqualTo(3);
            assertThat(containers).contains("mp4", "mkv", "mov");
            assertThat(probes).anySatisfy(r -> {
                assertThat(r.streams("audio")).hasSize(2);
                assertThat(r.streams("subtitle")).hasSize(1);
            });
            assertThat(probes).anySatisfy(r -> {
                JsonNode comment = Json.parse(r.comment().orElse("{}"));
                assertThat(comment.has("prompt")).isTrue();
                assertThat(comment.has("workflow")).isTrue();
            });

            // Assets with versions: exactly one current version per chain.
            List<ObjectNode> assets = catalog.list(CatalogModel.ASSETS, Map.of(), 100, null).items();
            assertThat(assets).extracting(a -> a.get("kind").asText()).contains("model", "lora", "workflow");
            assertThat(assets).anySatisfy(a -> assertThat(a.get("version_number").intValue()).isEqualTo(2));
            assertThat(assets.stream().filter(a -> a.get("is_current_version").booleanValue())
                    .map(a -> a.get("kind").asText() + "/" + a.get("name").asText()).distinct().count())
                    .isEqualTo(assets.stream().map(a -> a.get("kind").asText() + "/" + a.get("name").asText()).distinct().count());

            // Again: nothing duplicated, a deleted clip comes back.
            Path oneClip = data.resolve(segments.get(0).get("output_video_path").asText());
            Files.delete(oneClip);
            var second = demo.build((done, total) -> { });
            assertThat(second.created()).isFalse();
            assertThat(second.projectId()).isEqualTo(first.projectId());
            assertThat(second.segments()).isEqualTo(first.segments());
            assertThat(second.assets()).isEqualTo(first.assets());
            assertThat(second.clipsWritten()).isEqualTo(1);
            assertThat(Files.isRegularFile(oneClip)).isTrue();
        }
    }
}
