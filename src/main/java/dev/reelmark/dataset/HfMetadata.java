package dev.reelmark.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of each split's {@code metadata.jsonl}, read by Hugging Face {@code datasets} (videofolder/imagefolder).
 * The loader infers each split's column types from its rows and refuses splits that disagree, so every column has
 * one JSON type in every row and is never null: a split whose prompts are all unknown or whose failure tags are all
 * empty would otherwise infer a null type. Unknown text is {@code ""}, an unscored sample's quality is {@code -1.0},
 * no receipt is {@code 0}; seeds are decimal strings (ComfyUI's are unsigned 64-bit, past int64); LoRA weights and
 * failure tags are JSON text (an empty list has no element type). The same columns are declared in the dataset card.
 */
final class HfMetadata {
    /** A column: its name in {@code metadata.jsonl}, its feature name and dtype in the card. */
    record Column(String name, String feature, String dtype) {
    }

    static final double NO_QUALITY = -1.0;

    private HfMetadata() {
    }

    /** The columns of an export with this config, in row order. */
    static List<Column> columns(DatasetConfig config) {
        List<Column> c = new ArrayList<>();
        if (config.includeVideos()) c.add(new Column("file_name", "video", "video"));
        else c.add(new Column("file_name", "image", "image"));
        if (config.includeVideos() && config.frameImages()) c.add(new Column("frame_file", "frame_file", "string"));
        c.add(new Column("metadata_file", "metadata_file", "string"));
        if (config.faceCrops()) {
            c.add(new Column("face_file", "face_file", "string"));
            c.add(new Column("face_found", "face_found", "bool"));
        }
        c.add(new Column("sample_id", "sample_id", "string"));
        c.add(new Column("segment_id", "segment_id", "int64"));
        c.add(new Column("scene_id", "scene_id", "int64"));
        for (String s : List.of("scene", "scene_type", "character", "caption", "prompt", "negative_prompt", "seed", "model",
                "lora_weights", "generation_source")) {
            c.add(new Column(s, s, "string"));
        }
        c.add(new Column("receipt_id", "receipt_id", "int64"));
        c.add(new Column("quality_score", "quality_score", "float64"));
        c.add(new Column("failure_tags", "failure_tags", "string"));
        return List.copyOf(c);
    }

    /**
     * One row from a sample's metadata file ({@link DatasetService#sampleMetadata}); {@code fileName},
     * {@code frameFile}, {@code metadataFile} and {@code faceFile} are relative to the split folder ({@code frameFile} and
     * {@code faceFile} may be null; {@code faceFound} says whether the face crop found a face).
     */
    static ObjectNode row(DatasetConfig config, ObjectNode metadata, String fileName, String frameFile, String metadataFile,
                          String faceFile, boolean faceFound) {
        ObjectNode r = Json.object();
        for (Column col : columns(config)) {
            String n = col.name();
            switch (n) {
                case "file_name" -> r.put(n, fileName);
                case "frame_file" -> r.put(n, frameFile == null ? "" : frameFile);
                case "metadata_file" -> r.put(n, metadataFile);
                case "face_file" -> r.put(n, faceFile == null ? "" : faceFile);
                case "face_found" -> r.put(n, faceFound);
                case "segment_id", "scene_id" -> r.put(n, metadata.path(n).longValue());
                case "receipt_id" -> r.put(n, metadata.path(n).isIntegralNumber() ? metadata.get(n).longValue() : 0L);
                case "quality_score" -> r.put(n, metadata.path(n).isNumber() ? metadata.get(n).doubleValue() : NO_QUALITY);
                case "seed" -> r.put(n, metadata.path(n).isNumber() ? metadata.get(n).bigIntegerValue().toString() : "");
                case "lora_weights" -> r.put(n, Json.write(loraWeights(metadata.path(n))));
                case "failure_tags" -> r.put(n, Json.write(metadata.path(n).isArray() ? metadata.get(n) : Json.MAPPER.createArrayNode()));
                default -> r.put(n, text(metadata.get(n)));
            }
        }
        return r;
    }

    /** LoRA name → model strength, in load order (the compact view a training script reads). */
    private static ObjectNode loraWeights(JsonNode loras) {
        ObjectNode o = Json.object();
        for (JsonNode l : loras) o.put(l.path("name").isTextual() ? l.get("name").asText() : "?", l.path("strength_model").doubleValue());
        return o;
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() ? "" : v.asText();
    }
}
