package dev.reelmark.footage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.catalog.EntityType;
import dev.reelmark.db.Vendor;
import dev.reelmark.footage.comfy.ComfyReading;
import dev.reelmark.json.Json;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaRoots;
import dev.reelmark.media.ProbeCache;
import dev.reelmark.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The segment-facts module on real clips (ffmpeg-made, probed with ffprobe) and both databases: a receipt wins over the
 * clip's comment, the comment's graph is the fallback (read by the comment reader the module is given: here a stand-in
 * for the ComfyUI reader, to see what it is asked), anything else is {@code none}; a {@code People:} line never reaches
 * the reader; probes go through one bounded cache keyed by file identity.
 */
class SegmentFactsTest {
    static final String GRAPH = "{\"prompt\":{\"3\":{\"class_type\":\"KSampler\",\"inputs\":{\"seed\":7}}}}";

    @TempDir
    Path dir;

    private static long create(CatalogService c, EntityType type, ObjectNode body) {
        return c.create(type, body).get("id").longValue();
    }

    static GenerationFacts facts(GenerationFacts.Source source, Long receipt, String prompt, long seed) {
        return new GenerationFacts(source, receipt, prompt, null, BigInteger.valueOf(seed), "euler", null, 6.5, 30, 832, 480,
                null, List.of(new GenerationFacts.Model("model", new GenerationFacts.AssetRef("wan", 1L, "2.2", null, true))),
                List.of(new GenerationFacts.Lora(new GenerationFacts.AssetRef("ava", 2L, "v1", null, true), 0.8, 0.7)), List.of(), null);
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void receiptWinsTheCommentIsTheFallbackAndNothingElseIsAPrompt(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            Path data = dir.resolve("data");
            ClipSynth synth = new ClipSynth();
            synth.synthesize(ClipSpec.of(160, 90, 24, 0.5).withTag("comment", GRAPH), data.resolve("v/with_receipt.mp4"));
            synth.synthesize(ClipSpec.of(160, 90, 24, 0.5).withTag("comment", GRAPH + "\nPeople: Ann, Bo"), data.resolve("v/graph.mp4"));
            synth.synthesize(ClipSpec.of(160, 90, 24, 0.5).withTag("comment", "People: Ann, Bo"), data.resolve("v/people.mp4"));
            synth.synthesize(ClipSpec.of(320, 180, 30, 0.5).withTag("comment", "shot on day 2"), data.resolve("v/own_text.mkv"));

            CatalogService c = new CatalogService(t.db());
            long project = create(c, CatalogModel.PROJECTS, Json.object().put("name", "P"));
            long type = create(c, CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "t"));
            long ch = create(c, CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "Ann"));
            long scene = create(c, CatalogModel.SCENES, Json.object().put("character_id", ch).put("scene_type_id", type).put("name", "s"));
            long[] seg = new long[6];
            String[] paths = {"v/with_receipt.mp4", "v/graph.mp4", "v/people.mp4", "v/own_text.mkv", "v/missing.mp4", null};
            for (int i = 0; i < paths.length; i++) {
                ObjectNode body = Json.object().put("scene_id", scene).put("sequence_index", i);
                if (paths[i] != null) body.put("output_video_path", paths[i]);
                seg[i] = create(c, CatalogModel.SEGMENTS, body);
            }
            create(c, CatalogModel.SEGMENT_QUALITY, Json.object().put("segment_id", seg[0]).put("overall_score", 0.9));

            GenerationFacts receipt = facts(GenerationFacts.Source.RECEIPT, 41L, "Ann dances", 1001);
            List<Collection<Long>> receiptLookups = new CopyOnWriteArrayList<>();
            LatestReceipts receipts = ids -> {
                receiptLookups.add(List.copyOf(ids));
                return ids.contains(seg[0]) ? Map.of(seg[0], receipt) : Map.of();
            };
            List<String> readerSaw = new CopyOnWriteArrayList<>();
            Function<String, Optional<ComfyReading>> reader = text -> {
                readerSaw.add(text);
                // a stand-in for the ComfyUI reader: a graph gives facts (with whatever source), other text nothing
                return text.startsWith("{") ? Optional.of(new ComfyReading(facts(GenerationFacts.Source.RECEIPT, 99L, "from the graph", 7),
                        Json.parse(text), null, List.of())) : Optional.empty();
            };
            ProbeCache probes = new ProbeCache(FfmpegTools::defaults);
            SegmentFacts facts = new SegmentFacts(c.reads(), MediaRoots.of(data), probes, receipts, reader);

            List<Footage> all = facts.footage(facts.scope(project, null));
            assertThat(all).extracting(Footage::segmentId).containsExactly(seg[0], seg[1], seg[2], seg[3], seg[4], seg[5]);
            assertThat(receiptLookups).hasSize(1); // one batched lookup for the whole scope

