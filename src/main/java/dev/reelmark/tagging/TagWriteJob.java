package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobContext;
import dev.reelmark.jobs.JobHandler;
import dev.reelmark.jobs.JobInterruptedException;
import dev.reelmark.jobs.JobService;
import dev.reelmark.jobs.JobStatus;
import dev.reelmark.tagging.TagRecords.Operation;
import dev.reelmark.tagging.TagRecords.OperationItem;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs a write or rollback operation: each pending item is checked (its comment must still be what the plan read),
 * backed up into metadata_history, rewritten and verified by {@link TagWriter}, then marked success or failed. Files
 * are written in batches, several at a time ({@link TagBatchWriter}: parallel up to
 * {@code REELMARK_METADATA_MAX_CONCURRENT_WRITES}, one transaction per batch step, the batch's fsyncs together); pause
 * and cancel are polled after each file, progress is reported per file, and a restart after a crash takes up the
 * batch it was in. An item left "writing" by a crash is settled by reading the file: an in-place write is rolled back
 * from its journal and a rename is atomic, so it holds either the old comment (the item is written again) or the new
 * one (it succeeded). A dry run checks one file at a time, as before.
 */
public final class TagWriteJob implements JobHandler {
    public static final String KIND = "tagging.write";

    private final TagService service;
    private final JobService jobs;

    public TagWriteJob(TagService service, JobService jobs) {
        this.service = service;
        this.jobs = jobs;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void validate(JsonNode params) {
        JsonNode id = params.get("operation_id");
        if (id == null || !id.canConvertToLong() || id.longValue() <= 0) {
            throw InvalidInput.field("params.operation_id", "must be a positive operation id");
        }
        service.store().operation(id.longValue()).orElseThrow(() -> NotFound.of("metadata operation", id.longValue()));
    }

    @Override
    public void run(JobContext ctx) {
        long opId = ctx.params().get("operation_id").longValue();
        TagStore store = service.store();
        store.setStatus(opId, "in_progress", false, null);
        List<OperationItem> items = store.items(opId);
        boolean dryRun = store.operation(opId).map(o -> o.operationType().equals(TagService.DRY_RUN)).orElse(false);
        // An in-place write a crash cut short is rolled back from its journal (a copy into a hard-linked file is
        // finished from its verified temp) before anything else reads the file.
        for (OperationItem i : items) if (i.status().equals("writing")) Mp4InPlace.recover(Path.of(i.filePath()));
        // Any other temp file a crash left beside an original is never the only copy, so it can go.
        for (OperationItem i : items) TagWriter.deleteQuietly(TagWriter.tempFor(Path.of(i.filePath())));
        ctx.total(items.size());
        int start = ctx.state().path("next").asInt(0);
        try {
            if (dryRun) {
                for (int n = start; n < items.size(); n++) {
                    ctx.checkpoint(Json.object().put("next", n));
                    OperationItem item = store.item(items.get(n).id()).orElseThrow();
                    if (item.status().equals("pending") || item.status().equals("writing")) {
                        ctx.progress(n, Path.of(item.filePath()).getFileName().toString());
                        check(store, item);
                    }
                    ctx.progress(n + 1, Path.of(item.filePath()).getFileName().toString());
                    ctx.checkpoint(Json.object().put("next", n + 1));
                }
            } else {
                write(ctx, store, opId, items, start);
            }
        } catch (JobInterruptedException e) {
            Job job = jobs.find(ctx.jobId()).orElse(null);
            if (job != null && job.status() == JobStatus.CANCELLED) {
                store.skipPending(opId, "cancelled");
                store.recount(opId);
                store.setStatus(opId, "cancelled", true, null);
            } else if (job != null && job.status() == JobStatus.PAUSED) {
                store.recount(opId);
                store.setStatus(opId, "paused", false, null);
            }
            throw e;
        }
        store.recount(opId);
        Operation op = store.operation(opId).orElseThrow();
        String status = op.failureCount() == 0 ? "completed" : op.successCount() == 0 && op.failureCount() > 0 ? "failed"
                : "completed_with_errors";
        store.setStatus(opId, status, true, op.failureCount() == 0 ? null : op.failureCount() + " file(s) failed");
        if (op.operationType().equals("rollback") && op.rollbackOf() != null && op.successCount() > 0) {
            long original = store.items(op.rollbackOf()).stream().filter(i -> i.status().equals("success")).count();
            store.setStatus(op.rollbackOf(), op.successCount() >= original ? "rolled_back" : "partially_rolled_back", true, null);
        }
        ctx.result(Json.object().put("operation_id", opId).put("status", status).put("success", op.successCount())
                .put("failed", op.failureCount()).put("skipped", op.skippedCount()));
    }

    /**
     * The write itself, in batches of {@link TagBatchWriter#BATCH} files written {@link TagConfig#maxConcurrentWrites}
     * at a time. The saved state is the first item of the batch under way: after a pause or a crash the batch is taken
     * up again, its finished items (success, failed, conflict) are passed over and its "writing" ones settled.
     */
    private void write(JobContext ctx, TagStore store, long opId, List<OperationItem> items, int start) {
        int[] done = {start};
        try (TagBatchWriter batches = new TagBatchWriter(store, service.writer(), service.maxConcurrentWrites())) {
            for (int b = start; b < items.size(); b += TagBatchWriter.BATCH) {
                ctx.checkpoint(Json.object().put("next", b));
                int end = Math.min(items.size(), b + TagBatchWriter.BATCH);
                List<OperationItem> batch = store.items(opId, items.get(b).seq(), items.get(end - 1).seq() + 1);
                JobInterruptedException stop = batches.run(batch, item -> {
                    done[0]++;
                    ctx.progress(done[0], Path.of(item.filePath()).getFileName().toString());
                }, () -> {
                    try {
                        ctx.checkpoint();
                        return null;
                    } catch (JobInterruptedException e) {
                        return e;
                    }
                });
                if (stop != null) throw stop;
                done[0] = end;
                ctx.progress(end, Path.of(items.get(end - 1).filePath()).getFileName().toString());
                ctx.checkpoint(Json.object().put("next", end));
            }
        }
    }

    /** A dry-run item: every check a write would make, nothing written. */
    private void check(TagStore store, OperationItem item) {
        try {
            List<TagWriter.Check> checks = service.check(item);
            List<String> errors = checks.stream().filter(c -> !c.ok()).map(TagWriter.Check::detail).toList();
            store.finishCheck(item.id(), errors.isEmpty(), errors.isEmpty() ? null : String.join("; ", errors), checks);
        } catch (JobInterruptedException e) {
            throw e;
        } catch (Exception e) {
            store.finishItem(item.id(), "failed", e.getMessage() == null ? e.toString() : e.getMessage(), null);
        }
    }
}
