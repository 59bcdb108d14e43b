package dev.reelmark.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/**
 * One row of {@code dataset_exports}. {@code manifest} is only filled when one dataset is read (lists leave it
 * null); {@code warnings} are the problems the export went on with (e.g. an empty split), known once its samples
 * are chosen; {@code download} is the URL of the ZIP once completed.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DatasetExport(long id, long projectId, String name, JsonNode config, JsonNode manifest, String filePath,
                            Long fileSizeBytes, Integer sampleCount, Integer failedCount, String status, Long jobId,
                            String error, Instant completedAt, Instant createdAt, Instant updatedAt, JsonNode warnings,
                            String download) {
    public DatasetExport withoutManifest() {
        return new DatasetExport(id, projectId, name, config, null, filePath, fileSizeBytes, sampleCount, failedCount, status,
                jobId, error, completedAt, createdAt, updatedAt, warnings, download);
    }
}
