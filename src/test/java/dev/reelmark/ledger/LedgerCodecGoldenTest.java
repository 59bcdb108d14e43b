package dev.reelmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.json.Json;
import dev.reelmark.testing.Golden;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger file format byte for byte (golden files under src/test/resources/golden/ledger/), the problems the
 * reader reports for bad files (line, column, message), and a round trip read back by Python's json module.
 */
class LedgerCodecGoldenTest {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final Instant T1 = Instant.parse("2026-11-23T10:05:07.123Z");

    static Map<String, JsonNode> extras() {
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        extra.put("renderNode", Json.parse("\"farm-07\""));
        extra.put("attempts", Json.parse("3"));
        extra.put("bigCounter", Json.parse("9007199254740993"));
        extra.put("huge", Json.parse("123456789012345678901234567890"));
        extra.put("score", Json.parse("0.875"));
        extra.put("approved", Json.parse("true"));
        extra.put("notes", Json.parse("null"));
        extra.put("tags", Json.parse("[\"hero\", 2, [], {}, {\"nested\": [1.5, false, null]}]"));
        extra.put("review", Json.parse("{\"by\": \"Zoë \\\"Z\\\" Müller\", \"at\": \"2026-11-24\", \"flags\": {}}"));
        return extra;
    }

    static List<LedgerEntry> entries() {
        return List.of(
                new LedgerEntry("harbor-01", "1920s", "A harbor at dawn, fog, \"sepia\"\nsecond line\ttab", null,
                        LedgerStatus.PENDING, T0, null, null, null, null),
                new LedgerEntry("harbor-01", "1980s", "Neon harbor — 夜の港 🎬", "generated/harbor-01/1980s.mp4",
                        LedgerStatus.READY, T0, T1, null, null, null),
                new LedgerEntry("scene-4", "segment-0", null, "/abs/media/s0.mp4", LedgerStatus.FAILED, T1, T1,
                        "ffmpeg exited 1: Conversion failed!\u0001", new LedgerEntry.CatalogLink(1, 4, 17), null),
                new LedgerEntry("hand", "edited", "kept fields", null, LedgerStatus.GENERATING, T0, null, null, null, extras()));
    }

    @Test
    void writesTheDefaultKeyFormat() throws Exception {
        LedgerCodec codec = new LedgerCodec(LedgerKeys.DEFAULT);
        byte[] bytes = codec.write(entries());
        Golden.check("ledger/generated-videos.json", bytes);
        assertThat(codec.read(bytes)).isEqualTo(entries());
        Golden.check("ledger/empty.json", codec.write(List.of()));
    }

    @Test
    void writesConfiguredKeyNames() throws Exception {
        LedgerCodec codec = new LedgerCodec(new LedgerKeys("shotId", "take"));
        byte[] bytes = codec.write(entries().subList(0, 2));
        Golden.check("ledger/shot-take.json", bytes);
        assertThat(codec.read(bytes)).isEqualTo(entries().subList(0, 2));
    }

    @Test
    void oneEntryAsTheCliPrintsIt() {
        LedgerCodec codec = new LedgerCodec(LedgerKeys.DEFAULT);
        StringBuilder all = new StringBuilder();
        for (LedgerEntry e : entries()) all.append(codec.writeEntry(e)).append("\n---\n");
        Golden.check("ledger/entries-printed.txt", all.toString());
    }

