package dev.reelmark.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.catalog.SegmentContext;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.json.Json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a dataset export packages: filters (quality threshold 0..1, scene type names, character ids), the
 * train/validation/test split in whole percentages summing to 100, the seed that makes the split repeatable, and
 * whether videos, frame images and face crops go in, whether unfinished segments (pending, generating, failed,
 * rejected) may go in too ({@code include_unfinished}, off by default), the package format ({@link DatasetFormat}), and
 * whether the packaged videos are C2PA-signed copies ({@code content_credentials}, off by default).
 * {@code segment_ids} narrows the export to a hand-picked selection of the project's segments (the other filters still
 * apply to it); left out, every segment of the project is a candidate.
 * Every problem is a 400 naming the field; every number is range-checked before it is narrowed (a percentage of
 * 4294967396 is refused, never wrapped to 100).
 */
public record DatasetConfig(String name, Double qualityThreshold, List<String> sceneTypes, List<Long> characterIds,
                            List<Long> segmentIds, Map<String, Integer> splits, long seed, boolean includeVideos,
                            boolean frameImages, boolean faceCrops, boolean includeUnfinished, DatasetFormat format,
                            boolean contentCredentials) {
    public static final List<String> SPLITS = List.of("train", "validation", "test");
    static final Set<String> FIELDS = Set.of("name", "quality_threshold", "scene_types", "character_ids", "splits", "seed",
            "include_videos", "frame_images", "face_crops", "include_unfinished", "format", "shard_size_mb", "segment_ids",
            "content_credentials");
    /** The most segments one selection names: one SQL IN list, well under both databases' bind limits. */
    public static final int MAX_SEGMENT_IDS = 10_000;
    static final long DEFAULT_SEED = 42;

    /** Validates a request body against the project's scene types and characters. */
    public static DatasetConfig parse(ObjectNode body, long projectId, CatalogService catalog) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw InvalidInput.field(f, "is not a dataset export option (allowed: "
                    + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
        }
        JsonNode n = body.get("name");
        String name;
        if (n == null || n.isNull()) name = "dataset";
        else if (!n.isTextual() || n.asText().isBlank() || n.asText().length() > 200) throw InvalidInput.field("name", "must be a non-empty string of at most 200 characters");
        else name = n.asText().strip();

        Double threshold = null;
        JsonNode q = body.get("quality_threshold");
        if (q != null && !q.isNull()) {
            if (!q.isNumber()) throw InvalidInput.field("quality_threshold", "must be a number from 0 to 1");
            double v = q.doubleValue();
            if (!(v >= 0 && v <= 1)) {
                throw InvalidInput.field("quality_threshold", "must be from 0 to 1 (quality scores are 0..1), got " + q.asText());
            }
            threshold = v;
        }

        Map<String, Long> typesByName = new LinkedHashMap<>();
        for (var t : catalog.reads().sceneTypesOf(projectId)) typesByName.put(t.name(), t.id());
        List<String> types = new ArrayList<>();
        JsonNode st = body.get("scene_types");
        if (st != null && !st.isNull()) {
            if (!st.isArray()) throw InvalidInput.field("scene_types", "must be an array of scene type names");
            for (int i = 0; i < st.size(); i++) {
                JsonNode t = st.get(i);
                if (!t.isTextual()) throw InvalidInput.field("scene_types[" + i + "]", "must be a scene type name");
                if (!typesByName.containsKey(t.asText())) {
                    throw InvalidInput.field("scene_types[" + i + "]", "the project has no scene type '" + t.asText() + "' (it has: "
                            + String.join(", ", typesByName.keySet()) + ")");
                }
                if (!types.contains(t.asText())) types.add(t.asText());
            }
        }

        List<Long> characters = new ArrayList<>();
        JsonNode cs = body.get("character_ids");
        if (cs != null && !cs.isNull()) {
            if (!cs.isArray()) throw InvalidInput.field("character_ids", "must be an array of character ids");
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < cs.size(); i++) {
                JsonNode c = cs.get(i);
                String at = "character_ids[" + i + "]";
                if (!c.isIntegralNumber() || !c.canConvertToLong() || c.longValue() <= 0) throw InvalidInput.field(at, "must be a positive integer");
                var ch = catalog.reads().character(c.longValue())
                        .orElseThrow(() -> InvalidInput.field(at, "no character with id " + c.longValue()));
                if (ch.projectId() != projectId) throw InvalidInput.field(at, "character " + c.longValue() + " belongs to another project");
                if (seen.add(c.longValue())) characters.add(c.longValue());
            }
        }

        List<Long> segments = segmentIds(body.get("segment_ids"), projectId, catalog);

        Map<String, Integer> splits = new LinkedHashMap<>();
        JsonNode sp = body.get("splits");
        if (sp == null || sp.isNull()) {
            splits.put("train", 80);
            splits.put("validation", 10);
            splits.put("test", 10);
        } else {
            if (!sp.isObject()) throw InvalidInput.field("splits", "must be an object {\"train\": %, \"validation\": %, \"test\": %}");
            for (Iterator<String> it = sp.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!SPLITS.contains(k)) throw InvalidInput.field("splits." + k, "is not a split (train, validation, test)");
            }
            int sum = 0;
            for (String s : SPLITS) {
                JsonNode v = sp.get(s);
                if (v == null || v.isNull()) throw InvalidInput.field("splits." + s, "is required (a whole percentage 0..100)");
                if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0 || v.intValue() > 100) {
                    throw InvalidInput.field("splits." + s, "must be a whole percentage from 0 to 100, got " + v);
                }
                splits.put(s, v.intValue());
                sum += v.intValue();
            }
            if (sum != 100) {
                throw InvalidInput.field("splits", "train, validation and test must sum to 100, got " + splits.get("train") + " + "
                        + splits.get("validation") + " + " + splits.get("test") + " = " + sum);
            }
        }

        long seed = DEFAULT_SEED;
        JsonNode sd = body.get("seed");
        if (sd != null && !sd.isNull()) {
            if (!sd.isIntegralNumber() || !sd.canConvertToLong() || sd.longValue() < 0) {
                throw InvalidInput.field("seed", "must be a whole number from 0 to " + Long.MAX_VALUE + ", got " + sd);
            }
            seed = sd.longValue();
        }
        boolean videos = bool(body, "include_videos", true);
        boolean frames = bool(body, "frame_images", true);
        boolean faces = bool(body, "face_crops", false);
        if (!videos && !frames) throw InvalidInput.field("include_videos", "a dataset needs videos or frame images (both are off)");
        boolean unfinished = bool(body, "include_unfinished", false);
        DatasetFormat format = DatasetFormat.parse(body);
        if (faces && format.webDataset()) {
            throw InvalidInput.field("face_crops", "face crops are packaged in videofolder exports only");
        }
        boolean credentials = bool(body, "content_credentials", false);
        if (credentials && !videos) {
            throw InvalidInput.field("content_credentials", "signs the packaged videos: it needs \"include_videos\": true");
        }
        return new DatasetConfig(name, threshold, List.copyOf(types), List.copyOf(characters), segments, Map.copyOf(splits), seed,
                videos, frames, faces, unfinished, format, credentials);
    }

    /** The picked segments in the order given (repeats dropped); each must be a segment of this project. */
    private static List<Long> segmentIds(JsonNode sg, long projectId, CatalogService catalog) {
        if (sg == null || sg.isNull()) return List.of();
        if (!sg.isArray()) throw InvalidInput.field("segment_ids", "must be an array of segment ids");
        if (sg.isEmpty()) throw InvalidInput.field("segment_ids", "must name at least one segment (leave it out to export every segment)");
        if (sg.size() > MAX_SEGMENT_IDS) {
            throw InvalidInput.field("segment_ids", "names " + sg.size() + " segments; at most " + MAX_SEGMENT_IDS + " per export");
        }
        Set<Long> wanted = new LinkedHashSet<>();
        for (int i = 0; i < sg.size(); i++) {
            JsonNode v = sg.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() <= 0) {
                throw InvalidInput.field("segment_ids[" + i + "]", "must be a positive integer, got " + v);
            }
            wanted.add(v.longValue());
        }
        Map<Long, Long> projectOf = new HashMap<>();
        for (SegmentContext c : catalog.reads().contexts(wanted)) projectOf.put(c.segmentId(), c.character().projectId());
        for (int i = 0; i < sg.size(); i++) {
            long id = sg.get(i).longValue();
            Long owner = projectOf.get(id);
            if (owner == null) throw InvalidInput.field("segment_ids[" + i + "]", "no segment with id " + id);
            if (owner != projectId) throw InvalidInput.field("segment_ids[" + i + "]", "segment " + id + " belongs to another project");
        }
        return List.copyOf(wanted);
    }

    private static boolean bool(ObjectNode body, String field, boolean dflt) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.isBoolean()) throw InvalidInput.field(field, "must be true or false");
        return v.booleanValue();
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object().put("name", name);
        if (qualityThreshold == null) o.putNull("quality_threshold");
        else o.put("quality_threshold", qualityThreshold);
        ArrayNode t = o.putArray("scene_types");
        sceneTypes.forEach(t::add);
        ArrayNode c = o.putArray("character_ids");
        characterIds.forEach(c::add);
        if (!segmentIds.isEmpty()) segmentIds.forEach(o.putArray("segment_ids")::add);
        ObjectNode s = o.putObject("splits");
        SPLITS.forEach(k -> s.put(k, splits.get(k)));
        o.put("seed", seed).put("include_videos", includeVideos).put("frame_images", frameImages).put("face_crops", faceCrops)
                .put("include_unfinished", includeUnfinished).put("content_credentials", contentCredentials);
        format.write(o);
        return o;
    }

    /** Back from the stored config_json (already validated when stored). */
    public static DatasetConfig fromJson(JsonNode j) {
        List<String> types = new ArrayList<>();
        j.path("scene_types").forEach(n -> types.add(n.asText()));
        List<Long> chars = new ArrayList<>();
        j.path("character_ids").forEach(n -> chars.add(n.longValue()));
        List<Long> segments = new ArrayList<>();
        j.path("segment_ids").forEach(n -> segments.add(n.longValue()));
        Map<String, Integer> splits = new LinkedHashMap<>();
        SPLITS.forEach(k -> splits.put(k, j.path("splits").path(k).asInt()));
        return new DatasetConfig(j.path("name").asText("dataset"), j.path("quality_threshold").isNumber() ? j.get("quality_threshold").doubleValue() : null,
                types, chars, segments, splits, j.path("seed").asLong(DEFAULT_SEED), j.path("include_videos").asBoolean(true), j.path("frame_images").asBoolean(true),
                j.path("face_crops").asBoolean(false), j.path("include_unfinished").asBoolean(false), DatasetFormat.fromJson(j),
                j.path("content_credentials").asBoolean(false));
    }
}