            Footage withReceipt = all.get(0);
            assertThat(withReceipt.generation()).isEqualTo(receipt);
            assertThat(withReceipt.probe().resolution()).isEqualTo("160x90");
            assertThat(withReceipt.quality().overallScore()).isEqualTo(0.9);

            GenerationFacts fromGraph = all.get(1).generation();
            assertThat(fromGraph.source()).isEqualTo(GenerationFacts.Source.FILE_COMMENT);
            assertThat(fromGraph.receiptId()).isNull();
            assertThat(fromGraph.prompt()).isEqualTo("from the graph");
            assertThat(fromGraph.seed()).isEqualTo(BigInteger.valueOf(7));

            assertThat(all.get(2).generation()).isEqualTo(GenerationFacts.NONE); // only a People line
            GenerationFacts ownText = all.get(3).generation();
            assertThat(ownText.source()).isEqualTo(GenerationFacts.Source.NONE);
            assertThat(ownText.prompt()).isNull();
            assertThat(all.get(3).probe().fps()).isEqualTo(30.0);
            assertThat(all.get(3).quality().scored()).isFalse();

            assertThat(all.get(4).probe()).isNull();
            assertThat(all.get(4).probeError()).contains("missing");
            assertThat(all.get(4).generation()).isEqualTo(GenerationFacts.NONE);
            assertThat(all.get(5).probeError()).contains("no output video");

            // what the comment reader was asked: never a People line, never the receipt's clip
            assertThat(readerSaw).containsOnly(GRAPH, "shot on day 2");
            assertThat(readerSaw).noneMatch(s -> s.contains("People:"));

            // the same answers for generation facts alone, and for comments a caller already read
            Map<Long, GenerationFacts> gen = facts.generation(List.of(seg[0], seg[1], seg[2], 999_999L));
            assertThat(gen.get(seg[0]).source()).isEqualTo(GenerationFacts.Source.RECEIPT);
            assertThat(gen.get(seg[1]).source()).isEqualTo(GenerationFacts.Source.FILE_COMMENT);
            assertThat(gen.get(seg[2])).isEqualTo(GenerationFacts.NONE);
            assertThat(gen.get(999_999L)).isEqualTo(GenerationFacts.NONE);
            Map<Long, GenerationFacts> known = facts.generation(Map.of(seg[0], "People: Ann", seg[3], GRAPH + "\nPeople: Ann"));
            assertThat(known.get(seg[0])).isEqualTo(receipt);
            assertThat(known.get(seg[3]).source()).isEqualTo(GenerationFacts.Source.FILE_COMMENT);

            // every probe above went through the one cache: each clip was probed once
            assertThat(probes.probeCount()).isEqualTo(4);
            assertThat(probes.size()).isEqualTo(4);

            // a clip re-rendered at the same path is probed again (its identity changed)
            Path graph = data.resolve("v/graph.mp4");
            long before = Files.size(graph);
            synth.synthesize(ClipSpec.of(320, 180, 25, 1.0).withTag("comment", GRAPH), graph);
            assertThat(Files.size(graph)).isNotEqualTo(before);
            assertThat(facts.footage(seg[1]).probe().resolution()).isEqualTo("320x180");
            assertThat(probes.probeCount()).isEqualTo(5);
        }
    }

    @Test
    void theProbeCacheIsBounded() throws Exception {
        ClipSynth synth = new ClipSynth();
        ProbeCache probes = new ProbeCache(FfmpegTools::defaults, 2);
        Path[] clips = new Path[3];
        for (int i = 0; i < 3; i++) {
            clips[i] = dir.resolve("c" + i + ".mp4");
            synth.synthesize(ClipSpec.of(160 + 16 * i, 90, 24, 0.3), clips[i]);
        }
        for (Path p : clips) probes.probe(p);
        assertThat(probes.size()).isEqualTo(2);
        assertThat(probes.probe(clips[2]).width()).isEqualTo(192); // the newest is kept
        assertThat(probes.probeCount()).isEqualTo(3);
        probes.probe(clips[0]); // the eldest was dropped: probed again
        assertThat(probes.probeCount()).isEqualTo(4);
    }

    @Test
    void peopleLinesAndOtherTextAreNeverGenerationFacts() {
        assertThat(SegmentFacts.fromComment(null)).isEqualTo(GenerationFacts.NONE);
        assertThat(SegmentFacts.fromComment("People: Ava Reyes, Bruno Okafor")).isEqualTo(GenerationFacts.NONE);
        assertThat(SegmentFacts.fromComment("  People: Ava\n")).isEqualTo(GenerationFacts.NONE);
        assertThat(SegmentFacts.fromComment("shot on day 2").prompt()).isNull();
        assertThat(SegmentFacts.fromComment("{not json").source()).isEqualTo(GenerationFacts.Source.NONE);
    }
}
