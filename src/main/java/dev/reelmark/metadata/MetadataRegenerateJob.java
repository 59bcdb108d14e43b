package dev.reelmark.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobContext;
import dev.reelmark.jobs.JobHandler;
import dev.reelmark.jobs.JobService;

import java.util.List;

/**
 * {@code metadata.regenerate}: regenerates every metadata file of a project ({@code {"project_id": 1,
 * "stale_only": false}}), one checkpoint per entity, so pause, cancel and resume after a restart continue where it
 * stopped. A failing entity (a missing image, an unreadable video) is recorded in the report and the batch goes on.
 * The result: {@code {project_id, stale_only, total, regenerated, skipped, failed, failures: [{entity_type,
 * entity_id, name, error}]}}.
 */
public final class MetadataRegenerateJob implements JobHandler {
    public static final String KIND = "metadata.regenerate";
    /** At most this many failures are kept in the state and the result (the count is always exact). */
    static final int MAX_LISTED_FAILURES = 1000;

    private final MetadataService metadata;

    public MetadataRegenerateJob(MetadataService metadata) {
        this.metadata = metadata;
    }

    /** Validates and queues a batch. */
    public static Job submit(JobService jobs, long projectId, boolean staleOnly) {
        return jobs.submit(KIND, Json.object().put("project_id", projectId).put("stale_only", staleOnly));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void validate(JsonNode params) {
        JsonNode project = params.get("project_id");
        if (project == null || !project.canConvertToLong() || project.longValue() <= 0) {
            throw InvalidInput.field("project_id", "must be a positive project id");
        }
        JsonNode staleOnly = params.get("stale_only");
        if (staleOnly != null && !staleOnly.isNull() && !staleOnly.isBoolean()) {
            throw InvalidInput.field("stale_only", "must be true or false");
        }
        metadata.requireCharacters(project.longValue());
    }

    @Override
    public void run(JobContext ctx) {
        long project = ctx.params().get("project_id").longValue();
        boolean staleOnly = ctx.params().path("stale_only").asBoolean(false);
        List<MetadataService.WorkItem> items = metadata.workItems(project);
        ctx.total(items.size());
        JsonNode state = ctx.state();
        int start = state.path("next").asInt(0);
        int[] counts = {state.path("regenerated").asInt(0), state.path("skipped").asInt(0), state.path("failed").asInt(0)};
        ArrayNode failures = state.has("failures") ? (ArrayNode) state.get("failures").deepCopy() : Json.MAPPER.createArrayNode();
        metadata.regenerateItems(items, start, staleOnly, (i, item, regenerated, error) -> {
            if (error != null) {
                counts[2]++;
                if (failures.size() < MAX_LISTED_FAILURES) {
                    failures.addObject().put("entity_type", item.entityType()).put("entity_id", item.entityId())
                            .put("name", item.name()).put("error", MetadataService.describe(error));
                }
            } else {
                counts[regenerated ? 0 : 1]++;
            }
            ctx.progress(i + 1, item.entityType() + " " + item.entityId());
        }, next -> {
            // after each recorded batch (a few hundred files or 250 ms): pause/cancel/restart resume from here
            ObjectNode saved = Json.object().put("next", next).put("regenerated", counts[0]).put("skipped", counts[1])
                    .put("failed", counts[2]);
            saved.set("failures", failures);
            ctx.checkpoint(saved);
        });
        int regenerated = counts[0], skipped = counts[1], failed = counts[2];
        ObjectNode result = Json.object().put("project_id", project).put("stale_only", staleOnly).put("total", items.size())
                .put("regenerated", regenerated).put("skipped", skipped).put("failed", failed);
        result.set("failures", failures);
        ctx.result(result);
    }
}
