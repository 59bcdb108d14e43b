package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.json.Json;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated {@code template_json}. Shapes by format:
 * <ul>
 *   <li>{@code xml}: {@code {"root_element": NAME, "fields": [CLIP_FIELD, ...]}}</li>
 *   <li>{@code csv}: {@code {"columns": [FRAME_COLUMN, ...]}} (one row per frame)</li>
 *   <li>{@code clip_csv}, {@code ale}: {@code {"columns": [{"header": TEXT, "field": CLIP_FIELD}, ...]}} (one row per clip)</li>
 *   <li>{@code otio}, {@code nk}: {@code {"fields": [CLIP_FIELD, ...]}}</li>
 * </ul>
 * Errors are 400s naming the bad part, e.g. {@code template_json.fields[2]}.
 */
public record TemplateSpec(SidecarFormat format, String rootElement, List<String> fields, List<Column> columns) {

    public record Column(String header, String field) {
    }

    /** Clip-level fields a template may use, with what they hold (documented in the OpenAPI and the README). */
    public static final Map<String, String> CLIP_FIELDS = new LinkedHashMap<>();
    /** Per-frame columns of a {@code csv} template. */
    public static final Map<String, String> FRAME_COLUMNS = new LinkedHashMap<>();

    /** Whether this template shows any generation fact (then its files also say where the facts came from). */
    public boolean showsGeneration() {
        return fields != null && fields.stream().anyMatch(Clip.GENERATION_FIELDS::contains);
    }

    static {
        CLIP_FIELDS.put("file_name", "the video's file name (as packaged: only characters a file system cannot hold replaced)");
        CLIP_FIELDS.put("clip_directory", "the video's folder relative to the package root (absolute on the server with server_paths)");
        CLIP_FIELDS.put("clip_name", "the file name without extension");
        CLIP_FIELDS.put("editorial_name", "a name unique in the project: scene — clip (segment id)");
        CLIP_FIELDS.put("video_path", "the video's path relative to the package root (absolute on the server with server_paths)");
        CLIP_FIELDS.put("resolution", "WIDTHxHEIGHT (ffprobe)");
        CLIP_FIELDS.put("width", "pixels");
        CLIP_FIELDS.put("height", "pixels");
        CLIP_FIELDS.put("framerate", "frames per second");
        CLIP_FIELDS.put("frame_rate", "the rate as editors write it: 23.976, 24, 29.97, 59.94, ...");
        CLIP_FIELDS.put("codec", "video codec");
        CLIP_FIELDS.put("duration", "seconds");
        CLIP_FIELDS.put("frame_count", "frames");
        CLIP_FIELDS.put("color_space", "e.g. bt709");
        CLIP_FIELDS.put("pixel_format", "e.g. yuv420p");
        CLIP_FIELDS.put("container", "ffprobe format name");
        CLIP_FIELDS.put("generation_params", "every generation fact (prompt, seed, sampler, models, LoRAs with both strengths, source images, workflow) with generation_source and receipt_id");
        CLIP_FIELDS.put("generation_source", "where the generation facts came from: receipt, file_comment (the ComfyUI graph in the clip's comment tag) or none");
        CLIP_FIELDS.put("prompt", "positive prompt");
        CLIP_FIELDS.put("negative_prompt", "negative prompt");
        CLIP_FIELDS.put("seed", "sampler seed");
        CLIP_FIELDS.put("model", "the (first) model's name");
        CLIP_FIELDS.put("lora_weights", "LoRAs with their strengths");
        CLIP_FIELDS.put("quality_score", "overall quality score 0..1");
        CLIP_FIELDS.put("quality_summary", "score and failure tags as one line of text");
        CLIP_FIELDS.put("failure_tags", "QA failure tags");
        CLIP_FIELDS.put("scene", "scene name");
        CLIP_FIELDS.put("scene_type", "scene type name");
        CLIP_FIELDS.put("character", "character name");
        CLIP_FIELDS.put("sequence_index", "segment position in its scene");
        CLIP_FIELDS.put("segment_id", "catalog id");
        CLIP_FIELDS.put("status", "segment status");
        CLIP_FIELDS.put("start_tc", "start timecode (01:00:00:00)");
        CLIP_FIELDS.put("end_tc", "end timecode (exclusive)");
        CLIP_FIELDS.put("tracks", "Avid track letters (V, or VA1 with audio)");
        FRAME_COLUMNS.put("frame", "zero-based frame number");
        FRAME_COLUMNS.put("timecode", "frame timecode from 00:00:00:00");
        FRAME_COLUMNS.put("face_confidence", "0..1, null where no face was found");
        FRAME_COLUMNS.put("motion_score", ">= 0");
        FRAME_COLUMNS.put("quality_metric", ">= 0");
        FRAME_COLUMNS.put("boundary_ssim", "-1..1, set on segment boundaries");
    }

