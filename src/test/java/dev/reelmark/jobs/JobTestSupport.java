package dev.reelmark.jobs;

import dev.reelmark.errors.InvalidInput;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Database;
import dev.reelmark.json.Json;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Test-only handlers and helpers. Handlers record every item they process in a table, so tests can count. */
final class JobTestSupport {
    static final String ITEMS = "test.items";
    static final String FAIL = "test.fail";
    static final String RUN_ONCE = "test.run_once";
    static final Duration WAIT = Duration.ofSeconds(20);

    private JobTestSupport() {
    }

    static void createTables(Database db) {
        db.jdbi().useHandle(h -> {
            h.execute("CREATE TABLE job_test_items (job_id BIGINT NOT NULL, item INTEGER NOT NULL, attempt INTEGER NOT NULL,"
                    + " UNIQUE (job_id, item, attempt))");
            h.execute("CREATE TABLE job_test_runs (job_id BIGINT NOT NULL UNIQUE, runner TEXT NOT NULL)");
        });
    }

    /** Short intervals so the whole suite stays fast. */
    static JobRunner.Options fastOptions() {
        return JobRunner.Options.defaults()
                .withPollInterval(Duration.ofMillis(50))
                .withStaleAfter(Duration.ofSeconds(1))
                .withProgressInterval(Duration.ofMillis(50))
                .withShutdownGrace(Duration.ofSeconds(3));
    }

    static JsonNode itemsParams(int items, int sleepMs) {
        return Json.object().put("items", items).put("sleep_ms", sleepMs);
    }

    /**
     * Processes items {@code state.next .. params.items - 1}: sleeps, records (job, item, attempt), reports progress
     * and checkpoints {@code {next: i + 1}} after each one.
     */
    static final class ItemsHandler implements JobHandler {
        private final Database db;

        ItemsHandler(Database db) {
            this.db = db;
        }

        @Override
        public String kind() {
            return ITEMS;
        }

        @Override
        public void validate(JsonNode params) {
            if (!params.path("items").canConvertToInt() || params.path("items").asInt() < 0) {
                throw InvalidInput.field("params.items", "must be a non-negative integer");
            }
        }

        @Override
        public void run(JobContext ctx) throws Exception {
            int items = ctx.params().path("items").asInt();
            int sleep = ctx.params().path("sleep_ms").asInt(0);
            int next = ctx.state().path("next").asInt(0);
            ctx.total(items);
            for (int i = next; i < items; i++) {
                Thread.sleep(sleep);
                int item = i;
                db.jdbi().useHandle(h -> h.execute(
                        "INSERT INTO job_test_items (job_id, item, attempt) VALUES (?, ?, ?)", ctx.jobId(), item, ctx.attempt()));
                ctx.progress(i + 1, "item-" + i);
                ctx.checkpoint(Json.object().put("next", i + 1));
            }
            ctx.result(Json.object().put("processed", items).put("resumed", ctx.resumed()));
        }
    }

    /** Processes two items, then fails. */
    static final class FailingHandler implements JobHandler {
        @Override
        public String kind() {
            return FAIL;
        }

        @Override
        public void run(JobContext ctx) {
            ctx.total(5);
            ctx.progress(1, "item-0");
            ctx.checkpoint(Json.object().put("next", 1));
            ctx.progress(2, "item-1");
            ctx.checkpoint(Json.object().put("next", 2));
            throw new IllegalStateException("boom: item 2 is corrupt");
        }
    }

    /** Records which runner ran the job; the unique job_id makes a second run fail loudly. */
    static final class RunOnceHandler implements JobHandler {
        private final Database db;
        private final String label;

        RunOnceHandler(Database db, String label) {
            this.db = db;
            this.label = label;
        }

        @Override
        public String kind() {
            return RUN_ONCE;
        }

        @Override
        public void run(JobContext ctx) throws Exception {
            Thread.sleep(ctx.params().path("sleep_ms").asInt(0));
            db.jdbi().useHandle(h -> h.execute("INSERT INTO job_test_runs (job_id, runner) VALUES (?, ?)", ctx.jobId(), label));
            ctx.result(Json.object().put("runner", label));
        }
    }

    static Job await(JobService service, long id, Predicate<Job> condition) throws InterruptedException {
        Job job = service.await(id, condition, WAIT);
        assertThat(condition.test(job)).as("job %s reached the awaited state; last seen %s", id, job).isTrue();
        return job;
    }

    static Job awaitTerminal(JobService service, long id) throws InterruptedException {
        return await(service, id, Job::isTerminal);
    }

    static List<Integer> items(Database db, long jobId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT item FROM job_test_items WHERE job_id = :id ORDER BY item, attempt")
                .bind("id", jobId).mapTo(Integer.class).list());
    }

    static List<Integer> items(Database db, long jobId, int attempt) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT item FROM job_test_items WHERE job_id = :id AND attempt = :a ORDER BY item")
                .bind("id", jobId).bind("a", attempt).mapTo(Integer.class).list());
    }

    static List<Integer> range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).boxed().toList();
    }
}
