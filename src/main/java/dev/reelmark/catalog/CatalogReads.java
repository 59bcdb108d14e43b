package dev.reelmark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.db.Database;
import dev.reelmark.db.Timestamps;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.json.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed reads of the catalog for features: records mapped by Jdbi row mappers, and the questions features ask
 * (the segments of a project in order, a segment by its clip's path, the quality of many segments). Lists of ids are
 * read with IN queries in chunks of {@value #CHUNK}. The generic JSON CRUD for HTTP stays in {@link CatalogService}.
 */
public final class CatalogReads {
    static final int CHUNK = 500;

    /** Catalog order of segments: character, scene, sequence index, then id. */
    private static final String SEGMENT_ORDER = " ORDER BY c.id, sc.id, s.sequence_index, s.id";

    private final Jdbi jdbi;

    public CatalogReads(Database db) {
        this(db.jdbi());
    }

    CatalogReads(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    // ---- single rows ----

    public Optional<Project> project(long id) {
        return one("SELECT * FROM projects WHERE id = :id", id, PROJECT);
    }

    /** The project, or a 404 naming it. */
    public Project requireProject(long id) {
        return project(id).orElseThrow(() -> NotFound.of("project", id));
    }

    public Optional<Character> character(long id) {
        return one("SELECT * FROM characters WHERE id = :id", id, CHARACTER);
    }

    public Optional<Scene> scene(long id) {
        return one("SELECT * FROM scenes WHERE id = :id", id, SCENE);
    }

    public Optional<Segment> segment(long id) {
        return one("SELECT * FROM segments WHERE id = :id", id, SEGMENT);
    }

    public Optional<Asset> asset(long id) {
        return one("SELECT * FROM assets WHERE id = :id", id, ASSET);
    }

    public Optional<Image> image(long id) {
        return one("SELECT * FROM images WHERE id = :id", id, IMAGE);
    }

    /** The segment, or a 404 naming it. */
    public Segment requireSegment(long id) {
        return segment(id).orElseThrow(() -> NotFound.of("segment", id));
    }

    /** The asset version, or a 404 naming it. */
    public Asset requireAsset(long id) {
        return asset(id).orElseThrow(() -> NotFound.of("asset", id));
    }

    /** The image, or a 404 naming it. */
    public Image requireImage(long id) {
        return image(id).orElseThrow(() -> NotFound.of("image", id));
    }

    /** A segment's quality record by its own id. */
    public Optional<SegmentQuality> segmentQuality(long id) {
        return one("SELECT * FROM segment_quality WHERE id = :id", id, QUALITY);
    }

    /** The image an image variant was derived from, or empty for an unknown variant. */
    public Optional<Long> imageOfVariant(long variantId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT image_id FROM image_variants WHERE id = :id")
                .bind("id", variantId).mapTo(Long.class).findOne());
    }

    /**
     * The project a catalog row belongs to, following its parent references (segment → scene → character → project);
     * empty for an unknown row or for an asset (assets belong to no project).
     */
    public Optional<Long> projectOf(EntityType type, long id) {
        String sql = switch (type.table()) {
            case "projects" -> "SELECT id FROM projects WHERE id = :id";
            case "characters", "scene_types" -> "SELECT project_id FROM " + type.table() + " WHERE id = :id";
            case "images" -> "SELECT c.project_id FROM images i JOIN characters c ON c.id = i.character_id WHERE i.id = :id";
            case "image_variants" -> "SELECT c.project_id FROM image_variants v JOIN images i ON i.id = v.image_id"
                    + " JOIN characters c ON c.id = i.character_id WHERE v.id = :id";
            case "scenes" -> "SELECT c.project_id FROM scenes sc JOIN characters c ON c.id = sc.character_id WHERE sc.id = :id";
            case "segments" -> "SELECT c.project_id FROM segments s JOIN scenes sc ON sc.id = s.scene_id"
                    + " JOIN characters c ON c.id = sc.character_id WHERE s.id = :id";
            case "segment_quality", "frame_metrics" -> "SELECT c.project_id FROM " + type.table() + " x"
                    + " JOIN segments s ON s.id = x.segment_id JOIN scenes sc ON sc.id = s.scene_id"
                    + " JOIN characters c ON c.id = sc.character_id WHERE x.id = :id";
            default -> null;
        };
        if (sql == null) return Optional.empty();
        return jdbi.withHandle(h -> h.createQuery(sql).bind("id", id).mapTo(Long.class).findOne());
    }

    // ---- lists ----

    /** The characters of a project in id order. */
    public List<Character> charactersOf(long projectId) {
        return list("SELECT * FROM characters WHERE project_id = :id ORDER BY id", projectId, CHARACTER);
    }

    /** The scene types of a project in id order. */
    public List<SceneType> sceneTypesOf(long projectId) {
        return list("SELECT * FROM scene_types WHERE project_id = :id ORDER BY id", projectId, SCENE_TYPE);
    }

    /** The scenes of a character in id order. */
    public List<Scene> scenesOf(long characterId) {
        return list("SELECT * FROM scenes WHERE character_id = :id ORDER BY id", characterId, SCENE);
    }

    /** The scenes of these characters, in character then id order. */
    public List<Scene> scenesOfCharacters(Collection<Long> characterIds) {
        return in("SELECT * FROM scenes WHERE character_id IN (<ids>) ORDER BY character_id, id", characterIds, SCENE);
    }

    /** The scenes of one scene type, in id order. */
    public List<Scene> scenesOfType(long sceneTypeId) {
        return list("SELECT * FROM scenes WHERE scene_type_id = :id ORDER BY id", sceneTypeId, SCENE);
    }

    /** These segments by id (unknown ids are absent). */
    public Map<Long, Segment> segments(Collection<Long> ids) {
        return byId(in("SELECT * FROM segments WHERE id IN (<ids>)", ids, SEGMENT), Segment::id);
    }

    /** The segments of a scene in sequence order. */
    public List<Segment> segmentsOfScene(long sceneId) {
        return list("SELECT * FROM segments WHERE scene_id = :id ORDER BY sequence_index, id", sceneId, SEGMENT);
    }

    /** The segments of these scenes, grouped by scene, each in sequence order. */
    public Map<Long, List<Segment>> segmentsOfScenes(Collection<Long> sceneIds) {
        return group(in("SELECT * FROM segments WHERE scene_id IN (<ids>) ORDER BY scene_id, sequence_index, id",
                sceneIds, SEGMENT), Segment::sceneId);
    }

    /** Every segment of a project, in catalog order (character, scene, sequence index). */
    public List<Segment> segmentsOfProject(long projectId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT s.* FROM segments s JOIN scenes sc ON sc.id = s.scene_id"
                + " JOIN characters c ON c.id = sc.character_id WHERE c.project_id = :id" + SEGMENT_ORDER)
                .bind("id", projectId).map(SEGMENT).list());
    }

    /** Every segment of a character, in scene then sequence order. */
    public List<Segment> segmentsOfCharacter(long characterId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT s.* FROM segments s JOIN scenes sc ON sc.id = s.scene_id"
                + " JOIN characters c ON c.id = sc.character_id WHERE c.id = :id" + SEGMENT_ORDER)
                .bind("id", characterId).map(SEGMENT).list());
    }

    /** The segments whose clip is stored at exactly this path (usually one). */
    public List<Segment> segmentsWithOutputPath(String path) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM segments WHERE output_video_path = :p ORDER BY id")
                .bind("p", path).map(SEGMENT).list());
    }

    /** The segments stored at each of these paths, by path (paths without a segment are absent). */
    public Map<String, List<Segment>> segmentsByOutputPaths(Collection<String> paths) {
        List<String> distinct = paths.stream().distinct().toList();
        List<Segment> rows = new ArrayList<>();
        jdbi.useHandle(h -> {
            for (int from = 0; from < distinct.size(); from += CHUNK) {
                rows.addAll(h.createQuery("SELECT * FROM segments WHERE output_video_path IN (<p>) ORDER BY id")
                        .bindList("p", distinct.subList(from, Math.min(distinct.size(), from + CHUNK))).map(SEGMENT).list());
            }
        });
        return group(rows, Segment::outputVideoPath);
    }

    /**
     * The segments of a scope with their scene, scene type and character, in catalog order: a whole project, or one
     * of its characters. 404 for an unknown project; 400 naming {@code character_id} for a character of another project.
     */
    public List<SegmentContext> scope(long projectId, Long characterId) {
        requireProject(projectId);
        if (characterId != null) {
            Character c = character(characterId)
                    .orElseThrow(() -> InvalidInput.field("character_id", "no character with id " + characterId));
            if (c.projectId() != projectId) {
                throw InvalidInput.field("character_id", "character " + characterId + " belongs to another project");
            }
        }
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT s.id FROM segments s JOIN scenes sc ON sc.id = s.scene_id"
                    + " JOIN characters c ON c.id = sc.character_id WHERE c.project_id = :p"
                    + (characterId == null ? "" : " AND c.id = :c") + SEGMENT_ORDER).bind("p", projectId);
            if (characterId != null) q.bind("c", characterId);
            return contexts(h, q.mapTo(Long.class).list());
        });
    }

    /** Every segment of the catalog (or of one project) with its context, in catalog order. */
    public List<SegmentContext> allContexts(Long projectId) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT s.id FROM segments s JOIN scenes sc ON sc.id = s.scene_id"
                    + " JOIN characters c ON c.id = sc.character_id" + (projectId == null ? "" : " WHERE c.project_id = :p")
                    + SEGMENT_ORDER);
            if (projectId != null) q.bind("p", projectId);
            return contexts(h, q.mapTo(Long.class).list());
        });
    }

    /** These segments with their context, in the order asked; unknown ids are left out. */
    public List<SegmentContext> contexts(Collection<Long> segmentIds) {
        return jdbi.withHandle(h -> contexts(h, List.copyOf(segmentIds)));
    }

    /** One segment with its context, or a 404. */
    public SegmentContext context(long segmentId) {
        List<SegmentContext> found = contexts(List.of(segmentId));
        if (found.isEmpty()) throw NotFound.of("segment", segmentId);
        return found.get(0);
    }

    private static List<SegmentContext> contexts(Handle h, List<Long> segmentIds) {
        if (segmentIds.isEmpty()) return List.of();
        Map<Long, Segment> segments = byId(in(h, "SELECT * FROM segments WHERE id IN (<ids>)", segmentIds, SEGMENT), Segment::id);
        Map<Long, Scene> scenes = byId(in(h, "SELECT * FROM scenes WHERE id IN (<ids>)",
                segments.values().stream().map(Segment::sceneId).distinct().toList(), SCENE), Scene::id);
        Map<Long, SceneType> types = byId(in(h, "SELECT * FROM scene_types WHERE id IN (<ids>)",
                scenes.values().stream().map(Scene::sceneTypeId).distinct().toList(), SCENE_TYPE), SceneType::id);
        Map<Long, Character> characters = byId(in(h, "SELECT * FROM characters WHERE id IN (<ids>)",
                scenes.values().stream().map(Scene::characterId).distinct().toList(), CHARACTER), Character::id);
        List<SegmentContext> out = new ArrayList<>(segmentIds.size());
        for (long id : segmentIds) {
            Segment s = segments.get(id);
            if (s == null) continue;
            Scene scene = scenes.get(s.sceneId());
            if (scene == null) continue;
            Character c = characters.get(scene.characterId());
            if (c == null) continue;
            out.add(new SegmentContext(s, scene, types.get(scene.sceneTypeId()), c));
        }
        return out;
    }

    /** These projects by id (unknown ids are absent). */
    public Map<Long, Project> projects(Collection<Long> ids) {
        return byId(in("SELECT * FROM projects WHERE id IN (<ids>)", ids, PROJECT), Project::id);
    }

    /** These characters by id (unknown ids are absent). */
    public Map<Long, Character> characters(Collection<Long> ids) {
        return byId(in("SELECT * FROM characters WHERE id IN (<ids>)", ids, CHARACTER), Character::id);
    }

    /** These scenes in id order (unknown ids are left out). */
    public List<Scene> scenes(Collection<Long> ids) {
        return in("SELECT * FROM scenes WHERE id IN (<ids>) ORDER BY id", ids, SCENE);
    }

    /** These scene types by id (unknown ids are absent). */
    public Map<Long, SceneType> sceneTypes(Collection<Long> ids) {
        return byId(in("SELECT * FROM scene_types WHERE id IN (<ids>)", ids, SCENE_TYPE), SceneType::id);
    }

    /** The variants of these images, in image then id order. */
    public List<ImageVariant> variantsOf(Collection<Long> imageIds) {
        return in("SELECT * FROM image_variants WHERE image_id IN (<ids>) ORDER BY image_id, id", imageIds, VARIANT);
    }

    /**
     * The version chain of an image, oldest first, as {@link CatalogService#versionHistory} walks it (from the newest
     * version that follows {@code id} back through each previous version); 404 for an unknown image.
     */
    public List<Image> imageChain(long id) {
        return chain("images", "image", id, IMAGE, Image::previousVersionId);
    }

    /** The version chain of an asset, oldest first, as {@link #imageChain} walks an image's; 404 for an unknown asset. */
    public List<Asset> assetChain(long id) {
        return chain("assets", "asset", id, ASSET, Asset::previousVersionId);
    }

    private <T> List<T> chain(String table, String label, long id, RowMapper<T> mapper, Function<T, Long> previous) {
        return jdbi.withHandle(h -> {
            h.createQuery("SELECT * FROM " + table + " WHERE id = :id").bind("id", id).map(mapper).findOne()
                    .orElseThrow(() -> NotFound.of(label, id));
            long cursor = id;
            for (int hops = 0; ; hops++) {
                if (hops >= 10_000) throw new IllegalStateException("version chain of " + label + " " + id + " does not end");
                Optional<Long> next = h.createQuery("SELECT id FROM " + table + " WHERE previous_version_id = :id"
                        + " ORDER BY version_number DESC, id DESC LIMIT 1").bind("id", cursor).mapTo(Long.class).findOne();
                if (next.isEmpty()) break;
                cursor = next.get();
            }
            List<T> chain = new ArrayList<>();
            Long at = cursor;
            while (at != null && chain.size() < 10_000) {
                T row = h.createQuery("SELECT * FROM " + table + " WHERE id = :id").bind("id", at).map(mapper).one();
                chain.add(row);
                at = previous.apply(row);
            }
            java.util.Collections.reverse(chain);
            return chain;
        });
    }

    /** The current version in an image's chain (the newest when none is marked current); 404 for an unknown image. */
    public Image currentImageInChain(long id) {
        List<Image> chain = imageChain(id);
        return chain.stream().filter(Image::currentVersion).findFirst().orElse(chain.get(chain.size() - 1));
    }

    /** The images of these characters (every version), in character then id order. */
    public List<Image> imagesOf(Collection<Long> characterIds) {
        return in("SELECT * FROM images WHERE character_id IN (<ids>) ORDER BY character_id, id", characterIds, IMAGE);
    }

    /** Every asset version of one kind ({@code model}, {@code lora}, ...) in id order. */
    public List<Asset> assetsOfKind(String kind) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM assets WHERE kind = :k ORDER BY id")
                .bind("k", kind).map(ASSET).list());
    }

    /** How many asset versions the catalog holds (every kind, every version). */
    public int assetCount() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM assets").mapTo(Integer.class).one());
    }

    /** Every asset version with this name (of any kind) in id order. */
    public List<Asset> assetsNamed(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM assets WHERE name = :n ORDER BY id")
                .bind("n", name).map(ASSET).list());
    }

    /** The quality record of each of these segments that has one. */
    public Map<Long, SegmentQuality> quality(Collection<Long> segmentIds) {
        Map<Long, SegmentQuality> out = new HashMap<>();
        for (SegmentQuality q : in("SELECT * FROM segment_quality WHERE segment_id IN (<ids>)", segmentIds, QUALITY)) {
            out.put(q.segmentId(), q);
        }
        return out;
    }

    /** The frame metrics of each of these segments, by segment, in frame order. */
    public Map<Long, List<FrameMetric>> frameMetrics(Collection<Long> segmentIds) {
        return group(in("SELECT * FROM frame_metrics WHERE segment_id IN (<ids>) ORDER BY segment_id, frame",
                segmentIds, FRAME), FrameMetric::segmentId);
    }

    // ---- plumbing ----

    private <T> Optional<T> one(String sql, long id, RowMapper<T> mapper) {
        return jdbi.withHandle(h -> h.createQuery(sql).bind("id", id).map(mapper).findOne());
    }

    private <T> List<T> list(String sql, long id, RowMapper<T> mapper) {
        return jdbi.withHandle(h -> h.createQuery(sql).bind("id", id).map(mapper).list());
    }

    private <T> List<T> in(String sql, Collection<Long> ids, RowMapper<T> mapper) {
        if (ids.isEmpty()) return List.of();
        List<Long> distinct = ids.stream().distinct().toList();
        return jdbi.withHandle(h -> in(h, sql, distinct, mapper));
    }

    /** Runs {@code sql} (with an {@code <ids>} list) per chunk; results of several chunks keep the SQL's order per chunk. */
    private static <T> List<T> in(Handle h, String sql, List<Long> ids, RowMapper<T> mapper) {
        List<T> rows = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            rows.addAll(h.createQuery(sql).bindList("ids", ids.subList(from, Math.min(ids.size(), from + CHUNK)))
                    .map(mapper).list());
        }
        return rows;
    }

    private static <K, T> Map<K, List<T>> group(List<T> rows, Function<T, K> key) {
        Map<K, List<T>> out = new LinkedHashMap<>();
        for (T r : rows) out.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r);
        return out;
    }

    private static <T> Map<Long, T> byId(List<T> rows, Function<T, Long> id) {
        Map<Long, T> out = new HashMap<>();
        for (T r : rows) out.put(id.apply(r), r);
        return out;
    }

    // ---- row mappers (columns as in V1__catalog.sql; JSON columns parsed, timestamps from either vendor) ----

    static final RowMapper<Project> PROJECT = (rs, ctx) -> new Project(rs.getLong("id"), rs.getString("name"),
            rs.getString("description"), Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"));

    static final RowMapper<Character> CHARACTER = (rs, ctx) -> new Character(rs.getLong("id"), rs.getLong("project_id"),
            rs.getString("name"), rs.getString("description"), textList(rs, "tags"), rs.getString("height"),
            rs.getString("build"), rs.getString("hair_color"), rs.getString("eye_color"), object(rs, "custom_fields"),
            Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"));

    static final RowMapper<Image> IMAGE = (rs, ctx) -> new Image(rs.getLong("id"), rs.getLong("character_id"),
            rs.getString("image_type"), nullableLong(rs, "source_image_id"), rs.getString("filename"), rs.getString("path"),
            rs.getString("content_hash"), rs.getInt("version_number"), nullableLong(rs, "previous_version_id"),
            rs.getBoolean("is_current_version"), Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"));

    static final RowMapper<ImageVariant> VARIANT = (rs, ctx) -> new ImageVariant(rs.getLong("id"), rs.getLong("image_id"),
            rs.getString("variant_type"), rs.getString("status"), Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"));

    static final RowMapper<SceneType> SCENE_TYPE = (rs, ctx) -> new SceneType(rs.getLong("id"), rs.getLong("project_id"),
            rs.getString("name"), rs.getString("description"), Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"));

    static final RowMapper<Scene> SCENE = (rs, ctx) -> new Scene(rs.getLong("id"), rs.getLong("character_id"),
            rs.getLong("scene_type_id"), rs.getString("name"), rs.getString("status"), Timestamps.read(rs, "created_at"),
            Timestamps.read(rs, "updated_at"));

    static final RowMapper<Segment> SEGMENT = (rs, ctx) -> new Segment(rs.getLong("id"), rs.getLong("scene_id"),
            rs.getInt("sequence_index"), rs.getString("seed_frame_path"), rs.getString("output_video_path"),
            rs.getString("last_frame_path"), rs.getString("status"), Timestamps.read(rs, "created_at"),
            Timestamps.read(rs, "updated_at"));

    static final RowMapper<SegmentQuality> QUALITY = (rs, ctx) -> new SegmentQuality(rs.getLong("id"),
            rs.getLong("segment_id"), rs.getDouble("overall_score"), textList(rs, "failure_tags"),
            Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"));

    static final RowMapper<FrameMetric> FRAME = (rs, ctx) -> new FrameMetric(rs.getLong("segment_id"), rs.getLong("frame"),
            nullableDouble(rs, "face_confidence"), nullableDouble(rs, "motion_score"), nullableDouble(rs, "quality_metric"),
            nullableDouble(rs, "boundary_ssim"));

    static final RowMapper<Asset> ASSET = (rs, ctx) -> new Asset(rs.getLong("id"), rs.getString("kind"), rs.getString("name"),
            rs.getString("version_label"), rs.getInt("version_number"), rs.getString("checksum_sha256"),
            rs.getString("file_path"), rs.getString("description"), rs.getBoolean("is_current_version"),
            nullableLong(rs, "previous_version_id"), Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"));

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static List<String> textList(ResultSet rs, String column) throws SQLException {
        String json = rs.getString(column);
        if (json == null) return List.of();
        List<String> out = new ArrayList<>();
        for (JsonNode n : Json.parse(json)) out.add(n.asText());
        return out;
    }

    private static ObjectNode object(ResultSet rs, String column) throws SQLException {
        String json = rs.getString(column);
        if (json == null) return null;
        JsonNode n = Json.parse(json);
        return n instanceof ObjectNode o ? o : null;
    }
}
