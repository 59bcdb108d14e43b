package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.catalog.EntityType;
import dev.reelmark.catalog.SegmentMedia;
import dev.reelmark.http.ApiError;
import dev.reelmark.http.Json;
import dev.reelmark.media.MediaRoots;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gathers {@link Clip}s from the catalog's public service and {@link SegmentMedia} (ffprobe, cached by file
 * identity). Shared by sidecar export and dataset export.
 */
public final class ClipFacts {
    private final CatalogService catalog;
    private final SegmentMedia media;
    private final MediaRoots roots;

    public ClipFacts(CatalogService catalog, SegmentMedia media, MediaRoots roots) {
        this.catalog = catalog;
        this.media = media;
        this.roots = roots;
    }

    /** One segment of a scope, before its video is looked at. */
    public record ScopeSegment(ObjectNode segment, ObjectNode scene, String sceneType, ObjectNode character) {
        public long segmentId() {
            return segment.get("id").longValue();
        }

        public long sceneId() {
            return scene.get("id").longValue();
        }
    }

    /**
     * Every segment of a project (or of one of its characters), ordered by character, scene and sequence index.
     * 404 for an unknown project; 400 naming {@code character_id} for a character of another project.
     */
    public List<ScopeSegment> scope(long projectId, Long characterId) {
        catalog.get(CatalogModel.PROJECTS, projectId);
        Map<Long, String> sceneTypes = new HashMap<>();
        for (ObjectNode t : all(CatalogModel.SCENE_TYPES, Map.of("project_id", projectId))) {
            sceneTypes.put(t.get("id").longValue(), t.get("name").asText());
        }
        List<ObjectNode> characters;
        if (characterId != null) {
            ObjectNode c = catalog.find(CatalogModel.CHARACTERS, characterId)
                    .orElseThrow(() -> ApiError.badField("character_id", "no character with id " + characterId));
            if (c.get("project_id").longValue() != projectId) {
                throw ApiError.badField("character_id", "character " + characterId + " belongs to another project");
            }
            characters = List.of(c);
        } else {
            characters = all(CatalogModel.CHARACTERS, Map.of("project_id", projectId));
        }
        List<ScopeSegment> out = new ArrayList<>();
        for (ObjectNode character : characters) {
            for (ObjectNode scene : all(CatalogModel.SCENES, Map.of("character_id", character.get("id").longValue()))) {
                TreeMap<String, ObjectNode> ordered = new TreeMap<>();
                for (ObjectNode seg : all(CatalogModel.SEGMENTS, Map.of("scene_id", scene.get("id").longValue()))) {
                    ordered.put(String.format("%010d-%019d", seg.get("sequence_index").intValue(), seg.get("id").longValue()), seg);
                }
                String type = sceneTypes.get(scene.get("scene_type_id").longValue());
                ordered.values().forEach(seg -> out.add(new ScopeSegment(seg, scene, type, character)));
            }
        }
        return out;
    }

    /** The segment, its scene and character, for a preview of one chosen segment (404 when unknown). */
    public ScopeSegment segment(long segmentId) {
        ObjectNode seg = catalog.get(CatalogModel.SEGMENTS, segmentId);
        ObjectNode scene = catalog.get(CatalogModel.SCENES, seg.get("scene_id").longValue());
        ObjectNode character = catalog.get(CatalogModel.CHARACTERS, scene.get("character_id").longValue());
        String type = catalog.find(CatalogModel.SCENE_TYPES, scene.get("scene_type_id").longValue())
                .map(t -> t.get("name").asText()).orElse(null);
        return new ScopeSegment(seg, scene, type, character);
    }

    /** Everything about one segment; a missing or unreadable video leaves {@code tech} null with the reason. */
    public Clip clip(ScopeSegment s) {
        return clips(List.of(s)).get(0);
    }

    /** {@link #clip} for many segments, reading their quality records in one query per 500. */
    public List<Clip> clips(List<ScopeSegment> segments) {
        Map<Long, ObjectNode> quality = new HashMap<>();
        for (ObjectNode q : catalog.listByRef(CatalogModel.SEGMENT_QUALITY, "segment_id", segments.stream().map(ScopeSegment::segmentId).toList())) {
            quality.put(q.get("segment_id").longValue(), q);
        }
        List<Clip> out = new ArrayList<>(segments.size());
        for (ScopeSegment s : segments) out.add(clip(s, quality.get(s.segmentId())));
        return out;
    }

    private Clip clip(ScopeSegment s, ObjectNode quality) {
        long id = s.segmentId();
        String stored = s.segment().get("output_video_path").isNull() ? null : s.segment().get("output_video_path").asText();
        Path file = stored == null ? null : roots.resolve(stored).orElse(null);
        ObjectNode tech = null;
        String techError = null;
        if (stored == null) {
            techError = "the segment has no output video yet";
        } else {
            try {
                tech = media.technicalInfo(id);
            } catch (ApiError e) {
                techError = e.getMessage();
            }
        }
        Double score = null;
        List<String> tags = List.of();
        if (quality != null) {
            score = quality.get("overall_score").doubleValue();
            List<String> t = new ArrayList<>();
            quality.path("failure_tags").forEach(n -> t.add(n.asText()));
            tags = List.copyOf(t);
        }
        String comment = tech == null ? null : tech.path("tags").path("comment").asText(null);
        return new Clip(id, s.segment().get("sequence_index").intValue(), s.segment().get("status").asText(),
                s.sceneId(), s.scene().get("name").asText(), s.sceneType(), s.character().get("id").longValue(),
                s.character().get("name").asText(), stored, file, tech, techError, score, tags, generation(comment));
    }

