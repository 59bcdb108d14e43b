package dev.reelmark.footage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.json.Json;

import java.math.BigInteger;
import java.util.List;

/**
 * What made one clip: every generation input Reelmark knows for a segment, and where that knowledge came from.
 * The one shape that sidecars, datasets, {@code video_metadata.json}, the tagging plan and the ledger mirror read.
 * A receipt wins over the clip's comment tag; {@link Source#NONE} means nothing is known (never a guess).
 *
 * @param seed unsigned 64-bit, as ComfyUI draws it
 * @param workflow the workflow asset, when known
 */
public record GenerationFacts(Source source, Long receiptId, String prompt, String negativePrompt, BigInteger seed,
                              String sampler, String scheduler, Double cfg, Integer steps, Integer width,
                              Integer height, Integer frameCount, List<Model> models, List<Lora> loras,
                              List<SourceImage> sourceImages, AssetRef workflow) {

    /** Where a segment's generation facts were read. */
    public enum Source {
        /** an immutable generation receipt (recorded by the pipeline or an import) */
        RECEIPT,
        /** the ComfyUI prompt graph in the clip's comment tag, read when no receipt exists */
        FILE_COMMENT,
        /** nothing recorded */
        NONE;

        /** The JSON spelling: {@code receipt}, {@code file_comment}, {@code none}. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A catalog asset version named by a generation. {@code verified} is false when the name matched no catalog
     * version or the file's hash matched none: such an input is shown as unverified and never claimed current.
     */
    public record AssetRef(String name, Long assetId, String version, String sha256, boolean verified) {
    }

    /** A model loaded by the generation; {@code role} tells several apart (e.g. {@code high_noise}, {@code low_noise}). */
    public record Model(String role, AssetRef asset) {
    }

    /** A LoRA with both strengths; {@code strengthClip} is null for model-only loaders. */
    public record Lora(AssetRef asset, double strengthModel, Double strengthClip) {
    }

    /** An image the generation started from ({@code LoadImage}, a character's source image or variant). */
    public record SourceImage(String name, Long imageId, String sha256, String role) {
    }

    public GenerationFacts {
        models = models == null ? List.of() : List.copyOf(models);
        loras = loras == null ? List.of() : List.copyOf(loras);
        sourceImages = sourceImages == null ? List.of() : List.copyOf(sourceImages);
    }

    /** Nothing known about this clip's generation. */
    public static final GenerationFacts NONE = new GenerationFacts(Source.NONE, null, null, null, null, null, null,
            null, null, null, null, null, List.of(), List.of(), List.of(), null);

    /** The first model, the one a one-model artifact (sidecar, ALE column) shows. */
    public AssetRef primaryModel() {
        return models.isEmpty() ? null : models.get(0).asset();
    }
    /** The same facts read from another place (e.g. a graph reading turned into {@code file_comment} facts). */
    public GenerationFacts withSource(Source newSource, Long newReceiptId) {
        return new GenerationFacts(newSource, newReceiptId, prompt, negativePrompt, seed, sampler, scheduler, cfg, steps,
                width, height, frameCount, models, loras, sourceImages, workflow);
    }

    /** "1280x720", or null when unknown. */
    public String resolution() {
        return width == null || height == null ? null : width + "x" + height;
    }

    /** The primary model's name, or null. */
    public String modelName() {
        AssetRef m = primaryModel();
        return m == null ? null : m.name();
    }

    /**
     * The one JSON shape of these facts in every artifact (snake_case): {@code generation_source}, {@code receipt_id},
     * prompt, negative prompt, seed (unsigned, a JSON integer), sampler, scheduler, cfg, steps, width, height,
     * resolution, frame count, models, LoRAs with {@code strength_model}/{@code strength_clip}, source images, workflow.
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("generation_source", source.wire());
        putNullable(o, "receipt_id", receiptId);
        o.put("prompt", prompt);
        o.put("negative_prompt", negativePrompt);
        if (seed == null) o.putNull("seed"); else o.put("seed", seed);
        o.put("sampler", sampler);
        o.put("scheduler", scheduler);
        if (cfg == null) o.putNull("cfg"); else o.put("cfg", cfg);
        putNullable(o, "steps", steps);
        putNullable(o, "width", width);
        putNullable(o, "height", height);
        o.put("resolution", resolution());
        putNullable(o, "frame_count", frameCount);
        ArrayNode ms = o.putArray("models");
        for (Model m : models) {
            ObjectNode n = assetJson(m.asset());
            n.put("role", m.role());
            ms.add(n);
        }
        ArrayNode ls = o.putArray("loras");
        for (Lora l : loras) {
            ObjectNode n = assetJson(l.asset());
            n.put("strength_model", l.strengthModel());
            if (l.strengthClip() == null) n.putNull("strength_clip"); else n.put("strength_clip", l.strengthClip());
            ls.add(n);
        }
        ArrayNode is = o.putArray("source_images");
        for (SourceImage i : sourceImages) {
            ObjectNode n = is.addObject().put("name", i.name());
            putNullable(n, "image_id", i.imageId());
            n.put("sha256", i.sha256()).put("role", i.role());
        }
        if (workflow == null) o.putNull("workflow"); else o.set("workflow", assetJson(workflow));
        return o;
    }

    /** LoRA name to model strength, in load order: the compact view datasets and sidecars show. */
    public ObjectNode loraWeights() {
        ObjectNode o = Json.object();
        for (Lora l : loras) o.put(l.asset() == null || l.asset().name() == null ? "?" : l.asset().name(), l.strengthModel());
        return o;
    }

    private static ObjectNode assetJson(AssetRef a) {
        ObjectNode n = Json.object();
        if (a == null) return n.putNull("name");
        n.put("name", a.name());
        putNullable(n, "asset_id", a.assetId());
        n.put("version", a.version()).put("sha256", a.sha256()).put("verified", a.verified());
        return n;
    }

    private static void putNullable(ObjectNode o, String key, Number value) {
        if (value == null) o.putNull(key);
        else if (value instanceof Long l) o.put(key, l);
        else o.put(key, value.intValue());
    }
}
