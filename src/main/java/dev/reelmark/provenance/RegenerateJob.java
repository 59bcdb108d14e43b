package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.http.ApiError;
import dev.reelmark.http.Json;
import dev.reelmark.jobs.JobContext;
import dev.reelmark.jobs.JobHandler;

/**
 * Job kind {@code provenance.regenerate}: for each selected stale segment, creates a new pending segment with the
 * planned inputs (current asset versions) stored as a regeneration draft. It does NOT run a generator — Reelmark has
 * none; a generator picks up the pending segment and its draft, and records a receipt when it really runs.
 * Checkpoints after every segment, so pause/cancel/resume continue where the job stopped.
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
            throw ApiError.badField("params.project_id", "must be a positive integer");
        }
        JsonNode ids = params.path("segment_ids");
        if (!ids.isArray()) throw ApiError.badField("params.segment_ids", "must be an array of segment ids");
        for (int i = 0; i < ids.size(); i++) {
            if (!ids.get(i).canConvertToLong() || ids.get(i).asLong() <= 0) {
                throw ApiError.badField("params.segment_ids[" + i + "]", "must be a positive integer");
            }
        }
    }

    @Override
    public void run(JobContext ctx) {
        JsonNode ids = ctx.params().path("segment_ids");
        ctx.total(ids.size());
        int next = ctx.state().path("next").asInt(0);
        ArrayNode drafts = ctx.state().path("drafts").isArray() ? ((ArrayNode) ctx.state().get("drafts")).deepCopy() : Json.MAPPER.createArrayNode();
        for (int i = next; i < ids.size(); i++) {
            long segment = ids.get(i).asLong();
            ObjectNode draft = provenance.regenerateOne(ctx.jobId(), segment);
            drafts.add(Json.object().put("old_segment_id", segment).put("new_segment_id", draft.get("new_segment_id").longValue())
                    .put("draft_id", draft.get("id").longValue()).put("planned_inputs_hash", draft.get("planned_inputs_hash").asText()));
            ctx.progress(i + 1, "segment " + segment);
            ObjectNode state = Json.object().put("next", i + 1);
            state.set("drafts", drafts);
            ctx.checkpoint(state);
        }
        ObjectNode result = Json.object().put("regenerated", drafts.size());
        result.set("drafts", drafts);
        result.put("note", "new segments are pending with planned inputs (drafts); no generator was run");
        ctx.result(result);
    }
}
