package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.JobContext;
import dev.reelmark.jobs.JobHandler;

import java.util.ArrayList;
import java.util.List;

/**
 * Job kind {@code provenance.regenerate}: for each selected stale segment, creates a new pending segment with the
 * planned inputs (current asset versions) stored as a regeneration draft. It does NOT run a generator — Reelmark has
 * none; a generator picks up the pending segment and its draft, and records a receipt when it really runs.
 * Works in batches of {@link Regenerations#BATCH} segments, one transaction each, and checkpoints after every batch,
 * so pause/cancel/resume continue where the job stopped. A segment that meanwhile got an open draft (another job) is
 * counted under {@code already_queued}, not drafted again; deleted, superseded or receipt-less ones under {@code skipped}.
 */
public final class RegenerateJob implements JobHandler {
    private final ProvenanceService provenance;

    public RegenerateJob(ProvenanceService provenance) {
        this.provenance = provenance;
    }

    @Override
    public String kind() {
        return ProvenanceService.REGENERATE_KIND;
    }

    @Override
    public void validate(JsonNode params) {
        if (!params.path("project_id").canConvertToLong() || params.path("project_id").asLong() <= 0) {
            throw InvalidInput.field("params.project_id", "must be a positive integer");
        }
        JsonNode ids = params.path("segment_ids");
        if (!ids.isArray()) throw InvalidInput.field("params.segment_ids", "must be an array of segment ids");
        for (int i = 0; i < ids.size(); i++) {
            if (!ids.get(i).canConvertToLong() || ids.get(i).asLong() <= 0) {
                throw InvalidInput.field("params.segment_ids[" + i + "]", "must be a positive integer");
            }
        }
    }

    @Override
    public void run(JobContext ctx) {
        JsonNode ids = ctx.params().path("segment_ids");
        ctx.total(ids.size());
        JsonNode state = ctx.state();
        int next = state.path("next").asInt(0);
        int regenerated = state.path("regenerated").asInt(0);
        ArrayNode already = state.path("already_queued").isArray() ? ((ArrayNode) state.get("already_queued")).deepCopy() : Json.MAPPER.createArrayNode();
        ArrayNode skipped = state.path("skipped").isArray() ? ((ArrayNode) state.get("skipped")).deepCopy() : Json.MAPPER.createArrayNode();
        Regenerations regenerations = provenance.regenerations();
        for (int from = next; from < ids.size(); from += Regenerations.BATCH) {
            int to = Math.min(ids.size(), from + Regenerations.BATCH);
            List<Long> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) batch.add(ids.get(i).asLong());
            Regenerations.BatchResult r = regenerations.regenerateBatch(ctx.jobId(), batch);
            regenerated += r.regenerated();
            r.alreadyQueued().forEach(o -> already.add(o.toJson()));
            r.skipped().forEach(skipped::add);
            ctx.progress(to, "segment " + batch.get(batch.size() - 1));
            ObjectNode cp = Json.object().put("next", to).put("regenerated", regenerated);
            cp.set("already_queued", already);
            cp.set("skipped", skipped);
            ctx.checkpoint(cp);
        }
        ObjectNode result = Json.object().put("regenerated", regenerated).put("already_queued_count", already.size())
                .put("skipped_count", skipped.size());
        result.set("drafts", regenerations.draftsOfJob(ctx.jobId()));
        result.set("already_queued", already);
        result.set("skipped", skipped);
        result.put("note", "new segments are pending with planned inputs (drafts); no generator was run");
        ctx.result(result);
    }
}
