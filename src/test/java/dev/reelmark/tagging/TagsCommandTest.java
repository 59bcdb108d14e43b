package dev.reelmark.tagging;

import dev.reelmark.app.AppConfig;
import dev.reelmark.app.Reelmark;
import dev.reelmark.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code reelmark tags ...} as a user runs it: a separate JVM, real files, exit codes and output. */
class TagsCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Run reelmark(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void planWriteHistoryAndRollbackFromTheCommandLine() throws Exception {
        Path data = dir.resolve("data");
        Path clip;
        try (Reelmark app = Reelmark.open(AppConfig.defaults(data).withJobWorkers(0))) {
            TagFixtures f = new TagFixtures(app.catalog(), data, "cli");
            clip = f.clip("c/one.mkv", TagFixtures.small().withTag("comment", "People: Old"));
            f.segment(f.scene(f.character("Nia")), "c/one.mkv");
        }
        String d = data.toString();

        Run plan = reelmark("tags", "plan", "--data", d);
        assertThat(plan.exit()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("safe", "+ Nia", "1 files: 1 safe");

        Run dry = reelmark("tags", "write", "--all", "--dry-run", "--data", d);
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("nothing was written");
        assertThat(TagFixtures.ffprobeComment(clip)).isEqualTo("People: Old");

        Run write = reelmark("tags", "write", "--all", "--data", d);
        assertThat(write.exit()).as(write.out() + write.err()).isZero();
        assertThat(write.out()).contains("completed", "success");
        assertThat(TagFixtures.ffprobeComment(clip)).isEqualTo("People: Old, Nia");
        assertThat(TagFixtures.exiftoolComment(clip)).isEqualTo("People: Old, Nia");

        Run history = reelmark("tags", "history", "--person", "nia", "--data", d);
        assertThat(history.out()).contains("write", "completed", "1 operation(s)");

        // the dry run was an operation of its own (a job, operation 1), listed only when asked for
        assertThat(reelmark("tags", "history", "--data", d).out()).contains("1 operation(s)").doesNotContain("dry_run");
        Run dryRollback = reelmark("tags", "rollback", "1", "--data", d);
        assertThat(dryRollback.exit()).as("a dry run has nothing to roll back: a conflict").isEqualTo(dev.reelmark.cli.Cli.CONFLICT);
        assertThat(dryRollback.err()).contains("only write operations");

        Run rollback = reelmark("tags", "rollback", "2", "--data", d);
        assertThat(rollback.exit()).as(rollback.out() + rollback.err()).isZero();
        assertThat(TagFixtures.ffprobeComment(clip)).isEqualTo("People: Old");

        Run again = reelmark("tags", "rollback", "2", "--data", d);
        assertThat(again.exit()).as("rolling back twice is a conflict").isEqualTo(dev.reelmark.cli.Cli.CONFLICT);
        assertThat(again.err()).contains("rolled_back");
        Run bad = reelmark("tags", "write", "--data", d);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("file_hashes");
    }
}
