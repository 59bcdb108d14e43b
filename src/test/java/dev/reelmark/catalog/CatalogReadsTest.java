package dev.reelmark.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.errors.DomainException;
import dev.reelmark.http.ApiError;
import dev.reelmark.json.Json;
import dev.reelmark.testing.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Typed catalog reads on both databases: records, catalog order, lookups by path, scope errors, batched IN reads. */
class CatalogReadsTest {
    @TempDir
    Path dir;

    private static long create(CatalogService c, EntityType type, ObjectNode body) {
        return c.create(type, body).get("id").longValue();
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void recordsInCatalogOrderWithTheirContext(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            CatalogService c = new CatalogService(t.db());
            CatalogReads reads = new CatalogReads(t.db());
            long project = create(c, CatalogModel.PROJECTS, Json.object().put("name", "P").put("description", "d"));
            long other = create(c, CatalogModel.PROJECTS, Json.object().put("name", "Other"));
            long type = create(c, CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "dance"));
            ObjectNode bob = Json.object().put("project_id", project).put("name", "Bob").put("hair_color", "black");
            bob.putArray("tags").add("lead").add("dancer");
            bob.putObject("custom_fields").put("voice", "alto");
            long b = create(c, CatalogModel.CHARACTERS, bob);
            long a = create(c, CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "Ann"));
            long stranger = create(c, CatalogModel.CHARACTERS, Json.object().put("project_id", other).put("name", "X"));
            long sceneB = create(c, CatalogModel.SCENES, Json.object().put("character_id", b).put("scene_type_id", type).put("name", "b1"));
            long sceneA = create(c, CatalogModel.SCENES, Json.object().put("character_id", a).put("scene_type_id", type).put("name", "a1"));
            // created out of sequence order: reads answer in sequence order
            long b2 = create(c, CatalogModel.SEGMENTS, Json.object().put("scene_id", sceneB).put("sequence_index", 2).put("output_video_path", "media/b2.mp4"));
            long b0 = create(c, CatalogModel.SEGMENTS, Json.object().put("scene_id", sceneB).put("sequence_index", 0).put("output_video_path", "media/b0.mp4"));
            long a0 = create(c, CatalogModel.SEGMENTS, Json.object().put("scene_id", sceneA).put("sequence_index", 0).put("output_video_path", "media/shared.mp4"));
            long a1 = create(c, CatalogModel.SEGMENTS, Json.object().put("scene_id", sceneA).put("sequence_index", 1).put("output_video_path", "media/shared.mp4").put("status", "complete"));
            ObjectNode q = Json.object().put("segment_id", b0).put("overall_score", 0.75);
            q.putArray("failure_tags").add("face_drift");
            create(c, CatalogModel.SEGMENT_QUALITY, q);
            create(c, CatalogModel.FRAME_METRICS, Json.object().put("segment_id", b0).put("frame", 1).put("motion_score", 0.5));
            create(c, CatalogModel.FRAME_METRICS, Json.object().put("segment_id", b0).put("frame", 0).put("face_confidence", 0.9));

            Project p = reads.requireProject(project);
            assertThat(p.name()).isEqualTo("P");
            assertThat(p.description()).isEqualTo("d");
            assertThat(p.updatedAt()).isNotNull();
            Character bobRow = reads.character(b).orElseThrow();
            assertThat(bobRow.tags()).containsExactly("lead", "dancer");
            assertThat(bobRow.customFields().get("voice").asText()).isEqualTo("alto");
            assertThat(bobRow.hairColor()).isEqualTo("black");
            assertThat(reads.charactersOf(project)).extracting(Character::name).containsExactly("Bob", "Ann");
            assertThat(reads.sceneTypesOf(project)).extracting(SceneType::name).containsExactly("dance");
            assertThat(reads.scenesOf(b)).extracting(Scene::id).containsExactly(sceneB);
            assertThat(reads.segmentsOfScene(sceneB)).extracting(Segment::id).containsExactly(b0, b2);
            // catalog order: character (id), scene, sequence index
            assertThat(reads.segmentsOfProject(project)).extracting(Segment::id).containsExactly(b0, b2, a0, a1);
            assertThat(reads.segmentsOfCharacter(a)).extracting(Segment::id).containsExactly(a0, a1);
            assertThat(reads.segmentsOfScenes(List.of(sceneA, sceneB)).get(sceneB)).extracting(Segment::id).containsExactly(b0, b2);

