package dev.reelmark.ledger;

import dev.reelmark.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The picocli-free start-up path of {@code reelmark ledger set|get|fail|apply}, and its fall-back to picocli. */
class LedgerQuickArgsTest {
    @TempDir
    Path dir;

    record Run(Integer exit, String out, String err) {
    }

    private Run quick(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Integer exit = LedgerCommand.QuickArgs.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Run viaMain(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = LedgerCommand.runQuick(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void plainSetGetFailAndApplyRunWithoutPicocli() throws Exception {
        String file = dir.resolve("l.json").toString();
        Run set = quick("set", "a", "b", "--prompt", "p", "--status=ready", "--local-path", "generated/a.mp4", "--file", file);
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(Json.parse(set.out()).get("localPath").asText()).isEqualTo("generated/a.mp4");
        assertThat(Json.parse(set.out()).get("status").asText()).isEqualTo("ready");
        Run partial = quick("set", "a", "b", "--clear-local-path", "--status", "generating", "--file", file);
        assertThat(partial.exit()).as(partial.err()).isZero();
        assertThat(Json.parse(partial.out()).get("localPath").isNull()).isTrue();
        assertThat(Json.parse(partial.out()).get("prompt").asText()).isEqualTo("p");
        Run fail = quick("fail", "a", "b", "--error", "-1 frames", "--file", file);
        assertThat(fail.exit()).as(fail.err()).isZero();
        assertThat(Json.parse(fail.out()).get("error").asText()).isEqualTo("-1 frames");
        Run get = quick("get", "a", "b", "--file", file);
        assertThat(Json.parse(get.out()).get("status").asText()).isEqualTo("failed");
        Path lines = dir.resolve("u.jsonl");
        Files.writeString(lines, "{\"spotId\": \"a\", \"eraId\": \"b\", \"status\": \"ready\"}\n");
        Run apply = quick("apply", lines.toString(), "--file", file);
        assertThat(apply.exit()).as(apply.err()).isZero();
        assertThat(apply.out()).contains("applied 1 update");
        // bad input: one line, exit 2, the same message picocli's path gives
        Run bad = quick("set", "a", "b", "--status", "7", "--file", file);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).startsWith("reelmark: --status: must be one of").doesNotContain("\n");
        Run missing = quick("get", "x", "y", "--file", file);
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).startsWith("reelmark: ");
    }

    @Test
    void anythingElseIsLeftToPicocli() {
        String file = dir.resolve("l.json").toString();
        assertThat(quick("set", "a", "b", "--colour", "red", "--file", file).exit()).isNull();
        assertThat(quick("set", "a").exit()).isNull();
        assertThat(quick("set", "a", "b", "--status").exit()).isNull();
        assertThat(quick("set", "a", "b", "--status", "ready", "--status", "failed").exit()).isNull();
        assertThat(quick("set", "a", "b", "--prompt", "--status").exit()).isNull();
        assertThat(quick("set", "a", "b", "--replace=true").exit()).isNull();
        assertThat(quick("get", "a", "b", "c").exit()).isNull();
        assertThat(quick("fail", "a", "b").exit()).isNull();
        assertThat(quick("list").exit()).isNull();
        assertThat(quick("set", "--help").exit()).isNull();
        assertThat(quick("get", "a", "--", "b").exit()).isNull();
        // and picocli answers those as before: a usage error with exit 2
        Run unknown = viaMain("set", "a", "b", "--colour", "red", "--file", file);
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Usage: reelmark ledger set");
        Run noError = viaMain("fail", "a", "b", "--file", file);
        assertThat(noError.exit()).isEqualTo(2);
        assertThat(noError.err()).contains("--error");
    }
}
