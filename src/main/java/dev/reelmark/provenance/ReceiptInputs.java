package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.http.Json;

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
                            JsonNode additionalParams) {

    /** One LoRA of a generation. */
    public record Lora(Long assetId, String name, String version, String hash, double weight) {
        public ObjectNode toJson() {
            ObjectNode n = Json.object();
            if (assetId == null) n.putNull("asset_id"); else n.put("asset_id", assetId);
            n.put("name", name).put("version", version).put("hash", hash).put("weight", weight);
            return n;
        }
    }

    public ReceiptInputs {
        loras = loras == null ? List.of() : List.copyOf(loras);
        additionalParams = additionalParams == null || additionalParams.isNull() ? Json.object() : additionalParams;
    }

    public String inputsHash() {
        return InputsHash.of(this);
    }

    public ReceiptInputs withModel(Long id, String name, String version, String hash) {
        return new ReceiptInputs(sourceImageId, sourceImageHash, variantImageId, variantImageHash, workflowAssetId,
                workflowName, workflowVersion, workflowHash, id, name, version, hash, loras, promptText, negativePrompt,
                cfgScale, seed, resolutionWidth, resolutionHeight, steps, sampler, additionalParams);
    }

    public ReceiptInputs withWorkflow(Long id, String name, String version, String hash) {
        return new ReceiptInputs(sourceImageId, sourceImageHash, variantImageId, variantImageHash, id, name, version,
                hash, modelAssetId, modelName, modelVersion, modelHash, loras, promptText, negativePrompt, cfgScale,
                seed, resolutionWidth, resolutionHeight, steps, sampler, additionalParams);
    }

    public ReceiptInputs withLoras(List<Lora> newLoras) {
        return new ReceiptInputs(sourceImageId, sourceImageHash, variantImageId, variantImageHash, workflowAssetId,
                workflowName, workflowVersion, workflowHash, modelAssetId, modelName, modelVersion, modelHash, newLoras,
                promptText, negativePrompt, cfgScale, seed, resolutionWidth, resolutionHeight, steps, sampler,
                additionalParams);
    }

    public ReceiptInputs withImages(Long sourceId, String sourceHash, Long variantId, String variantHash) {
        return new ReceiptInputs(sourceId, sourceHash, variantId, variantHash, workflowAssetId, workflowName,
                workflowVersion, workflowHash, modelAssetId, modelName, modelVersion, modelHash, loras, promptText,
                negativePrompt, cfgScale, seed, resolutionWidth, resolutionHeight, steps, sampler, additionalParams);
    }

    public ReceiptInputs withSeed(long newSeed) {
        return new ReceiptInputs(sourceImageId, sourceImageHash, variantImageId, variantImageHash, workflowAssetId,
                workflowName, workflowVersion, workflowHash, modelAssetId, modelName, modelVersion, modelHash, loras,
                promptText, negativePrompt, cfgScale, newSeed, resolutionWidth, resolutionHeight, steps, sampler,
                additionalParams);
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
        n.put("inputs_hash", inputsHash());
        return n;
    }

    private static void putId(ObjectNode n, String name, Long id) {
        if (id == null) n.putNull(name); else n.put(name, id);
    }
}
