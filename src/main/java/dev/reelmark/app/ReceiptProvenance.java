package dev.reelmark.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.footage.GenerationFacts;
import dev.reelmark.footage.SegmentFacts;
import dev.reelmark.json.Json;
import dev.reelmark.metadata.ProvenanceSource;
import dev.reelmark.metadata.VideoMetadata;
import dev.reelmark.provenance.ProvenanceService;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Feeds the {@code provenance} block of {@code video_metadata.json} from the segment-facts module: every segment's
 * {@link GenerationFacts} (latest receipt first, else the clip's ComfyUI comment) with its source; the scene-level
 * workflow, model and parameters from the first segment with known facts, every LoRA any segment used, and the facts
 * on which segments disagree. Glue between features, so it lives in the composition root: metadata knows only its
 * {@link ProvenanceSource} interface.
 */
final class ReceiptProvenance implements ProvenanceSource {
    /** Generation facts by segment id, for the segments asked about. */
    private final Function<List<Long>, Map<Long, GenerationFacts>> facts;
    /** Latest receipt rows by segment id (their creation time and inputs hash). */
    private final Function<List<Long>, Map<Long, ObjectNode>> receipts;

    ReceiptProvenance(SegmentFacts facts, ProvenanceService provenance) {
        this(facts::generation, provenance::latestReceipts);
    }

    private ReceiptProvenance(Function<List<Long>, Map<Long, GenerationFacts>> facts,
                              Function<List<Long>, Map<Long, ObjectNode>> receipts) {
        this.facts = facts;
        this.receipts = receipts;
    }

    /** One read of the facts and receipts of all these segments; the view answers from memory. */
    @Override
    public ProvenanceSource prefetch(java.util.Collection<Long> segmentIds) {
        Map<Long, GenerationFacts> loadedFacts = facts.apply(List.copyOf(segmentIds));
        Map<Long, ObjectNode> loadedReceipts = receipts.apply(List.copyOf(segmentIds));
        return new ReceiptProvenance(ids -> loadedFacts, ids -> loadedReceipts);
    }

    @Override
    public VideoMetadata.ProvenanceInfo provenance(long sceneId, List<Long> segmentIds) {
        Map<Long, GenerationFacts> bySegment = facts.apply(segmentIds);
        List<GenerationFacts> ordered = new ArrayList<>();
        List<ObjectNode> perSegment = new ArrayList<>();
        Set<String> sources = new LinkedHashSet<>();
        for (long id : segmentIds) { // in sequence order
            GenerationFacts g = bySegment.getOrDefault(id, GenerationFacts.NONE);
            ordered.add(g);
            sources.add(g.source().wire());
            ObjectNode n = Json.object().put("segment_id", id);
            n.setAll(g.toJson());
            n.remove("generation_source");
            n.put("generation_source", g.source().wire());
            perSegment.add(reorder(n));
        }
        String source = sources.isEmpty() ? "none" : sources.size() == 1 ? sources.iterator().next() : "mixed";
        GenerationFacts first = ordered.stream().filter(g -> g.source() != GenerationFacts.Source.NONE).findFirst().orElse(null);
        List<String> differ = differences(ordered);
        if (first == null) {
            return new VideoMetadata.ProvenanceInfo("unknown", null, List.of(), Json.object(), source, perSegment, differ);
        }
        // every LoRA any segment of the scene used, in first-seen order: "name@version"
        Set<String> loras = new LinkedHashSet<>();
        for (GenerationFacts g : ordered) {
            for (GenerationFacts.Lora l : g.loras()) loras.add(name(l.asset()) + (l.asset() == null || l.asset().version() == null ? "" : "@" + l.asset().version()));
        }
        ObjectNode parameters = Json.object();
        parameters.put("generation_source", first.source().wire());
        parameters.put("prompt", first.prompt());
        if (first.negativePrompt() != null) parameters.put("negative_prompt", first.negativePrompt());
        if (first.cfg() == null) parameters.putNull("cfg_scale"); else parameters.put("cfg_scale", first.cfg());
        if (first.seed() == null) parameters.putNull("seed"); else parameters.put("seed", first.seed());
        if (first.steps() == null) parameters.putNull("steps"); else parameters.put("steps", first.steps());
        parameters.put("sampler", first.sampler());
        parameters.put("resolution", first.resolution());
        ObjectNode loraWeights = parameters.putObject("lora_weights");
        for (GenerationFacts.Lora l : first.loras()) loraWeights.put(name(l.asset()), l.strengthModel());
        if (first.receiptId() != null) {
            long segment = segmentIds.get(ordered.indexOf(first));
            ObjectNode receipt = receipts.apply(segmentIds).get(segment);
            if (receipt != null) parameters.put("inputs_hash", receipt.path("inputs_hash").asText());
            parameters.put("receipt_id", first.receiptId());
        }
        // a ComfyUI graph read from a clip names no workflow asset: the file says "unknown", as with no facts at all
        String workflow = labelled(first.workflow());
        return new VideoMetadata.ProvenanceInfo(workflow == null ? "unknown" : workflow, labelled(first.primaryModel()), List.copyOf(loras),
                parameters, source, perSegment, differ);
    }

    /** The newest receipt among the scene's segments: a new receipt makes the scene's file stale. */
    @Override
    public String sourceUpdatedAt(long sceneId, List<Long> segmentIds) {
        String newest = null;
        Map<Long, ObjectNode> bySegment = receipts.apply(segmentIds);
        for (long id : segmentIds) {
            ObjectNode r = bySegment.get(id);
            String at = r == null ? null : r.path("created_at").asText(null);
            if (at != null && (newest == null || at.compareTo(newest) > 0)) newest = at;
        }
        return newest;
    }

    /** The facts on which the segments disagree, in a fixed order. */
    static List<String> differences(List<GenerationFacts> segments) {
        Map<String, Function<GenerationFacts, Object>> values = new LinkedHashMap<>();
        values.put("generation_source", GenerationFacts::source);
        values.put("prompt", GenerationFacts::prompt);
        values.put("negative_prompt", GenerationFacts::negativePrompt);
        values.put("seed", GenerationFacts::seed);
        values.put("sampler", GenerationFacts::sampler);
        values.put("cfg", GenerationFacts::cfg);
        values.put("steps", GenerationFacts::steps);
        values.put("resolution", GenerationFacts::resolution);
        values.put("model", g -> g.models().stream().map(m -> name(m.asset())).toList());
        values.put("model_version", g -> g.models().stream().map(m -> m.asset() == null ? null : m.asset().version()).toList());
        values.put("loras", g -> g.loras().stream().map(l -> name(l.asset()) + "@" + (l.asset() == null ? null : l.asset().version())
                + ":" + l.strengthModel() + ":" + l.strengthClip()).toList());
        values.put("workflow", g -> g.workflow() == null ? null : g.workflow().name() + "@" + g.workflow().version());
        List<String> differ = new ArrayList<>();
        values.forEach((name, value) -> {
            if (segments.stream().map(g -> Objects.toString(value.apply(g))).distinct().count() > 1) differ.add(name);
        });
        return differ;
    }

    /** segment_id and generation_source first, then the facts. */
    private static ObjectNode reorder(ObjectNode n) {
        ObjectNode out = Json.object();
        out.set("segment_id", n.get("segment_id"));
        out.set("generation_source", n.get("generation_source"));
        n.fields().forEachRemaining(e -> {
            if (!out.has(e.getKey())) out.set(e.getKey(), e.getValue());
        });
        return out;
    }

    private static String name(GenerationFacts.AssetRef a) {
        return a == null || a.name() == null ? "?" : a.name();
    }

    private static String labelled(GenerationFacts.AssetRef a) {
        if (a == null || a.name() == null) return null;
        return a.version() == null ? a.name() : a.name() + " " + a.version();
    }
}
