package dev.reelmark.jobs;

import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.InvalidInput;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The work behind one job kind. Register it with {@link JobService#register}; a {@link JobRunner} then runs every
 * queued job of that kind.
 *
 * <p>A handler that processes items should call {@link JobContext#checkpoint(JsonNode)} after each one with
 * enough state to continue from there: the checkpoint is what makes pause, cancel, shutdown and crash recovery
 * resume where the job stopped instead of starting over. When {@code checkpoint} throws
 * {@link JobInterruptedException}, let it propagate (do not catch it).
 */
public interface JobHandler {
    /** The job kind this handler runs, e.g. {@code "sidecar_export"}. */
    String kind();

    /**
     * Checks a submission's parameters before the job is stored; throw {@link dev.reelmark.errors.DomainException} (400
     * naming the field, e.g. {@code InvalidInput.field("params.project_id", "...")}) to reject it. Default: accept.
     */
    default void validate(JsonNode params) {
    }

    /**
     * Does the work. Returning normally completes the job (with {@link JobContext#result} if one was set);
     * throwing fails it with the exception's message. {@link JobContext#state()} holds the last checkpoint when the
     * job resumes after a pause or a restart.
     */
    void run(JobContext ctx) throws Exception;
}
