package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.footage.GenerationFacts;
import dev.reelmark.footage.LatestReceipts;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Provenance's answer to the segment-facts module: the latest receipt of each segment as {@link GenerationFacts}
 * (source {@code receipt}). The seed is read back unsigned (receipts keep ComfyUI's 64-bit seed in a signed column);
 * a LoRA's weight is its model strength, {@code strength_clip} its clip strength; the scheduler and frame count come from {@code additional_params}.
 */
public final class ReceiptFacts implements LatestReceipts {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private final ProvenanceService provenance;

    public ReceiptFacts(ProvenanceService provenance) {
        this.provenance = provenance;
    }

    @Override
    public Map<Long, GenerationFacts> latest(Collection<Long> segmentIds) {
        Map<Long, GenerationFacts> out = new HashMap<>();
        if (segmentIds.isEmpty()) return out;
        provenance.latestReceipts(segmentIds).forEach((segment, receipt) -> out.put(segment, facts(receipt)));
        return out;
    }

    /** A receipt row (as {@link ProvenanceService#latestReceipts} returns it, with its LoRAs) as generation facts. */
    public static GenerationFacts facts(ObjectNode r) {
        JsonNode params = r.path("additional_params");
        List<GenerationFacts.Model> models = new ArrayList<>();
        // every model of the generation with its role (Wan 2.2: high and low noise); a receipt with none listed has its model columns
        for (JsonNode m : r.path("models")) {
            if (text(m, "model_name") == null) continue;
            Long asset = m.path("asset_id").isIntegralNumber() ? m.get("asset_id").longValue() : null;
            models.add(new GenerationFacts.Model(text(m, "role") == null ? "model" : text(m, "role"),
                    new GenerationFacts.AssetRef(text(m, "model_name"), asset, text(m, "version"), text(m, "hash"), asset != null)));
        }
        if (models.isEmpty() && !r.path("model_name").isNull() && !r.path("model_name").isMissingNode()) {
            models.add(new GenerationFacts.Model("model", ref(r, "model_name", "model_asset_id", "model_version", "model_hash")));
        }
        List<GenerationFacts.Lora> loras = new ArrayList<>();
        for (JsonNode l : r.path("loras")) {
            Long asset = l.path("asset_id").isIntegralNumber() ? l.get("asset_id").longValue() : null;
            Double clip = l.path("strength_clip").isNumber() ? Double.valueOf(l.get("strength_clip").doubleValue()) : null;
            loras.add(new GenerationFacts.Lora(new GenerationFacts.AssetRef(l.path("lora_name").asText(null), asset,
                    text(l, "version"), text(l, "hash"), asset != null), l.path("weight").asDouble(), clip));
        }
        List<GenerationFacts.SourceImage> images = new ArrayList<>();
        if (r.path("source_image_id").isIntegralNumber()) {
            images.add(new GenerationFacts.SourceImage(null, r.get("source_image_id").longValue(), text(r, "source_image_hash"), "source"));
        }
        if (r.path("variant_image_id").isIntegralNumber()) {
            images.add(new GenerationFacts.SourceImage(null, r.get("variant_image_id").longValue(), text(r, "variant_image_hash"), "variant"));
        }
        // image files the graph loaded (ComfyUI LoadImage), matched to a catalog image when their content is one
        for (JsonNode f : r.path("source_files")) {
            Long image = f.path("image_id").isIntegralNumber() ? f.get("image_id").longValue() : null;
            images.add(new GenerationFacts.SourceImage(text(f, "name"), image, text(f, "sha256"), text(f, "role") == null ? "loaded" : text(f, "role")));
        }
        GenerationFacts.AssetRef workflow = text(r, "workflow_name") == null && !r.path("workflow_asset_id").isIntegralNumber() ? null
                : ref(r, "workflow_name", "workflow_asset_id", "workflow_version", "workflow_hash");
        BigInteger seed = null;
        if (params.path("seed_u64").isTextual()) seed = new BigInteger(params.get("seed_u64").asText());
        else if (r.path("seed").isIntegralNumber()) {
            long s = r.get("seed").longValue();
            seed = s >= 0 ? BigInteger.valueOf(s) : BigInteger.valueOf(s).add(TWO_64);
        }
        Integer frames = null;
        if (params.path("frames").isIntegralNumber()) frames = params.get("frames").intValue();
        else if (params.path("frame_count").isIntegralNumber()) frames = params.get("frame_count").intValue();
        return new GenerationFacts(GenerationFacts.Source.RECEIPT, r.path("id").asLong(), text(r, "prompt_text"),
                text(r, "negative_prompt"), seed, text(r, "sampler"), text(params, "scheduler"),
                number(r, "cfg_scale"), integer(r, "steps"), integer(r, "resolution_width"), integer(r, "resolution_height"),
                frames, models, loras, images, workflow);
    }

    private static GenerationFacts.AssetRef ref(JsonNode r, String name, String id, String version, String hash) {
        Long asset = r.path(id).isIntegralNumber() ? r.get(id).longValue() : null;
        return new GenerationFacts.AssetRef(text(r, name), asset, text(r, version), text(r, hash), asset != null);
    }

    private static Double number(JsonNode n, String field) {
        return n.path(field).isNumber() ? Double.valueOf(n.get(field).doubleValue()) : null;
    }

    private static Integer integer(JsonNode n, String field) {
        return n.path(field).isIntegralNumber() ? Integer.valueOf(n.get(field).intValue()) : null;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }
}
