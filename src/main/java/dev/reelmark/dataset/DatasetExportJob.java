package dev.reelmark.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.jobs.JobContext;
import dev.reelmark.jobs.JobHandler;

/**
 * {@code dataset.export}: packages one {@code dataset_exports} row. A ZIP cannot be appended to after a restart, so
 * a paused or interrupted export starts its ZIP over when it resumes (the half-written one is deleted).
 */
public final class DatasetExportJob implements JobHandler {
    public static final String KIND = "dataset.export";
    private final DatasetService datasets;

    public DatasetExportJob(DatasetService datasets) {
        this.datasets = datasets;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void validate(JsonNode params) {
        JsonNode id = params.get("dataset_id");
        if (id == null || !id.isIntegralNumber() || id.longValue() <= 0) throw InvalidInput.field("dataset_id", "must be a positive dataset export id");
    }

    @Override
    public void run(JobContext ctx) throws Exception {
        datasets.run(ctx);
    }
}