            List<SegmentContext> scope = reads.scope(project, null);
            assertThat(scope).extracting(SegmentContext::segmentId).containsExactly(b0, b2, a0, a1);
            assertThat(scope.get(0).character().name()).isEqualTo("Bob");
            assertThat(scope.get(0).sceneTypeName()).isEqualTo("dance");
            assertThat(scope.get(2).scene().name()).isEqualTo("a1");
            assertThat(reads.scope(project, a)).extracting(SegmentContext::segmentId).containsExactly(a0, a1);
            assertThatThrownBy(() -> reads.scope(project, stranger)).isInstanceOf(DomainException.class)
                    .satisfies(e -> assertThat(((DomainException) e).field()).isEqualTo("character_id"));
            assertThatThrownBy(() -> reads.scope(999_999, null)).isInstanceOf(DomainException.class)
                    .satisfies(e -> assertThat(ApiError.statusOf((DomainException) e)).isEqualTo(404));
            assertThat(reads.contexts(List.of(a1, 999_999L, b2))).extracting(SegmentContext::segmentId).containsExactly(a1, b2);
            assertThat(reads.allContexts(null)).hasSize(4);

            assertThat(reads.segmentsWithOutputPath("media/shared.mp4")).extracting(Segment::id).containsExactly(a0, a1);
            assertThat(reads.segmentsWithOutputPath("media/none.mp4")).isEmpty();
            Map<String, List<Segment>> byPath = reads.segmentsByOutputPaths(List.of("media/b0.mp4", "media/shared.mp4", "media/none.mp4"));
            assertThat(byPath).containsOnlyKeys("media/b0.mp4", "media/shared.mp4");
            assertThat(reads.segment(a1).orElseThrow().status()).isEqualTo("complete");

