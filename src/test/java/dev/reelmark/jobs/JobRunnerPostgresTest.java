package dev.reelmark.jobs;

import dev.reelmark.db.Database;
import dev.reelmark.db.Vendor;
import dev.reelmark.testing.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.reelmark.jobs.JobTestSupport.RUN_ONCE;
import static dev.reelmark.jobs.JobTestSupport.awaitTerminal;
import static dev.reelmark.jobs.JobTestSupport.fastOptions;
import static org.assertj.core.api.Assertions.assertThat;

/** Several runners in separate pools (as separate processes would be) sharing one PostgreSQL queue. */
class JobRunnerPostgresTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#postgresOnly")
    void twoRunnersWithSeparatePoolsShareTheQueueAndRunEveryJobOnce(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            JobTestSupport.createTables(t.db());
            String base = t.pgBaseUrl();
            String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + t.schema();
            try (Database second = Database.open(url)) {
                JobService serviceA = new JobService(t.db()).register(new JobTestSupport.RunOnceHandler(t.db(), "A"));
                JobService serviceB = new JobService(second).register(new JobTestSupport.RunOnceHandler(second, "B"));
                try (var a = new JobRunner(serviceA, fastOptions().withRunnerId("A")).start();
                     var b = new JobRunner(serviceB, fastOptions().withRunnerId("B")).start()) {
                    List<Long> ids = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        JobService submitter = i % 2 == 0 ? serviceA : serviceB;
                        ids.add(submitter.submit(RUN_ONCE, JobTestSupport.itemsParams(0, 40)).id());
                    }
                    for (long id : ids) {
                        Job done = awaitTerminal(serviceA, id);
                        assertThat(done.status()).as("job %s: %s", id, done.error()).isEqualTo(JobStatus.COMPLETED);
                        assertThat(done.attempts()).isEqualTo(1);
                    }
                }
                Map<String, Long> byRunner = t.db().jdbi().withHandle(h -> h.createQuery(
                                "SELECT runner FROM job_test_runs").mapTo(String.class).list())
                        .stream().collect(Collectors.groupingBy(r -> r, Collectors.counting()));
                long runs = t.db().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM job_test_runs")
                        .mapTo(Long.class).one());
                long distinct = t.db().jdbi().withHandle(h -> h.createQuery("SELECT count(DISTINCT job_id) FROM job_test_runs")
                        .mapTo(Long.class).one());
                assertThat(runs).isEqualTo(40);
                assertThat(distinct).isEqualTo(40);
                assertThat(byRunner.keySet()).as("both runners did some of the work: %s", byRunner)
                        .containsExactlyInAnyOrder("A", "B");
                // The result says who ran it, and that matches the claim recorded in the run table.
                assertThat(serviceA.list(JobStatus.COMPLETED, RUN_ONCE, 100, null).total()).isEqualTo(40);
            }
        }
    }
}