    /**
     * Fields holding text people typed or tags (prompts, names, summaries): a spreadsheet could run them as a
     * formula, so a CSV guards them. Every other field is a file name, path, number or timecode, written verbatim.
     */
    public static final Set<String> FREE_TEXT_FIELDS = Set.of("generation_params", "prompt", "negative_prompt", "model",
            "lora_weights", "quality_summary", "failure_tags", "scene", "scene_type", "character", "status", "editorial_name",
            "codec", "color_space", "pixel_format", "container", "resolution", "generation_source");

    public static final int MAX_ITEMS = 200;
    public static final int MAX_HEADER = 200;
    /** An XML element name: a letter or underscore, then letters, digits, '.', '-' or '_'; not starting with "xml". */
    static final Pattern XML_NAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}._\\-]{0,199}");
    static final List<String> ALE_REQUIRED = List.of("Name", "Tracks", "Start", "End");

    /** Validates {@code template_json} for {@code format}. */
    public static TemplateSpec parse(SidecarFormat format, JsonNode json) {
        String base = "template_json";
        if (json == null || json.isNull()) throw InvalidInput.field(base, "is required");
        if (!json.isObject()) throw InvalidInput.field(base, "must be a JSON object");
        Set<String> allowed = switch (format) {
            case XML -> Set.of("root_element", "fields");
            case CSV, CLIP_CSV, ALE -> Set.of("columns");
            case OTIO, NK -> Set.of("fields");
        };
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw InvalidInput.field(base + "." + key, "is not a key of a " + format.value() + " template (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        return switch (format) {
            case XML -> new TemplateSpec(format, rootElement(json.get("root_element")), clipFields(json.get("fields"), base + ".fields"), List.of());
            case OTIO, NK -> new TemplateSpec(format, null, clipFields(json.get("fields"), base + ".fields"), List.of());
            case CSV -> {
                List<Column> cols = new ArrayList<>();
                for (String c : names(json.get("columns"), base + ".columns", FRAME_COLUMNS, "frame column")) cols.add(new Column(c, c));
                yield new TemplateSpec(format, null, List.of(), cols);
            }
            case CLIP_CSV, ALE -> new TemplateSpec(format, null, List.of(), headedColumns(format, json.get("columns"), base + ".columns"));
        };
    }

    private static String rootElement(JsonNode node) {
        String field = "template_json.root_element";
        if (node == null || node.isNull()) throw InvalidInput.field(field, "is required for an xml template");
        if (!node.isTextual()) throw InvalidInput.field(field, "must be a string");
        String name = node.asText();
        if (!XML_NAME.matcher(name).matches() || name.toLowerCase().startsWith("xml")) {
            throw InvalidInput.field(field, "'" + name + "' is not a valid XML element name (a letter or _, then letters, "
                    + "digits, '.', '-' or '_'; at most 200 characters; not starting with 'xml')");
        }
        return name;
    }

    private static List<String> clipFields(JsonNode node, String field) {
        return names(node, field, CLIP_FIELDS, "clip field");
    }

    private static List<String> names(JsonNode node, String field, Map<String, String> known, String what) {
        if (node == null || node.isNull()) throw InvalidInput.field(field, "is required");
        if (!node.isArray()) throw InvalidInput.field(field, "must be an array of " + what + " names");
        if (node.isEmpty()) throw InvalidInput.field(field, "must list at least one " + what);
        if (node.size() > MAX_ITEMS) throw InvalidInput.field(field, "may list at most " + MAX_ITEMS + " entries");
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String at = field + "[" + i + "]";
            if (!item.isTextual()) throw InvalidInput.field(at, "must be a string");
            String name = item.asText();
            if (!known.containsKey(name)) {
                throw InvalidInput.field(at, "unknown " + what + " '" + name + "' (known: " + String.join(", ", known.keySet()) + ")");
            }
            if (!seen.add(name)) throw InvalidInput.field(at, "'" + name + "' is listed twice");
            out.add(name);
        }
        return List.copyOf(out);
    }

    private static List<Column> headedColumns(SidecarFormat format, JsonNode node, String field) {
        if (node == null || node.isNull()) throw InvalidInput.field(field, "is required");
        if (!node.isArray()) throw InvalidInput.field(field, "must be an array of {header, field} objects");
        if (node.isEmpty()) throw InvalidInput.field(field, "must list at least one column");
        if (node.size() > MAX_ITEMS) throw InvalidInput.field(field, "may list at most " + MAX_ITEMS + " columns");
        List<Column> out = new ArrayList<>();
        Set<String> headers = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String at = field + "[" + i + "]";
            if (!item.isObject()) throw InvalidInput.field(at, "must be an object {\"header\": ..., \"field\": ...}");
            for (Iterator<String> it = item.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!Set.of("header", "field").contains(key)) throw InvalidInput.field(at + "." + key, "is not a key of a column (allowed: field, header)");
            }
            JsonNode h = item.get("header");
            if (h == null || !h.isTextual() || h.asText().isBlank()) throw InvalidInput.field(at + ".header", "must be a non-empty string");
            String header = h.asText();
            if (header.length() > MAX_HEADER || header.chars().anyMatch(c -> c < 0x20)) {
                throw InvalidInput.field(at + ".header", "must be at most " + MAX_HEADER + " characters without tabs or line breaks");
            }
            if (!headers.add(header)) throw InvalidInput.field(at + ".header", "'" + header + "' is used twice");
            JsonNode f = item.get("field");
            if (f == null || !f.isTextual()) throw InvalidInput.field(at + ".field", "must be a clip field name");
            if (!CLIP_FIELDS.containsKey(f.asText())) {
                throw InvalidInput.field(at + ".field", "unknown clip field '" + f.asText() + "' (known: " + String.join(", ", CLIP_FIELDS.keySet()) + ")");
            }
            out.add(new Column(header, f.asText()));
        }
        if (format == SidecarFormat.ALE) {
            for (String required : ALE_REQUIRED) {
                if (!headers.contains(required)) throw InvalidInput.field(field, "an ALE needs the columns " + String.join(", ", ALE_REQUIRED) + "; '" + required + "' is missing");
            }
        }
        if (format == SidecarFormat.CLIP_CSV && !headers.contains("File Name")) {
            throw InvalidInput.field(field, "needs a 'File Name' column: DaVinci Resolve matches metadata rows to clips by it");
        }
        return List.copyOf(out);
    }

    /** Back to JSON (what is stored). */
    public ObjectNode toJson() {
        ObjectNode out = Json.object();
        if (rootElement != null) out.put("root_element", rootElement);
        if (!fields.isEmpty()) {
            ArrayNode a = out.putArray("fields");
            fields.forEach(a::add);
        }
        if (!columns.isEmpty()) {
            ArrayNode a = out.putArray("columns");
            for (Column c : columns) {
                if (format == SidecarFormat.CSV) a.add(c.field());
                else a.addObject().put("header", c.header()).put("field", c.field());
            }
        }
        return out;
    }
}