    /** One frame's metrics; null values where nothing was measured. */
    public record FrameRow(long frame, Double faceConfidence, Double motionScore, Double qualityMetric, Double boundarySsim) {
    }

    /** The frame metrics recorded for a segment, by frame number. */
    public TreeMap<Long, FrameRow> frames(long segmentId) {
        return frames(List.of(segmentId)).getOrDefault(segmentId, new TreeMap<>());
    }

    /** Frame metrics of many segments (one query per 500 segments), by segment then frame. */
    public Map<Long, TreeMap<Long, FrameRow>> frames(java.util.Collection<Long> segmentIds) {
        Map<Long, TreeMap<Long, FrameRow>> out = new HashMap<>();
        for (ObjectNode m : catalog.listByRef(CatalogModel.FRAME_METRICS, "segment_id", segmentIds)) {
            long frame = m.get("frame").longValue();
            out.computeIfAbsent(m.get("segment_id").longValue(), k -> new TreeMap<>())
                    .put(frame, new FrameRow(frame, num(m, "face_confidence"), num(m, "motion_score"), num(m, "quality_metric"), num(m, "boundary_ssim")));
        }
        return out;
    }

    private static Double num(ObjectNode m, String f) {
        JsonNode n = m.get(f);
        return n == null || n.isNull() ? null : n.doubleValue();
    }

    /**
     * Reads ComfyUI's prompt graph ({@code {"prompt": {id: {class_type, inputs}}}}, as VideoHelperSuite writes it):
     * the CLIPTextEncode texts in node-id order are the positive then the negative prompt; LoraLoader nodes give
     * the LoRAs; KSampler the seed; CheckpointLoaderSimple the model. A comment that is not such JSON becomes the prompt.
     */
    static Clip.GenerationParams generation(String comment) {
        if (comment == null || comment.isBlank()) return Clip.GenerationParams.NONE;
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(comment);
        } catch (Exception e) {
            return new Clip.GenerationParams(Json.object().put("comment", comment), comment, null, null, null, Json.MAPPER.createArrayNode());
        }
        if (root == null || !root.isObject()) {
            return new Clip.GenerationParams(Json.object().put("comment", comment), comment, null, null, null, Json.MAPPER.createArrayNode());
        }
        JsonNode graph = root.has("prompt") && root.get("prompt").isObject() ? root.get("prompt") : root;
        TreeMap<String, JsonNode> nodes = new TreeMap<>((a, b) -> {
            boolean na = a.matches("\\d{1,9}"), nb = b.matches("\\d{1,9}");
            if (na && nb) return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
            return na != nb ? (na ? -1 : 1) : a.compareTo(b);
        });
        graph.fields().forEachRemaining(e -> nodes.put(e.getKey(), e.getValue()));
        List<String> texts = new ArrayList<>();
        ArrayNode loras = Json.MAPPER.createArrayNode();
        Long seed = null;
        String model = null;
        for (JsonNode node : nodes.values()) {
            String type = node.path("class_type").asText("");
            JsonNode in = node.path("inputs");
            switch (type) {
                case "CLIPTextEncode" -> {
                    if (in.path("text").isTextual()) texts.add(in.get("text").asText());
                }
                case "LoraLoader", "LoraLoaderModelOnly" -> {
                    ObjectNode l = loras.addObject().put("name", in.path("lora_name").asText(null));
                    if (in.has("strength_model")) l.set("strength_model", in.get("strength_model"));
                    if (in.has("strength_clip")) l.set("strength_clip", in.get("strength_clip"));
                }
                case "KSampler", "KSamplerAdvanced" -> {
                    JsonNode s = in.has("seed") ? in.get("seed") : in.get("noise_seed");
                    if (s != null && s.canConvertToLong()) seed = s.longValue();
                }
                case "CheckpointLoaderSimple", "UNETLoader" -> model = in.has("ckpt_name") ? in.get("ckpt_name").asText() : in.path("unet_name").asText(null);
                default -> {
                }
            }
        }
        return new Clip.GenerationParams(graph, texts.isEmpty() ? null : texts.get(0), texts.size() > 1 ? texts.get(1) : null,
                seed, model, loras);
    }

    private List<ObjectNode> all(EntityType type, Map<String, Object> filter) {
        List<ObjectNode> rows = new ArrayList<>();
        Long after = null;
        do {
            var page = catalog.list(type, filter, 500, after);
            rows.addAll(page.items());
            after = page.nextAfter();
        } while (after != null);
        return rows;
    }
}
