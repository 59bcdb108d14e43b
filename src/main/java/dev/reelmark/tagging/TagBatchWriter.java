package dev.reelmark.tagging;

import dev.reelmark.jobs.JobInterruptedException;
import dev.reelmark.media.Mp4Boxes;
import dev.reelmark.tagging.TagRecords.OperationItem;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Writes one batch of a write (or rollback) operation's items, {@link TagConfig#maxConcurrentWrites} files at a time,
 * with one transaction per step of the batch instead of one per file, and the fsyncs of the batch issued together.
 * Per batch, on the job's thread:
 * <ol>
 *   <li>every file is read in parallel (an item a crash left "writing" settled, access, ffprobe's full view for the
 *   backup, the plan's comment and key still there): a conflict or a failure is final;</li>
 *   <li>the backups of the rest are saved and the items marked "writing" in one transaction, before any file changes;</li>
 *   <li>in parallel, an MP4/MOV file that takes an in-place path gets its undo journal written
 *   ({@link Mp4InPlace#stage}); any other file (a shift, a Matroska or re-muxed file) is written on its own as
 *   before ({@link TagWriter#rewrite}, which fsyncs it);</li>
 *   <li>every staged journal is fsynced (in parallel: the file system commits them together) and each folder synced
 *   once, so each journal is durable before the file it covers is changed;</li>
 *   <li>the staged files are written and verified in parallel (a failed check rolls its file back);</li>
 *   <li>every written file is fsynced, then its journal dropped and each folder synced once: a crash before that
 *   leaves the journal, and the resumed job rolls the file back and writes it again;</li>
 *   <li>the outcomes are recorded in one transaction (after the journals are gone: an item still "writing" after a
 *   crash is settled by reading its file, which then holds either the old state or the new one).</li>
 * </ol>
 * A pause or cancel (polled after each file) stops new files from starting; the files under way finish and are
 * recorded, and the batch's untouched items stay pending. Progress is reported once per file, counting up.
 */
final class TagBatchWriter implements AutoCloseable {
    /** Files per batch: bounds what a crash or a pause leaves to redo and how long the batch's records wait. */
    static final int BATCH = 32;
    /** fsyncs are I/O-bound: a batch issues this many at once, whatever the write concurrency. */
    private static final int SYNC_THREADS = 8;

    private final TagStore store;
    private final TagWriter writer;
    private final ExecutorService pool;
    private final ExecutorService syncPool;

    TagBatchWriter(TagStore store, TagWriter writer, int threads) {
        this.store = store;
        this.writer = writer;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> daemon(r, "tag-write-" + n.incrementAndGet()));
        AtomicInteger m = new AtomicInteger();
        this.syncPool = Executors.newFixedThreadPool(SYNC_THREADS, r -> daemon(r, "tag-fsync-" + m.incrementAndGet()));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        syncPool.shutdownNow();
    }

    /** A file whose outcome is known. */
    private record Final(OperationItem item, String status, String error, String hashAfter, String writePath) {
        static Final failed(OperationItem item, Exception e) {
            return new Final(item, "failed", e.getMessage() == null ? e.toString() : e.getMessage(), null, null);
        }
    }

    /** A file read and checked, to be written. */
    private record Ready(OperationItem item, String probe, String current) {
    }

    /** A file whose in-place write is journalled, waiting for the batch's journals to be durable. */
    private record Staged(OperationItem item, Mp4InPlace.Staged staged) {
    }

    /** A staged file written and verified, waiting for the batch's fsync. */
    private record Applied(Staged s, String commentAfter) {
    }

    private static final Object NOT_STARTED = new Object();

    /**
     * Writes {@code batch}. {@code done} is told each file that finished (on this thread); {@code poll} is asked after
     * each file whether the job must stop. Returns the stop that ended the batch early, or null.
     */
    JobInterruptedException run(List<OperationItem> batch, Consumer<OperationItem> done, Supplier<JobInterruptedException> poll) {
        Stop stop = new Stop(poll);
        List<Final> finals = new ArrayList<>();
        List<OperationItem> todo = new ArrayList<>();
        for (OperationItem i : batch) {
            if (i.status().equals("pending") || i.status().equals("writing")) todo.add(i);
            else done.accept(i);
        }
        // 1. read and check every file
        List<Ready> ready = new ArrayList<>();
        for (Object o : parallel(todo, this::prepare, stop)) {
            if (o instanceof Final f) {
                finals.add(f);
                done.accept(f.item());
            } else if (o instanceof Ready r) {
                ready.add(r);
            }
        }
        if (stop.hit() || ready.isEmpty()) {
            // A file read as still holding the plan's comment was not touched: an item a crash left "writing" whose
            // file that is goes back to pending (a cancel then skips it). Unread ones stay as they are.
            record(finals, ready.stream().map(r -> r.item().id()).toList());
            return stop.exception;
        }
        // 2. backups and "writing", one transaction
        store.backupAndMarkWriting(ready.stream().map(r -> new TagStore.BackupRow(r.item().id(), r.item().fileHash(), r.current(),
                r.probe())).toList());
        // 3. journals staged (or the file written on its own)
        List<Staged> staged = new ArrayList<>();
        List<Long> notStarted = new ArrayList<>();
        List<Object> written = parallel(ready, this::stage, stop);
        for (int k = 0; k < written.size(); k++) {
            Object o = written.get(k);
            if (o == NOT_STARTED) notStarted.add(ready.get(k).item().id());
            else if (o instanceof Final f) {
                finals.add(f);
                done.accept(f.item());
            } else if (o instanceof Staged s) {
                staged.add(s);
            }
        }
        // 4. the journals durable before any staged file changes
        List<Staged> durable = new ArrayList<>();
        List<Object> synced = parallelIo(staged, s -> {
            try {
                Mp4Boxes.force(Mp4Boxes.journalFor(s.staged().file()));
                return s;
            } catch (IOException e) {
                rollBack(s);
                return Final.failed(s.item(), new IOException("cannot fsync the journal of " + s.staged().file() + ": " + e.getMessage(), e));
            }
        });
        for (Object o : synced) {
            if (o instanceof Staged s) durable.add(s);
            else if (o instanceof Final f) {
                finals.add(f);
                done.accept(f.item());
            }
        }
        Mp4Boxes.syncDirs(durable.stream().map(s -> Mp4Boxes.journalFor(s.staged().file())).toList());
        // 5. written and verified
        List<Applied> applied = new ArrayList<>();
        for (Object o : parallel(durable, s -> {
            try {
                return new Applied(s, Mp4InPlace.applyAndVerify(writer, s.staged()));
            } catch (RuntimeException e) {
                return Final.failed(s.item(), e);
            }
        }, null)) {
            if (o instanceof Applied a) applied.add(a);
            else if (o instanceof Final f) {
                finals.add(f);
                done.accept(f.item());
            }
        }
        // 6. the data durable, then the journals go
        List<Object> results = parallelIo(applied, a -> {
            Path file = a.s().staged().file();
            try {
                Mp4Boxes.force(file);
            } catch (IOException e) {
                rollBack(a.s());
                return Final.failed(a.s().item(), new IOException("cannot fsync " + file + ": " + e.getMessage(), e));
            }
            try {
                Mp4Boxes.dropJournal(file);
                TagWriter.WriteResult r = Mp4InPlace.finish(a.s().staged(), a.commentAfter());
                return new Final(a.s().item(), "success", null, r.fingerprintAfter(), r.writePath());
            } catch (IOException | RuntimeException e) {
                return Final.failed(a.s().item(), e);
            }
        });
        Mp4Boxes.syncDirs(applied.stream().map(a -> a.s().staged().file()).toList());
        for (Object o : results) {
            Final f = (Final) o;
            finals.add(f);
            done.accept(f.item());
        }
        // 7. the outcomes, one transaction
        record(finals, notStarted);
        return stop.exception;
    }

    private void record(List<Final> finals, List<Long> notStarted) {
        store.finishItems(finals.stream().map(f -> new TagStore.Finish(f.item().id(), f.status(), f.error(), f.hashAfter(), f.writePath()))
                .toList());
        store.deleteEdits(finals.stream().filter(f -> f.status().equals("success") && f.writePath() != null
                && f.item().rollbackItemId() == null).map(f -> f.item().fileHash()).toList());
        store.markPending(notStarted);
    }

    private static void rollBack(Staged s) {
        try {
            Mp4InPlace.recover(s.staged().file());
        } catch (RuntimeException ignored) {
            // the journal stays: the next write of the file or the resumed job rolls it back
        }
    }

    /** Step 1 of a file ({@code TagWriteJob}'s per-file checks before a write). */
    private Object prepare(OperationItem item) {
        Path path = Path.of(item.filePath());
        try {
            if (item.status().equals("writing")) {
                Mp4InPlace.recover(path); // an in-place write cut short is rolled back first
                TagWriter.LightProbe p = writer.probeLight(path);
                boolean keyTarget = TagService.isKeyTarget(item.peopleTarget());
                boolean newState = Objects.equals(p.comment(), item.newComment())
                        && (!keyTarget || Objects.equals(p.peopleKey(), item.newPeople()));
                boolean oldState = Objects.equals(p.comment(), item.previousComment())
                        && (!keyTarget || Objects.equals(p.peopleKey(), item.previousPeople()));
                if (p.error() == null && newState && !oldState) {
                    return new Final(item, "success", null, Fingerprint.of(path), null);
                }
            }
            List<String> access = TagWriter.accessProblems(path);
            if (!access.isEmpty()) return new Final(item, "failed", String.join("; ", access), null, null);
            String probe = writer.probeFull(path);
            String current = TagWriter.commentOfProbe(probe);
            if (!Objects.equals(current, item.previousComment())) {
                return new Final(item, "conflict", item.rollbackItemId() != null
                        ? "conflict: the comment changed since Reelmark wrote it; left as it is"
                        : "the comment changed since the plan was made; nothing was written (make a new plan)", null, null);
            }
            boolean keyTarget = TagService.isKeyTarget(item.peopleTarget());
            if (keyTarget && !Objects.equals(TagWriter.peopleKeyOfProbe(probe), item.previousPeople())) {
                return new Final(item, "conflict", "the people key changed since the plan was made; nothing was written "
                        + "(make a new plan)", null, null);
            }
            return new Ready(item, probe, current);
        } catch (Exception e) {
            return Final.failed(item, e);
        }
    }

    /** Step 3 of a file: its journal staged, or (no in-place path) the whole write done on its own. */
    private Object stage(Ready r) {
        OperationItem item = r.item();
        try {
            boolean keyTarget = TagService.isKeyTarget(item.peopleTarget());
            TagWriter.People people = keyTarget
                    ? new TagWriter.People(PeopleComment.Target.of(item.peopleTarget()), item.newPeople(), PeopleComment.keyPeople(item.newPeople()))
                    : TagWriter.People.inComment(item.newComment());
            TagWriter.Request req = writer.request(Path.of(item.filePath()), r.probe(), item.newComment(), people);
            if (writer.inPlaceFirst(req)) {
                Mp4InPlace.Staged s = Mp4InPlace.stage(req);
                if (s != null) return new Staged(item, s);
            }
            TagWriter.WriteResult w = writer.rewrite(Path.of(item.filePath()), r.probe(), item.newComment(), people);
            return new Final(item, "success", null, w.fingerprintAfter(), w.writePath());
        } catch (Exception e) {
            return Final.failed(item, e);
        }
    }

    /** Whether the job asked to stop; polled on the job's thread after each file, at most every 50 ms. */
    private static final class Stop {
        private final Supplier<JobInterruptedException> poll;
        private final AtomicBoolean flag = new AtomicBoolean();
        private JobInterruptedException exception;
        private long last = System.nanoTime();

        Stop(Supplier<JobInterruptedException> poll) {
            this.poll = poll;
        }

        void check(boolean force) {
            if (exception != null) return;
            if (!force && System.nanoTime() - last < 50_000_000L) return;
            last = System.nanoTime();
            JobInterruptedException e = poll.get();
            if (e != null) {
                exception = e;
                flag.set(true);
            }
        }

        boolean hit() {
            return flag.get();
        }
    }

    /**
     * Runs {@code work} over {@code in} on the write pool; results in input order, {@link #NOT_STARTED} for inputs
     * that never started because {@code stop} was hit (null: no stop between these files).
     */
    private <T> List<Object> parallel(List<T> in, Function<T, Object> work, Stop stop) {
        return runAll(pool, in, t -> stop != null && stop.hit() ? NOT_STARTED : work.apply(t), stop);
    }

    private <T> List<Object> parallelIo(List<T> in, Function<T, Object> work) {
        return runAll(syncPool, in, work, null);
    }

    private static <T> List<Object> runAll(ExecutorService exec, List<T> in, Function<T, Object> work, Stop stop) {
        List<Object> out = new ArrayList<>(in.size());
        if (in.isEmpty()) return out;
        CompletionService<Object> cs = new ExecutorCompletionService<>(exec);
        List<Future<Object>> fs = new ArrayList<>();
        for (T t : in) fs.add(cs.submit(() -> work.apply(t)));
        boolean interrupted = false;
        for (int k = 0; k < in.size(); k++) {
            while (true) {
                try {
                    cs.take();
                    break;
                } catch (InterruptedException e) {
                    // the runner is past its shutdown grace: files under way still finish (a half-done batch step
                    // would leave journals behind), then the job stops
                    interrupted = true;
                    if (stop != null) stop.check(true);
                }
            }
            if (stop != null) stop.check(false);
        }
        if (stop != null) stop.check(true);
        for (Future<Object> f : fs) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                interrupted = true;
                out.add(NOT_STARTED);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a tag write task failed", e.getCause());
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return out;
    }
}
