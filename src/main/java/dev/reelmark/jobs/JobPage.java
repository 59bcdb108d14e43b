package dev.reelmark.jobs;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * One page of {@link JobService#list}: {@code {items, total, next_after}}. {@code total} counts every job matching
 * the filters; {@code next_after} is the {@code after} value for the next page, {@code null} on the last page.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JobPage(List<Job> items, long total, Long nextAfter) {
}
