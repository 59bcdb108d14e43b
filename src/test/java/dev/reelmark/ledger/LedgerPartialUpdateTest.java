package dev.reelmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Partial updates ({@code ledger set}, PATCH) and batches ({@code ledger apply}) keep what they do not change. */
class LedgerPartialUpdateTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        JsonNode json() {
            return Json.parse(out);
        }
    }

    private Run ledger(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = LedgerCommand.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path file() {
        return dir.resolve("data/generated-videos.json");
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    /** Adds a field by hand, as a person editing the file would. */
    private void addHandField(int index, String name, String value) throws Exception {
        ArrayNode all = (ArrayNode) Json.MAPPER.readTree(file().toFile());
        ((ObjectNode) all.get(index)).put(name, value);
        Files.writeString(file(), Json.PRETTY.writeValueAsString(all));
    }

    @Test
    void setChangesOnlyTheGivenFieldsAndReplaceSetsTheWholeEntry() throws Exception {
        Run add = ledger("set", "harbor", "1920s", "--prompt", "A harbor at dawn", "--local-path", "generated/h.mp4", "--data", data());
        assertThat(add.exit()).as(add.err()).isZero();
        String created = add.json().get("createdAt").asText();
        addHandField(0, "seed", "1234");

        Run ready = ledger("set", "harbor", "1920s", "--status", "ready", "--data", data());
        assertThat(ready.exit()).as(ready.err()).isZero();
        JsonNode e = Json.MAPPER.readTree(file().toFile()).get(0);
        assertThat(e.get("status").asText()).isEqualTo("ready");
        assertThat(e.get("prompt").asText()).isEqualTo("A harbor at dawn");
        assertThat(e.get("localPath").asText()).isEqualTo("generated/h.mp4");
        assertThat(e.get("createdAt").asText()).isEqualTo(created);
        assertThat(e.get("completedAt").isNull()).isFalse();
        assertThat(e.get("seed").asText()).as("a hand-added field").isEqualTo("1234");
        String completed = e.get("completedAt").asText();

        // Staying ready keeps completedAt; failing sets the error; leaving failed clears it.
        assertThat(ledger("set", "harbor", "1920s", "--local-path", "generated/h2.mp4", "--data", data()).json()
                .get("completedAt").asText()).isEqualTo(completed);
        Run failed = ledger("set", "harbor", "1920s", "--status", "failed", "--error", "OOM", "--data", data());
        assertThat(failed.json().get("error").asText()).isEqualTo("OOM");
        assertThat(failed.json().get("localPath").asText()).isEqualTo("generated/h2.mp4");
        Run pending = ledger("set", "harbor", "1920s", "--status", "pending", "--clear-local-path", "--data", data());
        assertThat(pending.json().get("error").isNull()).isTrue();
        assertThat(pending.json().get("localPath").isNull()).isTrue();
        assertThat(pending.json().get("completedAt").isNull()).isTrue();
        assertThat(pending.json().get("prompt").asText()).isEqualTo("A harbor at dawn");

        // An error on an entry that stays ready, and a new entry without a prompt, are refused and write nothing.
        ledger("set", "harbor", "1920s", "--status", "ready", "--data", data());
        byte[] before = Files.readAllBytes(file());
        Run badError = ledger("set", "harbor", "1920s", "--error", "x", "--data", data());
        assertThat(badError.exit()).isEqualTo(2);
        assertThat(badError.err()).contains("error").contains("only a failed entry");
        Run noPrompt = ledger("set", "new", "one", "--status", "ready", "--data", data());
        assertThat(noPrompt.exit()).isEqualTo(2);
        assertThat(noPrompt.err()).contains("needs a prompt");
        assertThat(ledger("set", "harbor", "1920s", "--data", data()).exit()).as("nothing to change").isEqualTo(2);
        assertThat(Files.readAllBytes(file())).isEqualTo(before);

        // Several key pairs in one call; --replace is the whole-entry write (unset fields cleared, createdAt kept).
        ledger("set", "harbor", "1980s", "--prompt", "Neon", "--data", data());
        Run both = ledger("set", "harbor", "1920s", "harbor", "1980s", "--status", "generating", "--data", data());
        assertThat(both.exit()).as(both.err()).isZero();
        assertThat(both.out()).contains("applied 2 updates").contains("2 updated");
        Run replaced = ledger("set", "harbor", "1920s", "--replace", "--prompt", "Rewritten", "--data", data());
        assertThat(replaced.json().get("status").asText()).isEqualTo("pending");
        assertThat(replaced.json().get("localPath").isNull()).isTrue();
        assertThat(replaced.json().get("createdAt").asText()).isEqualTo(created);
        assertThat(ledger("set", "harbor", "1980s", "--replace", "--status", "ready", "--data", data()).exit())
                .as("--replace needs the prompt").isEqualTo(2);
        assertThat(Json.MAPPER.readTree(file().toFile()).get(1).get("status").asText()).isEqualTo("generating");
    }

    @Test
    void aBatchWithBadLinesChangesNothingAndNamesEveryBadLine() throws Exception {
        ledger("set", "a", "1", "--prompt", "p", "--data", data());
        byte[] before = Files.readAllBytes(file());
        Path batch = dir.resolve("batch.jsonl");
        Files.writeString(batch, """
                {"spotId": "a", "eraId": "1", "status": "ready"}
                {"spotId": "b", "eraId": "1", "prompt": "q", "status": "done"}

                {"spotId": "c", "eraId": "1", "prompt": "q", "createdAt": "2020-01-01T00:00:00Z"}
                {"spotId": "d", "eraId": "1", "prompt": "q"
                {"spotId": "e/x", "eraId": "1", "prompt": "q"}
                {"spotId": "f", "eraId": "1", "prompt": "q"}
                """);
        Run r = ledger("apply", batch.toString(), "--data", data());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("4 bad updates, nothing was written")
                .contains("line 2: status: must be one of").contains("line 4: createdAt: is set by the server")
                .contains("line 5: not valid JSON").contains("line 6: spotId: must not contain '/'")
                .doesNotContain("line 1:").doesNotContain("line 7:");
        assertThat(Files.readAllBytes(file())).isEqualTo(before);

        // Wrong only against the ledger (a new entry without a prompt): found under the lock, still nothing written.
        Files.writeString(batch, """
                {"spotId": "a", "eraId": "1", "status": "ready"}
                {"spotId": "z", "eraId": "9", "status": "ready"}
                """);
        Run late = ledger("apply", batch.toString(), "--data", data());
        assertThat(late.exit()).isEqualTo(2);
        assertThat(late.err()).contains("1 bad update, nothing was written").contains("line 2: ").contains("needs a prompt");
        assertThat(Files.readAllBytes(file())).isEqualTo(before);
        assertThat(ledger("apply", dir.resolve("missing.jsonl").toString(), "--data", data()).exit()).isEqualTo(2);
    }

    @Test
    void aBatchOfAThousandUpdatesIsAppliedInOrderInOneWrite() throws Exception {
        StringBuilder adds = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            adds.append("{\"spotId\": \"shot-").append(i % 100).append("\", \"eraId\": \"take-").append(i / 100)
                    .append("\", \"prompt\": \"prompt ").append(i).append("\"}\n");
        }
        Path batch = dir.resolve("adds.jsonl");
        Files.writeString(batch, adds);
        Run first = ledger("apply", batch.toString(), "--data", data());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("applied 1000 updates").contains("1000 added");

        // 1,000 partial updates: every entry to ready with a path, then every tenth on to failed (later lines win).
        StringBuilder updates = new StringBuilder();
        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < 900; i++) {
            String shot = "shot-" + i % 100;
            String take = "take-" + i / 100;
            updates.append("{\"spotId\": \"").append(shot).append("\", \"eraId\": \"").append(take)
                    .append("\", \"status\": \"ready\", \"localPath\": \"generated/").append(i).append(".mp4\"}\n");
            expected.put(shot + "/" + take, "ready");
        }
        for (int i = 0; i < 100; i++) {
            String shot = "shot-" + i;
            String take = "take-" + (i % 10);
            updates.append("{\"spotId\": \"").append(shot).append("\", \"eraId\": \"").append(take)
                    .append("\", \"status\": \"failed\", \"error\": \"frame ").append(i).append(" dropped\"}\n");
            expected.put(shot + "/" + take, "failed");
        }
        Files.writeString(batch, updates);
        Run second = ledger("apply", batch.toString(), "--data", data());
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).contains("applied 1000 updates").contains("0 added");

        JsonNode all = Json.MAPPER.readTree(file().toFile());
        assertThat(all).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            JsonNode e = all.get(i);
            String key = e.get("spotId").asText() + "/" + e.get("eraId").asText();
            assertThat(e.get("spotId").asText()).isEqualTo("shot-" + i % 100);
            assertThat(e.get("prompt").asText()).as("prompt of %s kept", key).isEqualTo("prompt " + i);
            String status = expected.getOrDefault(key, "pending");
            assertThat(e.get("status").asText()).as(key).isEqualTo(status);
            if (i < 900) assertThat(e.get("localPath").asText()).as(key).isEqualTo("generated/" + i + ".mp4");
            else assertThat(e.get("localPath").isNull()).as("%s was only failed", key).isTrue();
            if (status.equals("failed")) assertThat(e.get("error").asText()).endsWith(" dropped");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void patchOverHttpChangesOnlyTheGivenFields(Vendor vendor) throws Exception {
        try (var s = new LedgerTestServer(vendor, dir)) {
            var http = s.http;
            var added = http.send("PUT", "/api/ledger/harbor/1920s", "{\"prompt\": \"Dawn\", \"localPath\": \"generated/h.mp4\"}");
            assertThat(added.status()).as(added.body()).isEqualTo(200);
            var ready = http.patch("/api/ledger/harbor/1920s", "{\"status\": \"ready\"}");
            assertThat(ready.status()).as(ready.body()).isEqualTo(200);
            assertThat(ready.json().get("prompt").asText()).isEqualTo("Dawn");
            assertThat(ready.json().get("localPath").asText()).isEqualTo("generated/h.mp4");
            assertThat(ready.json().get("createdAt").asText()).isEqualTo(added.json().get("createdAt").asText());
            assertThat(ready.json().get("completedAt").isNull()).isFalse();

            var cleared = http.patch("/api/ledger/harbor/1920s", "{\"localPath\": null}");
            assertThat(cleared.json().get("localPath").isNull()).isTrue();
            assertThat(cleared.json().get("status").asText()).isEqualTo("ready");

            byte[] before = Files.readAllBytes(s.ledgerFile());
            var badStatus = http.patch("/api/ledger/harbor/1920s", "{\"status\": \"done\"}");
            assertThat(badStatus.status()).isEqualTo(400);
            assertThat(badStatus.json().get("field").asText()).isEqualTo("status");
            var badError = http.patch("/api/ledger/harbor/1920s", "{\"error\": \"x\"}");
            assertThat(badError.status()).isEqualTo(400);
            assertThat(badError.json().get("field").asText()).isEqualTo("error");
            var missing = http.patch("/api/ledger/nope/none", "{\"status\": \"ready\"}");
            assertThat(missing.status()).as(missing.body()).isEqualTo(404);
            assertThat(Files.readAllBytes(s.ledgerFile())).isEqualTo(before);

            var created = http.patch("/api/ledger/new/one", "{\"prompt\": \"Fresh\", \"status\": \"generating\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(200);
            assertThat(created.json().get("status").asText()).isEqualTo("generating");

            JsonNode doc = http.get("/api/openapi.json").json();
            assertThat(doc.at("/paths/~1api~1ledger~1{spotId}~1{eraId}/patch")).isNotNull();
            assertThat(doc.at("/paths/~1api~1ledger~1{spotId}~1{eraId}/patch").isMissingNode()).isFalse();
            assertThat(doc.at("/components/schemas/LedgerEntryPatch/properties/status").isMissingNode()).isFalse();
        }
    }
}
