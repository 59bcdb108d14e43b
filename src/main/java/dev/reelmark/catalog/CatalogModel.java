package dev.reelmark.catalog;

import java.util.List;

import static dev.reelmark.catalog.Field.bool;
import static dev.reelmark.catalog.Field.integer;
import static dev.reelmark.catalog.Field.number;
import static dev.reelmark.catalog.Field.object;
import static dev.reelmark.catalog.Field.oneOf;
import static dev.reelmark.catalog.Field.ref;
import static dev.reelmark.catalog.Field.text;
import static dev.reelmark.catalog.Field.textList;

/** The catalog's entities, as the API and the database know them (see db/migration/&#42;/V1__catalog.sql). */
public final class CatalogModel {
    private static final int NAME_MAX = 500;
    private static final String SHA256 = "^[0-9a-f]{64}$";

    public static final EntityType PROJECTS = new EntityType("project", "projects", "projects", "Project", List.of(
            text("name").required().maxLength(NAME_MAX),
            text("description")), List.of(), false);

    public static final EntityType CHARACTERS = new EntityType("character", "characters", "characters", "Character", List.of(
            ref("project_id", "projects", "project").required().createOnly(),
            text("name").required().maxLength(NAME_MAX),
            text("description"),
            textList("tags"),
            text("height").maxLength(NAME_MAX),
            text("build").maxLength(NAME_MAX),
            text("hair_color").maxLength(NAME_MAX),
            text("eye_color").maxLength(NAME_MAX),
            object("custom_fields").describedAs("Free-form key/value pairs; omitted from metadata when null")),
            List.of(), false);

    public static final EntityType IMAGES = new EntityType("image", "images", "images", "Image", List.of(
            ref("character_id", "characters", "character").required().createOnly(),
            oneOf("image_type", "source", "derived").required().createOnly(),
            ref("source_image_id", "images", "image").describedAs("For a derived image: the source image it was made from"),
            text("filename").required().maxLength(1024),
            text("path").required().maxLength(4096),
            text("content_hash").maxLength(200),
            integer("version_number").serverManaged(),
            ref("previous_version_id", "images", "image").serverManaged(),
            bool("is_current_version").serverManaged()),
            List.of(new ConsistencyRule("source_image_id", List.of("source_image_id", "character_id"),
                    "SELECT 1 FROM images WHERE id = :source_image_id AND character_id = :character_id AND image_type = 'source'",
                    "must be a source image of the same character")),
            true);

    public static final EntityType IMAGE_VARIANTS = new EntityType("image variant", "image_variants", "image-variants", "ImageVariant", List.of(
            ref("image_id", "images", "image").required(),
            text("variant_type").required().maxLength(NAME_MAX),
            oneOf("status", "pending", "generated", "approved", "rejected").defaultsTo("pending")),
            List.of(), false);

    public static final EntityType SCENE_TYPES = new EntityType("scene type", "scene_types", "scene-types", "SceneType", List.of(
            ref("project_id", "projects", "project").required().createOnly(),
            text("name").required().maxLength(NAME_MAX),
            text("description")), List.of(), false);

    public static final EntityType SCENES = new EntityType("scene", "scenes", "scenes", "Scene", List.of(
            ref("character_id", "characters", "character").required().createOnly(),
            ref("scene_type_id", "scene_types", "scene type").required(),
            text("name").required().maxLength(NAME_MAX),
            oneOf("status", "pending", "generating", "complete", "approved", "rejected").defaultsTo("pending")),
            List.of(new ConsistencyRule("scene_type_id", List.of("scene_type_id", "character_id"),
                    "SELECT 1 FROM scene_types st JOIN characters c ON c.project_id = st.project_id"
                            + " WHERE st.id = :scene_type_id AND c.id = :character_id",
                    "must be a scene type of the character's project")),
            false);

    public static final EntityType SEGMENTS = new EntityType("segment", "segments", "segments", "Segment", List.of(
            ref("scene_id", "scenes", "scene").required().createOnly(),
            integer("sequence_index").required().range(0, Integer.MAX_VALUE),
            text("seed_frame_path").maxLength(4096),
            text("output_video_path").maxLength(4096),
            text("last_frame_path").maxLength(4096),
            oneOf("status", "pending", "generating", "complete", "failed", "approved", "rejected").defaultsTo("pending")),
            List.of(), false);

    public static final EntityType SEGMENT_QUALITY = new EntityType("segment quality", "segment_quality", "segment-quality", "SegmentQuality", List.of(
            ref("segment_id", "segments", "segment").required().createOnly(),
            number("overall_score").required().range(0, 1),
            textList("failure_tags")), List.of(), false);

    public static final EntityType FRAME_METRICS = new EntityType("frame metric", "frame_metrics", "frame-metrics", "FrameMetric", List.of(
            ref("segment_id", "segments", "segment").required().createOnly(),
            integer("frame").required().range(0, Integer.MAX_VALUE).describedAs("Zero-based frame number"),
            number("face_confidence").range(0, 1),
            number("motion_score").range(0, Double.MAX_VALUE),
            number("quality_metric").range(0, Double.MAX_VALUE),
            number("boundary_ssim").range(-1, 1)), List.of(), false);

    public static final EntityType ASSETS = new EntityType("asset", "assets", "assets", "Asset", List.of(
            oneOf("kind", "model", "lora", "workflow", "custom_node").required().createOnly(),
            text("name").required().createOnly().maxLength(NAME_MAX),
            text("version_label").required().createOnly().maxLength(NAME_MAX),
            text("checksum_sha256").createOnly().pattern(SHA256).describedAs("64 lowercase hex digits"),
            text("file_path").createOnly().maxLength(4096),
            text("description"),
            integer("version_number").serverManaged(),
            ref("previous_version_id", "assets", "asset").serverManaged(),
            bool("is_current_version").serverManaged()),
            List.of(), true);

    /** In dependency order: parents before children. */
    public static final List<EntityType> ALL = List.of(PROJECTS, CHARACTERS, IMAGES, IMAGE_VARIANTS, SCENE_TYPES,
            SCENES, SEGMENTS, SEGMENT_QUALITY, FRAME_METRICS, ASSETS);

    private CatalogModel() {
    }
}
