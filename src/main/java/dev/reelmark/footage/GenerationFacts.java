package dev.reelmark.footage;

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
}
