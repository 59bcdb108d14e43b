package dev.reelmark.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs queued jobs of the kinds registered with a {@link JobService}: N worker threads claim jobs atomically (any
 * number of runners, in any number of processes, can share one database), a maintenance thread keeps the claims'
 * heartbeats fresh and puts jobs whose runner died (stale heartbeat) back in the queue, where they continue from
 * their last checkpoint.
 *
 * <p>{@link #close()} stops gracefully: running handlers are told to stop at their next checkpoint (interrupted
 * after {@link Options#shutdownGrace()}), and their jobs go back to the queue rather than failing.
 */
public final class JobRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    /**
     * Runner settings.
     *
     * @param workers           worker threads (jobs run in parallel)
     * @param pollInterval      how often idle workers look for queued jobs (submits in this process wake them at once)
     * @param staleAfter        a claim whose heartbeat is older than this is considered dead and its job re-queued
     * @param heartbeatInterval how often heartbeats are written; null: a third of {@code staleAfter}
     * @param progressInterval  the least time between two progress writes from {@link JobContext#progress}
     * @param shutdownGrace     how long {@link #close()} waits for handlers to reach a checkpoint before interrupting
     * @param kinds             only these kinds (null: every kind registered with the service)
     * @param runnerId          the id written to {@code claimed_by}; null: host, pid and a random suffix
     */
    public record Options(int workers, Duration pollInterval, Duration staleAfter, Duration heartbeatInterval,
                          Duration progressInterval, Duration shutdownGrace, Set<String> kinds, String runnerId) {
        public Options {
            if (workers < 1) throw new IllegalArgumentException("workers must be at least 1");
            requirePositive("pollInterval", pollInterval);
            requirePositive("staleAfter", staleAfter);
            if (heartbeatInterval != null) requirePositive("heartbeatInterval", heartbeatInterval);
            requirePositive("progressInterval", progressInterval);
            requirePositive("shutdownGrace", shutdownGrace);
            kinds = kinds == null ? null : Set.copyOf(kinds);
        }

        /** 2 workers, 200 ms polling, 30 s staleness, 250 ms progress writes, 10 s shutdown grace. */
        public static Options defaults() {
            return new Options(2, Duration.ofMillis(200), Duration.ofSeconds(30), null, Duration.ofMillis(250),
                    Duration.ofSeconds(10), null, null);
        }

        public Options withWorkers(int n) {
            return new Options(n, pollInterval, staleAfter, heartbeatInterval, progressInterval, shutdownGrace, kinds, runnerId);
        }

        public Options withPollInterval(Duration d) {
            return new Options(workers, d, staleAfter, heartbeatInterval, progressInterval, shutdownGrace, kinds, runnerId);
        }

        public Options withStaleAfter(Duration d) {
            return new Options(workers, pollInterval, d, heartbeatInterval, progressInterval, shutdownGrace, kinds, runnerId);
        }

        public Options withHeartbeatInterval(Duration d) {
            return new Options(workers, pollInterval, staleAfter, d, progressInterval, shutdownGrace, kinds, runnerId);
        }

        public Options withProgressInterval(Duration d) {
            return new Options(workers, pollInterval, staleAfter, heartbeatInterval, d, shutdownGrace, kinds, runnerId);
        }

        public Options withShutdownGrace(Duration d) {
            return new Options(workers, pollInterval, staleAfter, heartbeatInterval, progressInterval, d, kinds, runnerId);
        }

        public Options withKinds(Set<String> k) {
            return new Options(workers, pollInterval, staleAfter, heartbeatInterval, progressInterval, shutdownGrace, k, runnerId);
        }

        public Options withRunnerId(String id) {
            return new Options(workers, pollInterval, staleAfter, heartbeatInterval, progressInterval, shutdownGrace, kinds, id);
        }

        Duration effectiveHeartbeat() {
            if (heartbeatInterval != null) return heartbeatInterval;
            return Duration.ofMillis(Math.max(50, staleAfter.toMillis() / 3));
        }

        private static void requirePositive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private final JobService service;
    private final JobStore store;
    private final Options options;
    private final String id;
    private final List<Thread> workers = new ArrayList<>();
    private final Map<Long, Execution> active = new ConcurrentHashMap<>();
    private final ReentrantLock wakeLock = new ReentrantLock();
    private final Condition wakeCondition = wakeLock.newCondition();
    private boolean wakeRequested;
    private ScheduledExecutorService maintenance;
    private JobService.Subscription subscription;
    private boolean started;
    private boolean closed;
    private volatile boolean stopping;
    private volatile boolean halted;

    public JobRunner(JobService service, Options options) {
        this.service = service;
        this.store = service.store();
        this.options = options;
        this.id = options.runnerId() != null ? options.runnerId() : defaultId();
    }

    public JobRunner(JobService service) {
        this(service, Options.defaults());
    }

    /** The value this runner writes to {@code jobs.claimed_by}. */
    public String id() {
        return id;
    }

    public Options options() {
        return options;
    }

    /** Ids of the jobs this runner is executing right now. */
    public Set<Long> activeJobIds() {
        return new TreeSet<>(active.keySet());
    }

    /** Recovers stale claims once, then starts the workers and the heartbeat/recovery thread. */
    public synchronized JobRunner start() {
        if (started) throw new IllegalStateException("job runner " + id + " was already started");
        started = true;
        recoverStale();
        subscription = service.subscribe(job -> {
            if (job.status() == JobStatus.QUEUED && job.claimedBy() == null) wake();
        });
        maintenance = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "reelmark-jobs-maintenance"));
        long beat = options.effectiveHeartbeat().toMillis();
        maintenance.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        long recover = Math.max(100, options.staleAfter().toMillis() / 2);
        maintenance.scheduleWithFixedDelay(this::recoverStaleQuietly, recover, recover, TimeUnit.MILLISECONDS);
        for (int i = 0; i < options.workers(); i++) {
            Thread t = daemon(this::workLoop, "reelmark-jobs-worker-" + (i + 1));
            workers.add(t);
            t.start();
        }
        LOG.info("job runner {} started: {} worker(s), kinds {}", id, options.workers(), kinds());
        return this;
    }

    /**
     * Puts jobs whose claim went stale (their runner crashed or hung) back in the queue; returns how many claims
     * were freed. Runs on start and every {@code staleAfter / 2}.
     */
    public int recoverStale() {
        List<Job> recovered = store.recoverStale(options.staleAfter());
        for (Job job : recovered) {
            LOG.warn("job {} ({}) had a stale claim; it is {} again", job.id(), job.kind(), job.status().value());
            service.fire(job);
        }
        return recovered.size();
    }

    /** Wakes idle workers so they look for queued jobs now. */
    public void wake() {
        wakeLock.lock();
        try {
            wakeRequested = true;
            wakeCondition.signalAll();
        } finally {
            wakeLock.unlock();
        }
    }

    /**
     * Stops the workers. Handlers stop at their next checkpoint (or are interrupted after the shutdown grace) and
     * their jobs are queued again with state and progress kept.
     */
    @Override
    public void close() {
        List<Thread> toJoin;
        synchronized (this) {
            if (!started || closed) return;
            closed = true;
            stopping = true;
            toJoin = List.copyOf(workers);
        }
        wake();
        joinAll(toJoin, options.shutdownGrace());
        boolean stuck = toJoin.stream().anyMatch(Thread::isAlive);
        if (stuck) {
            LOG.warn("job runner {}: handlers did not reach a checkpoint within {}; interrupting", id, options.shutdownGrace());
            toJoin.forEach(Thread::interrupt);
            joinAll(toJoin, Duration.ofSeconds(5));
        }
        stopMaintenance();
        try {
            for (Job job : store.releaseAll(id)) {
                LOG.warn("job runner {}: released job {} on shutdown", id, job.id());
                service.fire(job);
            }
        } catch (RuntimeException e) {
            LOG.warn("job runner {}: could not release its jobs on shutdown (they recover when stale)", id, e);
        }
        if (subscription != null) subscription.close();
        LOG.info("job runner {} stopped", id);
    }

    /**
     * Simulates a crash, for tests: stops every thread without writing anything more to the database, leaving the
     * runner's jobs 'running' with a heartbeat that goes stale.
     */
    void halt() {
        List<Thread> toJoin;
        synchronized (this) {
            if (!started || closed) return;
            closed = true;
            halted = true;
            stopping = true;
            toJoin = List.copyOf(workers);
        }
        stopMaintenance();
        toJoin.forEach(Thread::interrupt);
        wake();
        joinAll(toJoin, Duration.ofSeconds(10));
        if (subscription != null) subscription.close();
    }

    // ---- workers ----

    private Set<String> kinds() {
        Set<String> kinds = service.kinds();
        if (options.kinds() != null) kinds.retainAll(options.kinds());
        return kinds;
    }

    private void workLoop() {
        while (!stopping) {
            Optional<Job> claimed;
            try {
                Set<String> kinds = kinds();
                claimed = store.hasClaimable(kinds) ? store.claim(id, kinds) : Optional.empty();
            } catch (RuntimeException e) {
                if (stopping) break;
                LOG.warn("job runner {}: claiming failed: {}", id, e.toString());
                idle();
                continue;
            }
            if (claimed.isPresent()) {
                service.fire(claimed.get());
                execute(claimed.get());
            } else {
                idle();
            }
        }
    }

    private void idle() {
        wakeLock.lock();
        try {
            if (!wakeRequested && !stopping) {
                wakeCondition.await(options.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
            wakeRequested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            wakeLock.unlock();
        }
        // An interrupt of an idle worker only matters when stopping; clear it otherwise.
        if (!stopping) Thread.interrupted();
    }

    private void execute(Job job) {
        JobHandler handler = service.handler(job.kind()).orElse(null);
        Execution ctx = new Execution(job);
        active.put(job.id(), ctx);
        Runnable outcome;
        try {
            if (handler == null) throw new IllegalStateException("no handler for job kind '" + job.kind() + "'");
            if (stopping) throw new JobInterruptedException(job.id(), JobInterruptedException.Reason.SHUTDOWN);
            handler.run(ctx);
            outcome = ctx.stopReason != null ? () -> stopped(ctx, ctx.stopReason) : () -> finish(ctx);
        } catch (JobInterruptedException e) {
            JobInterruptedException.Reason reason = ctx.stopReason != null ? ctx.stopReason : e.reason();
            outcome = () -> stopped(ctx, reason);
        } catch (Throwable t) {
            if (ctx.stopReason != null) {
                outcome = () -> stopped(ctx, ctx.stopReason);
            } else if (stopping) {
                LOG.info("job {} ({}) ended by shutdown with {}; it is queued again", job.id(), job.kind(), t.toString());
                outcome = () -> stopped(ctx, JobInterruptedException.Reason.SHUTDOWN);
            } else {
                outcome = () -> failed(ctx, t);
            }
        }
        // No longer ours from here on: no more heartbeats, so a failed final write is recovered when it goes stale.
        active.remove(job.id());
        if (halted) return;
        Thread.interrupted();
        outcome.run();
    }

    private void finish(Execution ctx) {
        if (halted) return;
        long total = ctx.total != null ? ctx.total : ctx.done;
        try {
            Optional<Job> done = store.complete(ctx.job.id(), id, total, ctx.currentItem, ctx.result);
            if (done.isPresent()) {
                service.fire(done.get());
            } else {
                // Cancelled meanwhile, or the claim was lost: the row says what happened; just let go of it.
                store.release(ctx.job.id(), id).ifPresent(service::fire);
            }
        } catch (RuntimeException e) {
            LOG.error("job {}: could not record completion (it is re-run when its claim goes stale)", ctx.job.id(), e);
        }
    }

    private void failed(Execution ctx, Throwable t) {
        String message = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getName() : t.getMessage();
        LOG.warn("job {} ({}) failed: {}", ctx.job.id(), ctx.job.kind(), message, t);
        try {
            Optional<Job> failed = store.fail(ctx.job.id(), id, message);
            if (failed.isPresent()) {
                service.fire(failed.get());
            } else {
                store.release(ctx.job.id(), id).ifPresent(service::fire);
            }
        } catch (RuntimeException e) {
            LOG.error("job {}: could not record failure", ctx.job.id(), e);
        }
    }

    private void stopped(Execution ctx, JobInterruptedException.Reason reason) {
        if (halted) return;
        LOG.debug("job {} stopped: {}", ctx.job.id(), reason);
        try {
            store.release(ctx.job.id(), id).ifPresent(service::fire);
        } catch (RuntimeException e) {
            LOG.error("job {}: could not release it (it recovers when its claim goes stale)", ctx.job.id(), e);
        }
    }

    // ---- maintenance ----

    private void heartbeat() {
        if (halted || active.isEmpty()) return;
        try {
            store.heartbeat(id, active.keySet());
        } catch (RuntimeException e) {
            LOG.warn("job runner {}: heartbeat failed: {}", id, e.toString());
        }
    }

    private void recoverStaleQuietly() {
        if (halted) return;
        try {
            recoverStale();
        } catch (RuntimeException e) {
            LOG.warn("job runner {}: stale-claim recovery failed: {}", id, e.toString());
        }
    }

    private void stopMaintenance() {
        if (maintenance == null) return;
        maintenance.shutdownNow();
        try {
            maintenance.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinAll(List<Thread> threads, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    // ---- the context handed to handlers ----

    private final class Execution implements JobContext {
        final Job job;
        private final JsonNode params;
        private JsonNode state;
        Long total;
        long done;
        String currentItem;
        JsonNode result;
        volatile JobInterruptedException.Reason stopReason;
        private long lastWrite = System.nanoTime();

        Execution(Job job) {
            this.job = job;
            this.params = job.params();
            this.state = job.state() == null ? NullNode.getInstance() : job.state();
            this.total = job.progressTotal();
            this.done = job.progressDone();
            this.currentItem = job.currentItem();
        }

        @Override
        public long jobId() {
            return job.id();
        }

        @Override
        public String kind() {
            return job.kind();
        }

        @Override
        public JsonNode params() {
            return params;
        }

        @Override
        public JsonNode state() {
            return state;
        }

        @Override
        public boolean resumed() {
            return job.state() != null;
        }

        @Override
        public int attempt() {
            return job.attempts();
        }

        @Override
        public long progressDone() {
            return done;
        }

        @Override
        public void total(long total) {
            if (total < 0) throw new IllegalArgumentException("total must not be negative: " + total);
            this.total = total;
            save(false);
        }

        @Override
        public void progress(long done, String currentItem) {
            if (done < 0) throw new IllegalArgumentException("done must not be negative: " + done);
            this.done = done;
            this.currentItem = currentItem;
            if (System.nanoTime() - lastWrite >= options.progressInterval().toNanos()) save(false);
        }

        @Override
        public void checkpoint(JsonNode state) {
            this.state = state == null ? NullNode.getInstance() : state;
            checkpoint(true);
        }

        @Override
        public void checkpoint() {
            checkpoint(false);
        }

        @Override
        public void result(JsonNode result) {
            this.result = result;
        }

        /** Saves, then throws when the job must stop. */
        private void checkpoint(boolean saveState) {
            if (stopReason != null) throw new JobInterruptedException(job.id(), stopReason);
            if (halted) throw stop(JobInterruptedException.Reason.SHUTDOWN);
            Optional<Job> saved = save(saveState);
            if (saved.isEmpty()) throw stop(JobInterruptedException.Reason.LOST);
            JobInterruptedException.Reason reason = switch (saved.get().status()) {
                case RUNNING -> stopping ? JobInterruptedException.Reason.SHUTDOWN : null;
                case PAUSED, QUEUED -> JobInterruptedException.Reason.PAUSED;
                case CANCELLED -> JobInterruptedException.Reason.CANCELLED;
                case COMPLETED, FAILED -> JobInterruptedException.Reason.LOST;
            };
            if (reason != null) throw stop(reason);
        }

        /**
         * Writes progress (and state) while the runner still owns the job; never throws for a stop, so that an item
         * finished between progress() and checkpoint() is not lost. Empty when the claim is gone.
         */
        private Optional<Job> save(boolean saveState) {
            if (halted) return Optional.empty();
            Optional<Job> saved = store.saveProgress(job.id(), id, total, done, currentItem, saveState, state);
            lastWrite = System.nanoTime();
            saved.ifPresent(service::fire);
            return saved;
        }

        private JobInterruptedException stop(JobInterruptedException.Reason reason) {
            stopReason = reason;
            return new JobInterruptedException(job.id(), reason);
        }
    }
}
