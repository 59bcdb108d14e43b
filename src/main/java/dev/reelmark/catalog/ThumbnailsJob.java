package dev.reelmark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.JobContext;
import dev.reelmark.jobs.JobHandler;

import java.util.List;

/**
 * Makes (or refreshes) the thumbnail of every segment of a project, so the web UI's catalog screens load at once.
 * One checkpoint per segment: pause, cancel and resume after a restart continue where it stopped. A segment
 * whose video is missing or unreadable is reported in the result, not fatal.
 */
public final class ThumbnailsJob implements JobHandler {
    public static final String KIND = "catalog.thumbnails";

    private final CatalogService catalog;
    private final SegmentMedia media;

    public ThumbnailsJob(CatalogService catalog, SegmentMedia media) {
        this.catalog = catalog;
        this.media = media;
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
        catalog.get(CatalogModel.PROJECTS, project.longValue());
    }

    @Override
    public void run(JobContext ctx) {
        long project = ctx.params().get("project_id").longValue();
        List<Long> segments = segmentsOf(project);
        ctx.total(segments.size());
        int start = ctx.state().path("next").asInt(0);
        ArrayNode failures = ctx.state().has("failures") ? (ArrayNode) ctx.state().get("failures").deepCopy() : Json.MAPPER.createArrayNode();
        for (int i = start; i < segments.size(); i++) {
            long segment = segments.get(i);
            try {
                media.thumbnail(segment);
            } catch (DomainException e) {
                failures.addObject().put("segment_id", segment).put("error", e.getMessage());
            }
            ctx.progress(i + 1, "segment " + segment);
            ObjectNode state = Json.object().put("next", i + 1);
            state.set("failures", failures);
            ctx.checkpoint(state);
        }
        ObjectNode result = Json.object().put("segments", segments.size()).put("failed", failures.size());
        result.set("failures", failures);
        ctx.result(result);
    }

    private List<Long> segmentsOf(long project) {
        return catalog.reads().segmentsOfProject(project).stream().map(Segment::id).toList();
    }
}
