package dev.reelmark.jobs;

import com.fasterxml.jackson.databind.JsonNode;

/** What a {@link JobHandler} sees of the job it runs. One instance per run; used from the handler's thread. */
public interface JobContext {
    long jobId();

    String kind();

    /** The submitted parameters (a JSON object, never null). */
    JsonNode params();

    /**
     * The state saved by the last {@link #checkpoint(JsonNode)}, for resuming; a {@code NullNode} (never Java
     * null) when the job starts fresh, so {@code state().path("next").asLong(0)} works either way.
     */
    JsonNode state();

    /** Whether this run continues an earlier one (there is a saved state). */
    boolean resumed();

    /** Which claim of the job this is: 1 for the first run, more after a pause/resume or a crash. */
    int attempt();

    /** Progress saved so far (from an earlier run when resuming). */
    long progressDone();

    /** Sets the number of items (saved at once). */
    void total(long total);

    /**
     * Reports progress. Cheap: saved at most every few hundred milliseconds, and always by the next checkpoint.
     * Never throws for a pause or cancel: only {@link #checkpoint} does, after saving.
     */
    void progress(long done, String currentItem);

    /**
     * Saves {@code state} (the handler's resume point) and the progress so far, then throws
     * {@link JobInterruptedException} if the job was paused or cancelled or the runner is shutting down. Call it
     * between items.
     */
    void checkpoint(JsonNode state);

    /** {@link #checkpoint(JsonNode)} keeping the saved state as is. */
    void checkpoint();

    /** Sets the result stored when the handler returns normally. */
    void result(JsonNode result);
}
