package dev.reelmark.jobs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of the {@code jobs} table, as the API shows it (snake_case JSON).
 *
 * @param params        what the submitter asked for (a JSON object)
 * @param state         the handler's last checkpoint, {@code null} before the first one
 * @param result        what the handler reported on completion, or {@code null}
 * @param error         why the job failed, or {@code null}
 * @param progressTotal the number of items, {@code null} while unknown
 * @param claimedBy     the runner that owns the job while it runs (and while it winds down after a pause or cancel)
 * @param attempts      how many times a runner claimed the job (more than 1 after a pause/resume or a crash)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Job(long id, String kind, JobStatus status, JsonNode params, JsonNode state, JsonNode result,
                  String error, long progressDone, Long progressTotal, String currentItem, String claimedBy,
                  Instant heartbeatAt, int attempts, Instant createdAt, Instant updatedAt, Instant startedAt,
                  Instant finishedAt) {

    @JsonIgnore
    public boolean isTerminal() {
        return status.isTerminal();
    }

    /**
     * Whether {@code other} differs in anything a watcher cares about: everything except the heartbeat and the
     * touch timestamp, which move on every heartbeat.
     */
    @JsonIgnore
    public boolean sameProgressAs(Job other) {
        return other != null && id == other.id && status == other.status && progressDone == other.progressDone
                && Objects.equals(progressTotal, other.progressTotal)
                && Objects.equals(currentItem, other.currentItem)
                && Objects.equals(error, other.error)
                && Objects.equals(result, other.result)
                && Objects.equals(state, other.state)
                && Objects.equals(claimedBy, other.claimedBy)
                && attempts == other.attempts;
    }
}
