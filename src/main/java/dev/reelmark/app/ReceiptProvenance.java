package dev.reelmark.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.http.Json;
import dev.reelmark.metadata.ProvenanceSource;
import dev.reelmark.metadata.VideoMetadata;
import dev.reelmark.provenance.ProvenanceService;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Feeds the {@code provenance} block of {@code video_metadata.json} from generation receipts: the latest receipt
 * of the scene's first segment that has one names the workflow, model and LoRAs; its sampling settings become
 * {@code generation_parameters}. Glue between two features, so it lives in the composition root: metadata knows
 * only its {@link ProvenanceSource} interface, provenance only its own service.
 */
final class ReceiptProvenance implements ProvenanceSource {
    /** Latest receipt by segment id, for the segments asked about. */
    private final java.util.function.Function<List<Long>, Map<Long, ObjectNode>> latest;

    ReceiptProvenance(ProvenanceService provenance) {
        this(provenance::latestReceipts);
    }

    private ReceiptProvenance(java.util.function.Function<List<Long>, Map<Long, ObjectNode>> latest) {
        this.latest = latest;
    }

    /** One query for the receipts of all these segments; the view answers from memory. */
    @Override
    public ProvenanceSource prefetch(java.util.Collection<Long> segmentIds) {
        Map<Long, ObjectNode> loaded = latest.apply(List.copyOf(segmentIds));
        return new ReceiptProvenance(ids -> loaded);
    }

    @Override
    public VideoMetadata.ProvenanceInfo provenance(long sceneId, List<Long> segmentIds) {
        List<ObjectNode> receipts = latestReceipts(segmentIds);
        if (receipts.isEmpty()) return ProvenanceSource.unknown();
        ObjectNode first = receipts.get(0);
        String workflow = labelled(first, "workflow_name", "workflow_version");
        String model = labelled(first, "model_name", "model_version");
        // every LoRA any segment of the scene used, in first-seen order: "name@version"
        Set<String> loras = new LinkedHashSet<>();
        for (ObjectNode r : receipts) {
            for (JsonNode l : r.path("loras")) {
                String version = l.path("version").isNull() ? null : l.path("version").asText(null);
                loras.add(l.path("lora_name").asText() + (version == null ? "" : "@" + version));
            }
        }
        ObjectNode parameters = Json.object();
        parameters.put("prompt", first.path("prompt_text").asText());
        if (!first.path("negative_prompt").isNull()) parameters.put("negative_prompt", first.path("negative_prompt").asText());
        parameters.set("cfg_scale", first.path("cfg_scale"));
        parameters.set("seed", first.path("seed"));
        parameters.set("steps", first.path("steps"));
        parameters.put("sampler", first.path("sampler").asText());
        parameters.put("resolution", first.path("resolution_width").asInt() + "x" + first.path("resolution_height").asInt());
        ObjectNode loraWeights = parameters.putObject("lora_weights");
        for (JsonNode l : first.path("loras")) loraWeights.set(l.path("lora_name").asText(), l.path("weight"));
        parameters.put("inputs_hash", first.path("inputs_hash").asText());
        parameters.put("receipt_id", first.path("id").asLong());
        return new VideoMetadata.ProvenanceInfo(workflow == null ? "unknown" : workflow, model, List.copyOf(loras), parameters);
    }

    /** The newest receipt among the scene's segments: a new receipt makes the scene's file stale. */
    @Override
    public String sourceUpdatedAt(long sceneId, List<Long> segmentIds) {
        String newest = null;
        for (ObjectNode r : latestReceipts(segmentIds)) {
            String at = r.path("created_at").asText(null);
            if (at != null && (newest == null || at.compareTo(newest) > 0)) newest = at;
        }
        return newest;
    }

    private List<ObjectNode> latestReceipts(List<Long> segmentIds) {
        Map<Long, ObjectNode> bySegment = latest.apply(segmentIds);
        List<ObjectNode> out = new ArrayList<>();
        for (long id : segmentIds) if (bySegment.containsKey(id)) out.add(bySegment.get(id)); // in sequence order
        return out;
    }

    private static String labelled(ObjectNode r, String name, String version) {
        JsonNode n = r.path(name);
        if (n.isMissingNode() || n.isNull()) return null;
        JsonNode v = r.path(version);
        return v.isMissingNode() || v.isNull() ? n.asText() : n.asText() + " " + v.asText();
    }
}
