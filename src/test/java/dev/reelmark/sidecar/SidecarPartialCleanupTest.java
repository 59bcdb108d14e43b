package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.JobContext;
import dev.reelmark.jobs.JobInterruptedException;
import dev.reelmark.media.MediaRoots;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A sidecar export's {@code .job-<id>.partial} folder: kept for a pause (the export resumes from it), removed when
 * the export is cancelled or fails, and swept at startup when its job will never run again.
 */
class SidecarPartialCleanupTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void cancelledAndFailedExportsLeaveNoPartialFolderAndStartupSweepsLeftovers(Vendor vendor) throws Exception {
        // a leftover of a job this database has never heard of (a process that died, a wiped queue)
        Path exports = dir.resolve("data/exports/sidecars");
        Files.createDirectories(exports.resolve(".job-424242.partial/nuke_xml"));
        Files.writeString(exports.resolve(".job-424242.partial/nuke_xml/a.xml"), "<clip/>");
        try (var h = new ApiHarness(vendor, dir)) {
            assertThat(exports.resolve(".job-424242.partial")).doesNotExist();
            long project = DemoData.build(h);
            long template = h.app.sidecars().list().stream().filter(t -> t.name().equals("Nuke XML")).findFirst().orElseThrow().id();
            var job = new SidecarExportJob(h.app.sidecars(), h.app.catalog(),
                    new SidecarExporter(h.app.sidecars().facts(), MediaRoots.of(DemoData.dataDir(h))), DemoData.dataDir(h));
            ObjectNode params = Json.object().put("project_id", project);
            params.putArray("template_ids").add(template);

            // paused after three videos: the folder stays for the resume
            assertThatThrownBy(() -> job.run(new StopsAt(101, params, 3, () -> new JobInterruptedException(101, JobInterruptedException.Reason.PAUSED))))
                    .isInstanceOf(JobInterruptedException.class);
            assertThat(exports.resolve(".job-101.partial/nuke_xml")).isDirectory();
            // cancelled: gone
            assertThatThrownBy(() -> job.run(new StopsAt(102, params, 3, () -> new JobInterruptedException(102, JobInterruptedException.Reason.CANCELLED))))
                    .isInstanceOf(JobInterruptedException.class);
            assertThat(exports.resolve(".job-102.partial")).doesNotExist();
            // failed (e.g. the disk filled up): gone
            assertThatThrownBy(() -> job.run(new StopsAt(103, params, 3, () -> new IllegalStateException("No space left on device"))))
                    .hasMessageContaining("No space left");
            assertThat(exports.resolve(".job-103.partial")).doesNotExist();
            // the paused one is swept once its job is known to be over, and not before
            job.removeLeftovers(id -> false);
            assertThat(exports.resolve(".job-101.partial")).isDirectory();
            job.removeLeftovers(id -> id == 101);
            assertThat(exports.resolve(".job-101.partial")).doesNotExist();
            try (var list = Files.list(exports)) {
                assertThat(list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".partial"))).isEmpty();
            }
        }
    }

    /** A job context whose progress report stops the export after {@code stopAt} videos with the given exception. */
    record StopsAt(long jobId, ObjectNode params, int stopAt, Supplier<RuntimeException> stop) implements JobContext {
        @Override
        public String kind() {
            return SidecarExportJob.KIND;
        }

        @Override
        public JsonNode state() {
            return Json.object();
        }

        @Override
        public boolean resumed() {
            return false;
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public long progressDone() {
            return 0;
        }

        @Override
        public void total(long total) {
        }

        @Override
        public void progress(long done, String currentItem) {
            if (done >= stopAt) throw stop.get();
        }

        @Override
        public void checkpoint(JsonNode state) {
        }

        @Override
        public void checkpoint() {
        }

        @Override
        public void result(JsonNode result) {
        }
    }
}
