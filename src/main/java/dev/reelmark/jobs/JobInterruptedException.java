package dev.reelmark.jobs;

/**
 * Thrown by {@link JobContext#checkpoint} when the job must stop: it was paused or cancelled, its runner is
 * shutting down, or the runner lost its claim on the job. The runner handles it; handlers should let it propagate.
 * State and progress passed to the throwing checkpoint are already saved.
 */
public class JobInterruptedException extends RuntimeException {
    /** Why the job stopped. */
    public enum Reason {
        /** Someone paused the job; it waits for a resume. */
        PAUSED,
        /** Someone cancelled the job. */
        CANCELLED,
        /** The runner is closing; the job goes back to the queue and continues from its checkpoint. */
        SHUTDOWN,
        /** The runner no longer owns the job (its claim went stale and was recovered elsewhere). */
        LOST
    }

    private final long jobId;
    private final Reason reason;

    public JobInterruptedException(long jobId, Reason reason) {
        super("job " + jobId + " interrupted: " + reason.name().toLowerCase());
        this.jobId = jobId;
        this.reason = reason;
    }

    public long jobId() {
        return jobId;
    }

    public Reason reason() {
        return reason;
    }
}
