package dev.reelmark.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Database;
import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.errors.Conflict;
import dev.reelmark.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The jobs API other features use: register a {@link JobHandler} per kind, {@link #submit} work, and let a
 * {@link JobRunner} (in this or another process sharing the database) run it.
 *
 * <p>State rules: pause only a queued or running job (a running one stops at its next checkpoint); resume only a
 * paused job (it is queued again and continues from its checkpoint); cancel any job that has not finished. Anything
 * else is a 409 {@link DomainException}.
 */
public final class JobService {
    private static final Logger LOG = LoggerFactory.getLogger(JobService.class);
    public static final int MAX_PAGE = 500;
    static final Duration AWAIT_POLL = Duration.ofMillis(100);

    private final JobStore store;
    private final Map<String, JobHandler> handlers = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<JobListener> listeners = new CopyOnWriteArrayList<>();

    public JobService(Database db) {
        this.store = new JobStore(db);
    }

    JobStore store() {
        return store;
    }

    public Database database() {
        return store.database();
    }

    // ---- handlers ----

    /** Registers the handler of a kind; a kind can be registered once. Returns this for chaining. */
    public JobService register(JobHandler handler) {
        String kind = handler.kind();
        if (kind == null || kind.isBlank()) throw new IllegalArgumentException("a job handler needs a kind");
        JobHandler previous = handlers.putIfAbsent(kind, handler);
        if (previous != null && previous != handler) {
            throw new IllegalStateException("a handler for job kind '" + kind + "' is already registered: " + previous);
        }
        return this;
    }

    public Optional<JobHandler> handler(String kind) {
        return Optional.ofNullable(kind == null ? null : handlers.get(kind));
    }

    /** The registered kinds, sorted. */
    public Set<String> kinds() {
        return new TreeSet<>(handlers.keySet());
    }

    // ---- submit and read ----

    /**
     * Queues a job. 400 naming {@code kind} when no handler is registered for it, naming {@code params} when they are
     * not a JSON object (null means {@code {}}), or whatever the handler's {@link JobHandler#validate} throws.
     */
    public Job submit(String kind, JsonNode params) {
        if (kind == null || kind.isBlank()) throw InvalidInput.field("kind", "is required");
        JobHandler handler = handlers.get(kind);
        if (handler == null) {
            throw InvalidInput.field("kind", "no handler is registered for job kind '" + kind + "'"
                    + (handlers.isEmpty() ? "" : " (known kinds: " + String.join(", ", kinds()) + ")"));
        }
        JsonNode p = params == null || params.isNull() || params.isMissingNode() ? Json.object() : params;
        if (!p.isObject()) throw InvalidInput.field("params", "must be a JSON object");
        handler.validate(p);
        Job job = store.insert(kind, p);
        fire(job);
        return job;
    }

    public Optional<Job> find(long id) {
        return store.find(id);
    }

    /** The job, or a 404 {@link DomainException}. */
    public Job get(long id) {
        return store.find(id).orElseThrow(() -> NotFound.of("job", id));
    }

    /**
     * Jobs in id order, optionally only one status and/or kind, starting after id {@code after} (null: from the
     * start). {@code limit} is 1..{@value #MAX_PAGE}.
     */
    public JobPage list(JobStatus status, String kind, int limit, Long after) {
        return list(status, kind, limit, after, false);
    }

    /**
     * Like {@link #list(JobStatus, String, int, Long)}; with {@code newestFirst} the order is descending and
     * {@code after} (the previous page's next_after) continues with lower ids.
     */
    public JobPage list(JobStatus status, String kind, int limit, Long after, boolean newestFirst) {
        if (limit < 1 || limit > MAX_PAGE) throw InvalidInput.field("limit", "must be from 1 to " + MAX_PAGE + ", got " + limit);
        return store.list(status, kind == null || kind.isBlank() ? null : kind, limit, after, newestFirst);
    }

    // ---- control ----

    /** Queued → paused at once; running → paused, the worker stopping at the handler's next checkpoint. */
    public Job pause(long id) {
        return transition(id, EnumSet.of(JobStatus.QUEUED, JobStatus.RUNNING), JobStatus.PAUSED, false,
                "only queued or running jobs can be paused");
    }

    /** Paused → queued; the job continues from its last checkpoint. */
    public Job resume(long id) {
        return transition(id, EnumSet.of(JobStatus.PAUSED), JobStatus.QUEUED, false,
                "only paused jobs can be resumed");
    }

    /** Queued, running or paused → cancelled; a running handler stops at its next checkpoint. */
    public Job cancel(long id) {
        return transition(id, EnumSet.of(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.PAUSED), JobStatus.CANCELLED,
                true, "finished jobs cannot be cancelled");
    }

    private Job transition(long id, Set<JobStatus> from, JobStatus to, boolean finish, String rule) {
        Optional<Job> changed = store.transition(id, from, to, finish);
        if (changed.isPresent()) {
            fire(changed.get());
            return changed.get();
        }
        Job current = get(id);
        throw Conflict.of("status", "job " + id + " is " + current.status().value() + ": " + rule);
    }

    // ---- waiting and listening ----

    /**
     * Waits until the job satisfies {@code condition} and returns that snapshot, or returns the latest snapshot when
     * {@code timeout} passes first. Works for jobs run by another process too (it polls). 404 for an unknown id.
     */
    public Job await(long id, Predicate<Job> condition, Duration timeout) throws InterruptedException {
        Semaphore changed = new Semaphore(0);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Subscription ignored = subscribe(job -> {
            if (job.id() == id) changed.release();
        })) {
            while (true) {
                Job job = get(id);
                if (condition.test(job)) return job;
                long left = deadline - System.nanoTime();
                if (left <= 0) return job;
                changed.tryAcquire(Math.min(left, AWAIT_POLL.toNanos()), TimeUnit.NANOSECONDS);
                changed.drainPermits();
            }
        }
    }

    /** {@link #await} until the job is completed, failed or cancelled. */
    public Job awaitTerminal(long id, Duration timeout) throws InterruptedException {
        return await(id, Job::isTerminal, timeout);
    }

    /** Starts telling {@code listener} about every change made in this process; close the result to stop. */
    public Subscription subscribe(JobListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** An active {@link #subscribe} registration. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    void fire(Job job) {
        for (JobListener l : listeners) {
            try {
                l.jobChanged(job);
            } catch (RuntimeException e) {
                LOG.warn("job listener {} failed on job {}", l, job.id(), e);
            }
        }
    }
}