    @Test
    void pythonReadsTheFileAsTheSameEntries() throws Exception {
        LedgerCodec codec = new LedgerCodec(LedgerKeys.DEFAULT);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("ledger-golden", ".json");
        try {
            java.nio.file.Files.write(file, codec.write(entries()));
            Process p = new ProcessBuilder("python3", "-c", "import json,sys; d=json.load(open(sys.argv[1], encoding='utf-8'));"
                    + " print(json.dumps([[e['spotId'], e['eraId'], e['status'], e['createdAt'], e['completedAt'], e.get('catalog'),"
                    + " e.get('bigCounter'), e.get('huge'), e.get('review')] for e in d], ensure_ascii=False))", file.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.waitFor()).as(out).isZero();
            assertThat(out).isEqualTo("[[\"harbor-01\", \"1920s\", \"pending\", \"2026-11-23T10:00:00.000Z\", null, null, null, null, null],"
                    + " [\"harbor-01\", \"1980s\", \"ready\", \"2026-11-23T10:00:00.000Z\", \"2026-11-23T10:05:07.123Z\", null, null, null, null],"
                    + " [\"scene-4\", \"segment-0\", \"failed\", \"2026-11-23T10:05:07.123Z\", \"2026-11-23T10:05:07.123Z\","
                    + " {\"projectId\": 1, \"sceneId\": 4, \"segmentId\": 17}, null, null, null],"
                    + " [\"hand\", \"edited\", \"generating\", \"2026-11-23T10:00:00.000Z\", null, null, 9007199254740993,"
                    + " 123456789012345678901234567890, {\"by\": \"Zoë \\\"Z\\\" Müller\", \"at\": \"2026-11-24\", \"flags\": {}}]]");
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /** Bad files: each one's reported line, column and message, all in one golden file. */
    @Test
    void reportsEveryKindOfBadFileWithItsPlace() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("empty", "");
        bad.put("object", "{\"spotId\": \"a\"}");
        bad.put("not-closed", "[\n  {\"spotId\": \"a\", \"eraId\": \"b\", \"status\": \"ready\", \"createdAt\": \"2026-01-01T00:00:00Z\"}");
        bad.put("status-number", "[\n  {\n    \"spotId\": \"a\",\n    \"eraId\": \"b\",\n    \"status\": 7\n  }\n]");
        bad.put("status-unknown", "[{\"spotId\": \"a\", \"eraId\": \"b\", \"status\": \"done\", \"createdAt\": \"2026-01-01T00:00:00Z\"}]");
        bad.put("missing-key", "[{\"eraId\": \"b\", \"status\": \"ready\", \"createdAt\": \"2026-01-01T00:00:00Z\"}]");
        bad.put("missing-created", "[{\"spotId\": \"a\", \"eraId\": \"b\", \"status\": \"ready\"}]");
        bad.put("bad-timestamp", "[{\"spotId\": \"a\", \"eraId\": \"b\", \"status\": \"ready\", \"createdAt\": \"yesterday\"}]");
        bad.put("slash-key", "[{\"spotId\": \"a/b\", \"eraId\": \"b\", \"status\": \"ready\", \"createdAt\": \"2026-01-01T00:00:00Z\"}]");
        bad.put("duplicate", "[{\"spotId\": \"a\", \"eraId\": \"b\", \"status\": \"ready\", \"createdAt\": \"2026-01-01T00:00:00Z\"},\n"
                + " {\"spotId\": \"a\", \"eraId\": \"b\", \"status\": \"pending\", \"createdAt\": \"2026-01-01T00:00:00Z\"}]");
        bad.put("duplicate-field", "[{\"spotId\": \"a\", \"spotId\": \"c\", \"eraId\": \"b\", \"status\": \"ready\", \"createdAt\": \"2026-01-01T00:00:00Z\"}]");
        bad.put("catalog-negative", "[{\"spotId\": \"a\", \"eraId\": \"b\", \"status\": \"ready\", \"createdAt\": \"2026-01-01T00:00:00Z\","
                + " \"catalog\": {\"projectId\": 1, \"sceneId\": -2, \"segmentId\": 3}}]");
        bad.put("catalog-string", "[{\"spotId\": \"a\", \"eraId\": \"b\", \"status\": \"ready\", \"createdAt\": \"2026-01-01T00:00:00Z\", \"catalog\": \"x\"}]");
        bad.put("trailing", "[]\n[]");
        bad.put("malformed", "[{\"spotId\": \"a\",, }]");
        bad.put("truncated-extra", "[{\"spotId\": \"a\", \"eraId\": \"b\", \"status\": \"ready\", \"createdAt\": \"2026-01-01T00:00:00Z\", \"x\": [1, 2");
        LedgerCodec codec = new LedgerCodec(LedgerKeys.DEFAULT);
        StringBuilder report = new StringBuilder();
        for (var e : bad.entrySet()) {
            try {
                codec.read(e.getValue().getBytes(StandardCharsets.UTF_8));
                report.append(e.getKey()).append(": accepted\n");
            } catch (LedgerCodec.Problem p) {
                report.append(e.getKey()).append(": line ").append(p.line).append(", column ").append(p.column)
                        .append(": ").append(p.getMessage()).append('\n');
            }
        }
        Golden.check("ledger/problems.txt", report.toString());
        assertThat(report.toString()).doesNotContain(": accepted");
    }
}
