package dev.reelmark.metadata;

import dev.reelmark.db.Vendor;
import dev.reelmark.jobs.JobStatus;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The batch job checkpoints per entity: paused mid-way, it resumes where it stopped and reports the whole batch. */
class MetadataRegenerateJobTest {
    @TempDir
    static Path media;

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void pauseAndResumeContinueFromTheLastCheckpoint(Vendor vendor) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // A provenance source that holds the first scene until the test has paused the job.
        ProvenanceSource gate = (sceneId, segments) -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ProvenanceSource.unknown();
        };
        var options = MetadataService.Options.defaults(media).withAutoRegenerate(false).withParallelism(1).withRecordBatch(1)
                .withOutputRoot(media.resolve("metadata-" + vendor)).withProvenance(gate);
        try (var s = new MetadataTestServer(vendor, dir, media, options)) {
            long project = s.demo().projectId();
            long id = MetadataRegenerateJob.submit(s.jobs, project, false).id();
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            s.jobs.pause(id);
            release.countDown();
            // paused once the runner has checkpointed and let go of the job
            var paused = s.jobs.await(id, j -> (j.status() == JobStatus.PAUSED && j.claimedBy() == null) || j.isTerminal(),
                    Duration.ofSeconds(30));
            assertThat(paused.status()).isEqualTo(JobStatus.PAUSED);
            int next = paused.state().get("next").asInt();
            assertThat(next).isBetween(1, 8);
            assertThat(paused.state().get("regenerated").asInt()).isEqualTo(next);

            s.jobs.resume(id);
            var done = s.awaitJob(id);
            assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.result().get("total").asInt()).isEqualTo(9);
            assertThat(done.result().get("regenerated").asInt()).isEqualTo(9);
            assertThat(done.result().get("failed").asInt()).isZero();
            assertThat(s.metadata.staleReport(project).staleCount()).isZero();
        }
    }
}
