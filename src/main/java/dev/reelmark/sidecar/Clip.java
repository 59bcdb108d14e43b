package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.footage.Footage;
import dev.reelmark.footage.GenerationFacts;
import dev.reelmark.json.Json;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What Reelmark knows about one segment's video, as sidecars render it: where it sits in the catalog, its technical
 * info (ffprobe, null when the file is missing or unreadable: {@code techError} says why), its quality record and its
 * generation facts with their source (receipt, file comment or none), all from the segment-facts module.
 */
public record Clip(long segmentId, int sequenceIndex, String status, long sceneId, String sceneName, String sceneType,
                   long characterId, String characterName, String storedPath, Path file, ObjectNode tech,
                   String techError, Double qualityScore, List<String> failureTags, GenerationFacts generation,
                   String mediaName, String mediaRef) {

    /** A clip from the segment-facts module's answer. */
    static Clip of(Footage f) {
        var p = f.place();
        return new Clip(f.segmentId(), p.segment().sequenceIndex(), p.segment().status(), p.sceneId(), p.scene().name(),
                p.sceneTypeName(), p.characterId(), p.character().name(), f.storedPath(), f.file(),
                f.probe() == null ? null : f.probe().toJson(), f.probeError(), f.quality().overallScore(),
                f.quality().failureTags(), f.generation(), null, null);
    }

    /**
     * This clip as a package references it: {@code name} is the file name in the package (or on the server) and
     * {@code ref} the path files point at (relative to the package root, or absolute on the server).
     */
    Clip linked(String name, String ref) {
        return new Clip(segmentId, sequenceIndex, status, sceneId, sceneName, sceneType, characterId, characterName, storedPath,
                file, tech, techError, qualityScore, failureTags, generation, name, ref);
    }

    /** The file name sidecars give (the packaged one once linked). */
    public String mediaName() {
        return mediaName != null ? mediaName : fileName();
    }

    /** The path sidecars reference: relative to the package root once linked, else the stored path. */
    public String mediaRef() {
        return mediaRef != null ? mediaRef : storedPath != null ? storedPath : fileName();
    }

    /** The directory part of {@link #mediaRef} ("." for a file at the package root). */
    public String mediaDirectory() {
        String ref = mediaRef();
        int slash = ref.lastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : ref.substring(0, slash);
    }

    /** Fields that show generation facts: a sidecar with any of them says where the facts came from. */
    static final java.util.Set<String> GENERATION_FIELDS = java.util.Set.of("generation_params", "prompt", "negative_prompt",
            "seed", "model", "lora_weights", "generation_source");

    /** The LoRAs as {@code [{name, version, strength_model, strength_clip}]}. */
    private ArrayNode loraArray() {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (GenerationFacts.Lora l : generation.loras()) {
            ObjectNode n = a.addObject().put("name", l.asset() == null ? null : l.asset().name())
                    .put("version", l.asset() == null ? null : l.asset().version()).put("strength_model", l.strengthModel());
            if (l.strengthClip() == null) n.putNull("strength_clip"); else n.put("strength_clip", l.strengthClip());
        }
        return a;
    }

    public String fileName() {
        if (storedPath == null) return "segment_" + segmentId;
        String s = storedPath.replace('\\', '/');
        return s.substring(s.lastIndexOf('/') + 1);
    }

    /** A name unique in a project, for editors' bins: "scene — clip (segment id)". */
    public String editorialName() {
        return sceneName + " — " + clipName() + " (segment " + segmentId + ")";
    }

    public String clipName() {
        String n = mediaName();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    public double fps() {
        return tech == null ? 0 : tech.path("fps").asDouble(0);
    }

    public long frameCount() {
        return tech == null ? 0 : tech.path("frame_count").asLong(0);
    }

    /** The integer timecode base (24, 25, 30, ...; 24 when unknown). */
    public int timecodeBase() {
        return FrameRate.of(fps()).timecodeBase();
    }

    /**
     * A field's value: String, Number, JsonNode or null when unknown. Names are {@link TemplateSpec#CLIP_FIELDS}.
     */
    public Object value(String field) {
        return switch (field) {
            case "file_name" -> mediaName();
            case "clip_directory" -> mediaDirectory();
            case "clip_name" -> clipName();
            case "editorial_name" -> editorialName();
            case "video_path" -> mediaRef();
            case "resolution" -> techText("resolution");
            case "width" -> techNumber("width");
            case "height" -> techNumber("height");
            case "framerate" -> tech == null ? null : round(fps());
            case "frame_rate" -> tech == null ? null : FrameRate.of(fps()).label();
            case "codec" -> techText("codec");
            case "duration" -> tech == null ? null : round(tech.path("duration_seconds").asDouble());
            case "frame_count" -> tech == null ? null : frameCount();
            case "color_space" -> techText("color_space");
            case "pixel_format" -> techText("pixel_format");
            case "container" -> techText("container");
            case "generation_params" -> generation.source() == GenerationFacts.Source.NONE ? null : generation.toJson();
            case "generation_source" -> generation.source().wire();
            case "prompt" -> generation.prompt();
            case "negative_prompt" -> generation.negativePrompt();
            case "seed" -> generation.seed();
            case "model" -> generation.modelName();
            case "lora_weights" -> loraArray();
            case "quality_score" -> qualityScore;
            case "quality_summary" -> qualityScore == null ? null
                    : String.format(Locale.ROOT, "quality %.3f", qualityScore) + (failureTags.isEmpty() ? "" : "; failures: " + String.join(", ", failureTags));
            case "failure_tags" -> Json.MAPPER.valueToTree(failureTags);
            case "scene" -> sceneName;
            case "scene_type" -> sceneType;
            case "character" -> characterName;
            case "sequence_index" -> sequenceIndex;
            case "segment_id" -> segmentId;
            case "status" -> status;
            case "start_tc" -> timecode(startFrame(), timecodeBase());
            case "end_tc" -> timecode(startFrame() + frameCount(), timecodeBase());
            case "tracks" -> tech == null ? "V" : hasAudio() ? "VA1" : "V";
            default -> throw new IllegalArgumentException("unknown clip field " + field);
        };
    }

    /** A value as one line of text ("" for unknown; arrays of strings joined with ", "; other JSON as JSON). */
    public String text(String field) {
        return asText(value(field));
    }

    static String asText(Object v) {
        if (v == null) return "";
        if (v instanceof JsonNode n) {
            if (n.isNull() || n.isMissingNode()) return "";
            if (n.isValueNode()) return n.asText();
            if (n.isArray() && allText(n)) {
                StringBuilder sb = new StringBuilder();
                n.forEach(e -> sb.append(sb.length() == 0 ? "" : ", ").append(e.asText()));
                return sb.toString();
            }
            return Json.write(n);
        }
        if (v instanceof Double d) return formatNumber(d);
        return v.toString();
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode e : array) if (!e.isValueNode()) return false;
        return true;
    }

    static String formatNumber(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d) + ".0";
        return Double.toString(d);
    }

    private boolean hasAudio() {
        for (JsonNode s : tech.path("streams")) if ("audio".equals(s.path("codec_type").asText())) return true;
        return false;
    }

    /** Clips start at 01:00:00:00, the editorial convention. */
    long startFrame() {
        return 3600L * timecodeBase();
    }

    static String timecode(long frame, int base) {
        long f = frame % base, totalSeconds = frame / base;
        return String.format(Locale.ROOT, "%02d:%02d:%02d:%02d", totalSeconds / 3600, (totalSeconds / 60) % 60, totalSeconds % 60, f);
    }

    private String techText(String key) {
        if (tech == null) return null;
        JsonNode n = tech.get(key);
        return n == null || n.isNull() ? null : n.asText();
    }

    private Number techNumber(String key) {
        if (tech == null) return null;
        JsonNode n = tech.get(key);
        return n == null || n.isNull() ? null : n.numberValue();
    }

    private static Double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
