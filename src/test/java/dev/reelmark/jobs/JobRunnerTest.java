package dev.reelmark.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.errors.DomainException;
import dev.reelmark.http.ApiError;
import dev.reelmark.json.Json;
import dev.reelmark.testing.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static dev.reelmark.jobs.JobTestSupport.FAIL;
import static dev.reelmark.jobs.JobTestSupport.ITEMS;
import static dev.reelmark.jobs.JobTestSupport.await;
import static dev.reelmark.jobs.JobTestSupport.awaitTerminal;
import static dev.reelmark.jobs.JobTestSupport.fastOptions;
import static dev.reelmark.jobs.JobTestSupport.items;
import static dev.reelmark.jobs.JobTestSupport.itemsParams;
import static dev.reelmark.jobs.JobTestSupport.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobRunnerTest {
    @TempDir
    Path dir;

    private static JobService service(TestDatabases.TestDb t) {
        JobTestSupport.createTables(t.db());
        return new JobService(t.db())
                .register(new JobTestSupport.ItemsHandler(t.db()))
                .register(new JobTestSupport.FailingHandler());
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void completesWithProgressAndResultAndFailsWithTheError(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            JobService service = service(t);
            List<Job> events = Collections.synchronizedList(new ArrayList<>());
            service.subscribe(events::add);
            try (var runner = new JobRunner(service, fastOptions()).start()) {
                Job submitted = service.submit(ITEMS, itemsParams(5, 5));
                assertThat(submitted.status()).isEqualTo(JobStatus.QUEUED);
                assertThat(submitted.params()).isEqualTo(itemsParams(5, 5));
                assertThat(submitted.attempts()).isZero();
                assertThat(submitted.createdAt()).isNotNull();

                Job done = awaitTerminal(service, submitted.id());
                assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(done.progressTotal()).isEqualTo(5L);
                assertThat(done.progressDone()).isEqualTo(5L);
                assertThat(done.result()).isEqualTo(Json.object().put("processed", 5).put("resumed", false));
                assertThat(done.state().path("next").asInt()).isEqualTo(5);
                assertThat(done.error()).isNull();
                assertThat(done.claimedBy()).isNull();
                assertThat(done.attempts()).isEqualTo(1);
                assertThat(done.startedAt()).isNotNull();
                assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
                assertThat(done.updatedAt()).isAfter(done.createdAt());
                assertThat(items(t.db(), done.id())).isEqualTo(range(0, 5));

                // Listeners saw the life cycle in this process.
                assertThat(events).extracting(Job::status)
                        .contains(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.COMPLETED);
                assertThat(events.stream().filter(j -> j.status() == JobStatus.RUNNING).map(Job::claimedBy))
                        .containsOnly(runner.id());

                Job failing = service.submit(FAIL, null);
                Job failed = awaitTerminal(service, failing.id());
                assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
                assertThat(failed.error()).isEqualTo("boom: item 2 is corrupt");
                assertThat(failed.progressDone()).isEqualTo(2);
                assertThat(failed.progressTotal()).isEqualTo(5L);
                assertThat(failed.finishedAt()).isNotNull();
                assertThat(failed.claimedBy()).isNull();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void submitValidatesKindAndParams(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            JobService service = service(t);
            assertThatThrownBy(() -> service.submit("no.such.kind", null))
                    .isInstanceOfSatisfying(DomainException.class, e -> {
                        assertThat(ApiError.statusOf(e)).isEqualTo(400);
                        assertThat(e.field()).isEqualTo("kind");
                        assertThat(e.getMessage()).contains("no.such.kind").contains(ITEMS);
                    });
            assertThatThrownBy(() -> service.submit(ITEMS, Json.MAPPER.createArrayNode()))
                    .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.field()).isEqualTo("params"));
            assertThatThrownBy(() -> service.submit(ITEMS, Json.object().put("items", "many")))
                    .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.field()).isEqualTo("params.items"));
            assertThatThrownBy(() -> service.register(new JobTestSupport.ItemsHandler(t.db())))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(service.list(null, null, 10, null).total()).isZero();
            assertThat(service.find(12345)).isEmpty();
            assertThatThrownBy(() -> service.get(12345))
                    .isInstanceOfSatisfying(DomainException.class, e -> assertThat(ApiError.statusOf(e)).isEqualTo(404));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void listsWithFiltersAndPages(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            JobService service = service(t);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) ids.add(service.submit(ITEMS, itemsParams(1, 0)).id());
            ids.add(service.submit(FAIL, null).id());
            service.pause(ids.get(1));

            JobPage first = service.list(null, null, 4, null);
            assertThat(first.items()).extracting(Job::id).isEqualTo(ids.subList(0, 4));
            assertThat(first.total()).isEqualTo(6);
            assertThat(first.nextAfter()).isEqualTo(ids.get(3));
            JobPage second = service.list(null, null, 4, first.nextAfter());
            assertThat(second.items()).extracting(Job::id).isEqualTo(ids.subList(4, 6));
            assertThat(second.nextAfter()).isNull();

            assertThat(service.list(JobStatus.PAUSED, null, 10, null).items()).extracting(Job::id).containsExactly(ids.get(1));
            assertThat(service.list(JobStatus.QUEUED, ITEMS, 10, null).total()).isEqualTo(4);
            assertThat(service.list(null, FAIL, 10, null).items()).extracting(Job::id).containsExactly(ids.get(5));
            assertThatThrownBy(() -> service.list(null, null, 0, null)).isInstanceOf(DomainException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aKindThisRunnerDoesNotRunStaysQueued(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            JobService service = service(t);
            try (var runner = new JobRunner(service, fastOptions().withKinds(Set.of(ITEMS))).start()) {
                Job other = service.submit(FAIL, null);
                Job mine = service.submit(ITEMS, itemsParams(2, 0));
                assertThat(awaitTerminal(service, mine.id()).status()).isEqualTo(JobStatus.COMPLETED);
                Thread.sleep(300);
                Job still = service.get(other.id());
                assertThat(still.status()).isEqualTo(JobStatus.QUEUED);
                assertThat(still.claimedBy()).isNull();
                assertThat(still.attempts()).isZero();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void pauseStopsARunningJobAndResumeFinishesEveryItemExactlyOnce(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            JobService service = service(t);
            try (var runner = new JobRunner(service, fastOptions()).start()) {
                long id = service.submit(ITEMS, itemsParams(40, 15)).id();
                await(service, id, j -> j.status() == JobStatus.RUNNING && j.progressDone() >= 5);

                Job paused = service.pause(id);
                assertThat(paused.status()).isEqualTo(JobStatus.PAUSED);
                // The worker finishes the item in hand, saves its checkpoint and lets go.
                Job released = await(service, id, j -> j.claimedBy() == null);
                assertThat(released.status()).isEqualTo(JobStatus.PAUSED);
                assertThat(runner.activeJobIds()).doesNotContain(id);
                long doneAtPause = released.progressDone();
                int next = released.state().path("next").asInt();
                assertThat(doneAtPause).isBetween(5L, 39L);
                assertThat(items(t.db(), id)).isEqualTo(range(0, next));
                assertThat((long) next).isEqualTo(doneAtPause);

                Thread.sleep(400);
                Job later = service.get(id);
                assertThat(later.status()).isEqualTo(JobStatus.PAUSED);
                assertThat(later.progressDone()).isEqualTo(doneAtPause);
                assertThat(items(t.db(), id)).hasSize(next);

                // Illegal transitions are conflicts.
                assertThatThrownBy(() -> service.pause(id)).isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(ApiError.statusOf(e)).isEqualTo(409));

                Job resumed = service.resume(id);
                assertThat(resumed.status()).isEqualTo(JobStatus.QUEUED);
                Job done = awaitTerminal(service, id);
                assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(done.progressDone()).isEqualTo(40);
                assertThat(done.attempts()).isEqualTo(2);
                assertThat(done.result().path("resumed").asBoolean()).isTrue();
                assertThat(items(t.db(), id)).as("every item exactly once").isEqualTo(range(0, 40));
                assertThat(items(t.db(), id, 2)).isEqualTo(range(next, 40));

                assertThatThrownBy(() -> service.resume(id)).isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(ApiError.statusOf(e)).isEqualTo(409);
                    assertThat(e.getMessage()).contains("completed");
                });
                assertThatThrownBy(() -> service.pause(id)).isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(ApiError.statusOf(e)).isEqualTo(409));
                assertThatThrownBy(() -> service.cancel(id)).isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(ApiError.statusOf(e)).isEqualTo(409));
                assertThatThrownBy(() -> service.pause(99999)).isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(ApiError.statusOf(e)).isEqualTo(404));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aQueuedJobCanBePausedAndIsNotClaimedUntilResumed(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            JobService service = service(t);
            long id = service.submit(ITEMS, itemsParams(3, 0)).id();
            assertThatThrownBy(() -> service.resume(id)).isInstanceOfSatisfying(DomainException.class,
                    e -> assertThat(ApiError.statusOf(e)).isEqualTo(409));
            assertThat(service.pause(id).status()).isEqualTo(JobStatus.PAUSED);
            try (var runner = new JobRunner(service, fastOptions()).start()) {
                Thread.sleep(300);
                assertThat(service.get(id).status()).isEqualTo(JobStatus.PAUSED);
                assertThat(service.get(id).attempts()).isZero();
                service.resume(id);
                Job done = awaitTerminal(service, id);
                assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(done.attempts()).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void cancelStopsTheHandler(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            JobService service = service(t);
            try (var runner = new JobRunner(service, fastOptions()).start()) {
                long id = service.submit(ITEMS, itemsParams(200, 10)).id();
                await(service, id, j -> j.progressDone() >= 3);
                Job cancelled = service.cancel(id);
                assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
                assertThat(cancelled.finishedAt()).isNotNull();

                Job released = await(service, id, j -> j.claimedBy() == null);
                int processed = items(t.db(), id).size();
                Thread.sleep(300);
                assertThat(items(t.db(), id)).hasSize(processed);
                assertThat(processed).isLessThan(200);
                Job after = service.get(id);
                assertThat(after.status()).isEqualTo(JobStatus.CANCELLED);
                assertThat(after.progressDone()).isEqualTo(released.progressDone());
                assertThat(after.result()).isNull();
                assertThatThrownBy(() -> service.resume(id)).isInstanceOf(DomainException.class);

                // A queued job is cancelled without ever running.
                runner.close();
                long queued = service.submit(ITEMS, itemsParams(3, 0)).id();
                assertThat(service.cancel(queued).status()).isEqualTo(JobStatus.CANCELLED);
                assertThat(service.get(queued).attempts()).isZero();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aNewRunnerRecoversAJobWhoseRunnerCrashedAndContinuesFromTheCheckpoint(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            JobService service = service(t);
            long id;
            int next;
            var a = new JobRunner(service, fastOptions().withRunnerId("runner-a")).start();
            try {
                id = service.submit(ITEMS, itemsParams(30, 20)).id();
                await(service, id, j -> j.progressDone() >= 5);
            } finally {
                a.halt();
            }
            // The crash left the row as it was: running, owned by A, heartbeat going stale.
            Job crashed = service.get(id);
            assertThat(crashed.status()).isEqualTo(JobStatus.RUNNING);
            assertThat(crashed.claimedBy()).isEqualTo("runner-a");
            next = crashed.state().path("next").asInt();
            assertThat(next).isBetween(5, 29);
            // A may have recorded the item it was working on without reaching its checkpoint.
            assertThat(items(t.db(), id, 1)).isIn(range(0, next), range(0, next + 1));

            try (var b = new JobRunner(service, fastOptions().withRunnerId("runner-b")).start()) {
                Job done = awaitTerminal(service, id);
                assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(done.attempts()).isEqualTo(2);
                assertThat(done.progressDone()).isEqualTo(30);
                assertThat(done.result().path("resumed").asBoolean()).isTrue();
                assertThat(items(t.db(), id, 2)).as("B started at A's checkpoint").isEqualTo(range(next, 30));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void closingARunnerRequeuesItsRunningJobsInsteadOfFailingThem(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            JobService service = service(t);
            long id;
            try (var a = new JobRunner(service, fastOptions()).start()) {
                id = service.submit(ITEMS, itemsParams(30, 15)).id();
                await(service, id, j -> j.progressDone() >= 3);
            }
            Job requeued = service.get(id);
            assertThat(requeued.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(requeued.claimedBy()).isNull();
            assertThat(requeued.error()).isNull();
            int next = requeued.state().path("next").asInt();
            assertThat(next).isBetween(3, 29);

            try (var b = new JobRunner(service, fastOptions()).start()) {
                assertThat(awaitTerminal(service, id).status()).isEqualTo(JobStatus.COMPLETED);
            }
            assertThat(items(t.db(), id)).as("every item exactly once").isEqualTo(range(0, 30));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void jobsUpdatedAtMovesOnEveryChange(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            JobService service = service(t);
            Job job = service.submit(ITEMS, itemsParams(1, 0));
            Job paused = service.pause(job.id());
            Job resumed = service.resume(job.id());
            assertThat(paused.updatedAt()).isAfter(job.updatedAt());
            assertThat(resumed.updatedAt()).isAfter(paused.updatedAt());
            JsonNode stored = Json.MAPPER.valueToTree(resumed);
            assertThat(stored.has("progress_done")).isTrue();
            assertThat(stored.get("status").asText()).isEqualTo("queued");
            JsonNode roundTrip = Json.MAPPER.valueToTree(Json.MAPPER.treeToValue(stored, Job.class));
            assertThat(roundTrip).isEqualTo(stored);
            assertThat(service.await(job.id(), j -> false, Duration.ofMillis(50)).id()).isEqualTo(job.id());
        }
    }
}