            Map<Long, SegmentQuality> quality = reads.quality(List.of(b0, b2));
            assertThat(quality).containsOnlyKeys(b0);
            assertThat(quality.get(b0).overallScore()).isEqualTo(0.75);
            assertThat(quality.get(b0).failureTags()).containsExactly("face_drift");
            List<FrameMetric> frames = reads.frameMetrics(List.of(b0)).get(b0);
            assertThat(frames).extracting(FrameMetric::frame).containsExactly(0L, 1L);
            assertThat(frames.get(0).faceConfidence()).isEqualTo(0.9);
            assertThat(frames.get(0).motionScore()).isNull();
            assertThat(reads.imagesOf(List.of(b))).isEmpty();
            assertThat(reads.quality(List.of())).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void batchedReadsOfMoreSegmentsThanOneInList(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            CatalogService c = new CatalogService(t.db());
            long project = create(c, CatalogModel.PROJECTS, Json.object().put("name", "big"));
            long type = create(c, CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "t"));
            long character = create(c, CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "C"));
            long scene = create(c, CatalogModel.SCENES, Json.object().put("character_id", character).put("scene_type_id", type).put("name", "s"));
            int n = 1_234; // more than two chunks of 500
            t.db().jdbi().useTransaction(h -> {
                var seg = h.prepareBatch("INSERT INTO segments (scene_id, sequence_index, output_video_path) VALUES (:s, :i, :v)");
                for (int i = 0; i < n; i++) seg.bind("s", scene).bind("i", n - 1 - i).bind("v", "media/clip_" + i + ".mp4").add();
                seg.execute();
                h.execute("INSERT INTO segment_quality (segment_id, overall_score) SELECT id, 0.5 FROM segments");
                h.execute("INSERT INTO frame_metrics (segment_id, frame, quality_metric) SELECT id, 0, 0.25 FROM segments");
            });
            CatalogReads reads = c.reads();
            List<Segment> ordered = reads.segmentsOfScene(scene);
            assertThat(ordered).hasSize(n);
            assertThat(ordered.get(0).sequenceIndex()).isZero();
            assertThat(ordered.get(n - 1).sequenceIndex()).isEqualTo(n - 1);
            List<Long> ids = new ArrayList<>(ordered.stream().map(Segment::id).toList());
            assertThat(reads.quality(ids)).hasSize(n);
            assertThat(reads.frameMetrics(ids)).hasSize(n);
            assertThat(reads.contexts(ids)).extracting(SegmentContext::segmentId).containsExactlyElementsOf(ids);
            List<String> paths = LongStream.range(0, n).mapToObj(i -> "media/clip_" + i + ".mp4").toList();
            assertThat(reads.segmentsByOutputPaths(paths)).hasSize(n);
            assertThat(reads.scope(project, null)).hasSize(n);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void requireReadsSmallLookupsBatchesAndTheProjectOfARow(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            CatalogService c = new CatalogService(t.db());
            CatalogReads reads = c.reads();
            long project = create(c, CatalogModel.PROJECTS, Json.object().put("name", "P"));
            long type = create(c, CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "t"));
            long character = create(c, CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "C"));
            long scene = create(c, CatalogModel.SCENES, Json.object().put("character_id", character).put("scene_type_id", type).put("name", "s"));
            long segment = create(c, CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", 0));
            long quality = create(c, CatalogModel.SEGMENT_QUALITY, Json.object().put("segment_id", segment).put("overall_score", 0.5));
            long image = create(c, CatalogModel.IMAGES, Json.object().put("character_id", character).put("image_type", "source")
                    .put("filename", "a.png").put("path", "media/a.png"));
            long variant = create(c, CatalogModel.IMAGE_VARIANTS, Json.object().put("image_id", image).put("variant_type", "clothed"));
            long asset = create(c, CatalogModel.ASSETS, Json.object().put("kind", "model").put("name", "m").put("version_label", "v1"));

            assertThat(reads.requireSegment(segment).sceneId()).isEqualTo(scene);
            assertThat(reads.requireAsset(asset).name()).isEqualTo("m");
            assertThat(reads.requireImage(image).characterId()).isEqualTo(character);
            assertThat(reads.segmentQuality(quality).orElseThrow().segmentId()).isEqualTo(segment);
            assertThat(reads.segmentQuality(quality + 1000)).isEmpty();
            assertThat(reads.imageOfVariant(variant)).contains(image);
            assertThat(reads.imageOfVariant(variant + 1000)).isEmpty();
            long image2 = create(c, CatalogModel.IMAGES, Json.object().put("character_id", character).put("image_type", "source")
                    .put("filename", "b.png").put("path", "media/b.png"));
            long variant2 = create(c, CatalogModel.IMAGE_VARIANTS, Json.object().put("image_id", image2).put("variant_type", "nude"));
            long variant1b = create(c, CatalogModel.IMAGE_VARIANTS, Json.object().put("image_id", image).put("variant_type", "hat"));
            long lora = create(c, CatalogModel.ASSETS, Json.object().put("kind", "lora").put("name", "m").put("version_label", "v1"));
            long metric = create(c, CatalogModel.FRAME_METRICS, Json.object().put("segment_id", segment).put("frame", 0));
            long missing = 999_999;

            // batches by id: unknown ids are absent
            assertThat(reads.projects(List.of(project, missing))).containsOnlyKeys(project);
            assertThat(reads.projects(List.of(project)).get(project).name()).isEqualTo("P");
            assertThat(reads.characters(List.of(character, missing)).get(character).name()).isEqualTo("C");
            assertThat(reads.sceneTypes(List.of(type, missing)).get(type).name()).isEqualTo("t");
            assertThat(reads.scenes(List.of(scene, missing))).extracting(Scene::name).containsExactly("s");
            assertThat(reads.segments(List.of(segment, missing))).containsOnlyKeys(segment);
            assertThat(reads.segments(List.of())).isEmpty();
            // variants in image then id order, with their type and status
            List<ImageVariant> variants = reads.variantsOf(List.of(image2, image));
            assertThat(variants).extracting(ImageVariant::id).containsExactly(variant, variant1b, variant2);
            assertThat(variants.get(0).variantType()).isEqualTo("clothed");
            assertThat(variants.get(0).status()).isEqualTo("pending");
            assertThat(variants.get(0).imageId()).isEqualTo(image);
            assertThat(variants.get(0).updatedAt()).isNotNull();
            // assets by name over kinds, in id order, and the count of every version
            assertThat(reads.assetsNamed("m")).extracting(Asset::id).containsExactly(asset, lora);
            assertThat(reads.assetsNamed("nope")).isEmpty();
            assertThat(reads.assetCount()).isEqualTo(2);
            // the project of any row, through its parents; assets and unknown rows have none
            for (var row : List.<Map.Entry<EntityType, Long>>of(Map.entry(CatalogModel.PROJECTS, project),
                    Map.entry(CatalogModel.CHARACTERS, character), Map.entry(CatalogModel.SCENE_TYPES, type),
                    Map.entry(CatalogModel.IMAGES, image), Map.entry(CatalogModel.IMAGE_VARIANTS, variant2),
                    Map.entry(CatalogModel.SCENES, scene), Map.entry(CatalogModel.SEGMENTS, segment),
                    Map.entry(CatalogModel.SEGMENT_QUALITY, quality), Map.entry(CatalogModel.FRAME_METRICS, metric))) {
                assertThat(reads.projectOf(row.getKey(), row.getValue())).as(row.getKey().label()).contains(project);
                assertThat(reads.projectOf(row.getKey(), missing)).as(row.getKey().label()).isEmpty();
            }
            assertThat(reads.projectOf(CatalogModel.ASSETS, asset)).isEmpty();

            // an image's version chain, walked as the generic version history walks it
            long image3 = c.createVersion(CatalogModel.IMAGES, image, Json.object().put("filename", "a2.png").put("path", "media/a2.png"))
                    .get("id").longValue();
            List<Long> history = c.versionHistory(CatalogModel.IMAGES, image).stream().map(r -> r.get("id").longValue()).toList();
            assertThat(history).containsExactly(image, image3);
            assertThat(reads.imageChain(image)).extracting(Image::id).containsExactlyElementsOf(history);
            assertThat(reads.imageChain(image3)).extracting(Image::id).containsExactlyElementsOf(history);
            assertThat(reads.currentImageInChain(image).id()).isEqualTo(image3);
            assertThat(reads.currentImageInChain(image).versionNumber()).isEqualTo(2);
            assertThat(reads.currentImageInChain(image2).id()).isEqualTo(image2);

            long asset2 = c.createVersion(CatalogModel.ASSETS, asset, Json.object().put("version_label", "v2")).get("id").longValue();
            List<Long> assetHistory = c.versionHistory(CatalogModel.ASSETS, asset2).stream().map(r -> r.get("id").longValue()).toList();
            assertThat(assetHistory).containsExactly(asset, asset2);
            assertThat(reads.assetChain(asset)).extracting(Asset::id).containsExactlyElementsOf(assetHistory);
            assertThat(reads.assetChain(asset2)).extracting(Asset::versionLabel).containsExactly("v1", "v2");

            // the same 404 as the generic CRUD's get
            for (var pair : List.<Map.Entry<EntityType, Runnable>>of(
                    Map.entry(CatalogModel.SEGMENTS, () -> reads.requireSegment(segment + 1000)),
                    Map.entry(CatalogModel.ASSETS, () -> reads.requireAsset(segment + 1000)),
                    Map.entry(CatalogModel.IMAGES, () -> reads.requireImage(segment + 1000)),
                    Map.entry(CatalogModel.IMAGES, () -> reads.imageChain(segment + 1000)),
                    Map.entry(CatalogModel.ASSETS, () -> reads.assetChain(segment + 1000)),
                    Map.entry(CatalogModel.PROJECTS, () -> reads.requireProject(segment + 1000)))) {
                DomainException expected = catchApiError(() -> c.get(pair.getKey(), segment + 1000));
                DomainException actual = catchApiError(pair.getValue());
                assertThat(ApiError.statusOf(actual)).isEqualTo(404);
                assertThat(ApiError.bodyOf(actual)).isEqualTo(ApiError.bodyOf(expected));
            }
        }
    }

    private static DomainException catchApiError(Runnable r) {
        try {
            r.run();
        } catch (DomainException e) {
            return e;
        }
        throw new AssertionError("expected an DomainException");
    }
}
