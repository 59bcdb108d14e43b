package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.json.Json;

import java.util.List;

/**
 * Every input of one generation, resolved to the exact catalog rows used: ids of the asset and image versions (may be
 * null when an import could not match a file to the catalog) plus the names, versions and hashes copied from them.
 * The ids are references, not inputs: {@link InputsHash} covers names, versions, hashes and parameters only, so the
 * same inputs hash the same on every database.
 */
public record ReceiptInputs(Long sourceImageId, String sourceImageHash, Long variantImageId, String variantImageHash,
                            Long workflowAssetId, String workflowName, String workflowVersion, String workflowHash,
                            Long modelAssetId, String modelName, String modelVersion, String modelHash,
                            List<Lora> loras, String promptText, String negativePrompt, double cfgScale, long seed,
                            int resolutionWidth, int resolutionHeight, int steps, String sampler,
                            JsonNode additionalParams, List<Model> models, List<SourceFile> sourceFiles) {

    /**
     * One LoRA of a generation: {@code weight} is its model strength, {@code strengthClip} its CLIP strength (null
     * for model-only loaders and when not known). A null {@code assetId} means unverified: no catalog version matched.
     */
    public record Lora(Long assetId, String name, String version, String hash, double weight, Double strengthClip) {
        public Lora(Long assetId, String name, String version, String hash, double weight) {
            this(assetId, name, version, hash, weight, null);
        }

        public ObjectNode toJson() {
            ObjectNode n = Json.object();
            if (assetId == null) n.putNull("asset_id"); else n.put("asset_id", assetId);
            n.put("name", name).put("version", version).put("hash", hash).put("weight", weight);
            if (strengthClip != null) n.put("strength_clip", strengthClip);
            return n;
        }
    }

    /**
     * A model of a generation with several (Wan 2.2's high- and low-noise models), in sampler-chain order; the first
     * is the one in the model fields. A null {@code assetId} means unverified.
     */
    public record Model(String role, Long assetId, String name, String version, String hash) {
        public ObjectNode toJson() {
            ObjectNode n = Json.object().put("role", role);
            if (assetId == null) n.putNull("asset_id"); else n.put("asset_id", assetId);
            return n.put("name", name).put("version", version).put("hash", hash);
        }
    }

    /** An image file the generation loaded ({@code LoadImage}), with its SHA-256 when the file was found. */
    public record SourceFile(String role, String name, String path, String sha256, Long imageId) {
        public ObjectNode toJson() {
            ObjectNode n = Json.object().put("role", role).put("name", name).put("path", path).put("sha256", sha256);
            if (imageId == null) n.putNull("image_id"); else n.put("image_id", imageId);
            return n;
        }
    }

    public ReceiptInputs {
        loras = loras == null ? List.of() : List.copyOf(loras);
        additionalParams = additionalParams == null || additionalParams.isNull() ? Json.object() : additionalParams;
        models = models == null ? List.of() : List.copyOf(models);
        sourceFiles = sourceFiles == null ? List.of() : List.copyOf(sourceFiles);
    }

    /** Inputs with one model and no loaded image files (receipts recorded through the API, the demo). */
    public ReceiptInputs(Long sourceImageId, String sourceImageHash, Long variantImageId, String variantImageHash,
                         Long workflowAssetId, String workflowName, String workflowVersion, String workflowHash,
                         Long modelAssetId, String modelName, String modelVersion, String modelHash,
                         List<Lora> loras, String promptText, String negativePrompt, double cfgScale, long seed,
                         int resolutionWidth, int resolutionHeight, int steps, String sampler, JsonNode additionalParams) {
        this(sourceImageId, sourceImageHash, variantImageId, variantImageHash, workflowAssetId, workflowName,
                workflowVersion, workflowHash, modelAssetId, modelName, modelVersion, modelHash, loras, promptText,
                negativePrompt, cfgScale, seed, resolutionWidth, resolutionHeight, steps, sampler, additionalParams,
                List.of(), List.of());
    }

    public ReceiptInputs withModels(List<Model> newModels) {
        return new ReceiptInputs(sourceImageId, sourceImageHash, variantImageId, variantImageHash, workflowAssetId,
                workflowName, workflowVersion, workflowHash, modelAssetId, modelName, modelVersion, modelHash, loras,
                promptText, negativePrompt, cfgScale, seed, resolutionWidth, resolutionHeight, steps, sampler,
                additionalParams, newModels, sourceFiles);
    }

    public String inputsHash() {
        return InputsHash.of(this);
    }

    /** The first model swapped (and the first of {@link #models}, keeping its role). */
    public ReceiptInputs withModel(Long id, String name, String version, String hash) {
        List<Model> ms = models;
        if (!ms.isEmpty()) {
            ms = new java.util.ArrayList<>(ms);
            ms.set(0, new Model(ms.get(0).role(), id, name, version, hash));
        }
        return new ReceiptInputs(sourceImageId, sourceImageHash, variantImageId, variantImageHash, workflowAssetId,
                workflowName, workflowVersion, workflowHash, id, name, version, hash, loras, promptText, negativePrompt,
                cfgScale, seed, resolutionWidth, resolutionHeight, steps, sampler, additionalParams, ms, sourceFiles);
    }

    public ReceiptInputs withWorkflow(Long id, String name, String version, String hash) {
        return new ReceiptInputs(sourceImageId, sourceImageHash, variantImageId, variantImageHash, id, name, version,
                hash, modelAssetId, modelName, modelVersion, modelHash, loras, promptText, negativePrompt, cfgScale,
                seed, resolutionWidth, resolutionHeight, steps, sampler, additionalParams, models, sourceFiles);
    }

    public ReceiptInputs withLoras(List<Lora> newLoras) {
        return new ReceiptInputs(sourceImageId, sourceImageHash, variantImageId, variantImageHash, workflowAssetId,
                workflowName, workflowVersion, workflowHash, modelAssetId, modelName, modelVersion, modelHash, newLoras,
                promptText, negativePrompt, cfgScale, seed, resolutionWidth, resolutionHeight, steps, sampler,
                additionalParams, models, sourceFiles);
    }

    public ReceiptInputs withImages(Long sourceId, String sourceHash, Long variantId, String variantHash) {
        return new ReceiptInputs(sourceId, sourceHash, variantId, variantHash, workflowAssetId, workflowName,
                workflowVersion, workflowHash, modelAssetId, modelName, modelVersion, modelHash, loras, promptText,
                negativePrompt, cfgScale, seed, resolutionWidth, resolutionHeight, steps, sampler, additionalParams, models, sourceFiles);
    }

    public ReceiptInputs withSeed(long newSeed) {
        return new ReceiptInputs(sourceImageId, sourceImageHash, variantImageId, variantImageHash, workflowAssetId,
                workflowName, workflowVersion, workflowHash, modelAssetId, modelName, modelVersion, modelHash, loras,
                promptText, negativePrompt, cfgScale, newSeed, resolutionWidth, resolutionHeight, steps, sampler,
                additionalParams, models, sourceFiles);
    }

    /** The inputs as the JSON the API shows (receipt bodies and regeneration drafts). */
    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        putId(n, "source_image_id", sourceImageId);
        n.put("source_image_hash", sourceImageHash);
        putId(n, "variant_image_id", variantImageId);
        n.put("variant_image_hash", variantImageHash);
        putId(n, "workflow_asset_id", workflowAssetId);
        n.put("workflow_name", workflowName).put("workflow_version", workflowVersion).put("workflow_hash", workflowHash);
        putId(n, "model_asset_id", modelAssetId);
        n.put("model_name", modelName).put("model_version", modelVersion).put("model_hash", modelHash);
        var arr = n.putArray("loras");
        loras.forEach(l -> arr.add(l.toJson()));
        n.put("prompt_text", promptText).put("negative_prompt", negativePrompt).put("cfg_scale", cfgScale)
                .put("seed", seed).put("resolution_width", resolutionWidth).put("resolution_height", resolutionHeight)
                .put("steps", steps).put("sampler", sampler);
        n.set("additional_params", additionalParams);
        if (!models.isEmpty()) {
            var ms = n.putArray("models");
            models.forEach(m -> ms.add(m.toJson()));
        }
        if (!sourceFiles.isEmpty()) {
            var fs = n.putArray("source_files");
            sourceFiles.forEach(f -> fs.add(f.toJson()));
        }
        n.put("inputs_hash", inputsHash());
        return n;
    }

    private static void putId(ObjectNode n, String name, Long id) {
        if (id == null) n.putNull(name); else n.put(name, id);
    }
}
