package dev.reelmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.errors.DomainException;
import dev.reelmark.http.ApiError;
import dev.reelmark.json.Json;
import dev.reelmark.media.FfmpegTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The seed's acceptance criteria for the metadata store, plus what "atomic" and "corrupt" mean here. */
class LedgerStoreTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("data/generated-videos.json");
    }

    /** A clock the test moves by hand, so createdAt/completedAt are checkable. */
    static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T10:00:00.000Z"));

        void advance(long seconds) {
            now.updateAndGet(t -> t.plusSeconds(seconds));
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    private LedgerService service(LedgerStore store, Clock clock) {
        return new LedgerService(store, new TitleCardGenerator(FfmpegTools::defaults, dir.resolve("data/generated")),
                null, dir.resolve("data"), clock);
    }

    private static LedgerService.EntryInput input(String prompt, LedgerStatus status, String path) {
        return new LedgerService.EntryInput(prompt, status, path, null);
    }

    @Test
    void aMissingFileIsCreatedAsAnEmptyArray() throws Exception {
        LedgerStore store = LedgerStore.at(file());
        assertThat(file()).doesNotExist();
        assertThat(store.readAll()).isEmpty();
        assertThat(file()).exists();
        assertThat(Json.MAPPER.readTree(file().toFile()).isArray()).isTrue();
        assertThat(Files.readString(file()).strip()).isEqualTo("[ ]");
    }

    @Test
    void entriesCanBeAddedReadOneByOneAndListedWithEverySeedField() throws Exception {
        TestClock clock = new TestClock();
        LedgerService ledger = service(LedgerStore.at(file()), clock);
        EntryKey harbor = new EntryKey("harbor-01", "1920s");
        ledger.put(harbor, input("A harbor at dawn", LedgerStatus.PENDING, null));
        ledger.put(new EntryKey("harbor-01", "1980s"), input("A neon harbor", LedgerStatus.GENERATING, null));

        assertThat(ledger.all()).extracting(LedgerEntry::eraId).containsExactly("1920s", "1980s");
        assertThat(ledger.find(harbor)).get().extracting(LedgerEntry::prompt).isEqualTo("A harbor at dawn");
        assertThat(ledger.find(new EntryKey("harbor-01", "2020s"))).isEmpty();

        JsonNode onDisk = Json.MAPPER.readTree(file().toFile()).get(0);
        assertThat(iterableOf(onDisk.fieldNames())).containsExactly("spotId", "eraId", "prompt", "localPath", "status",
                "createdAt", "completedAt", "error");
        assertThat(onDisk.get("status").asText()).isEqualTo("pending");
        assertThat(onDisk.get("createdAt").asText()).isEqualTo("2026-01-01T10:00:00.000Z");
        assertThat(onDisk.get("completedAt").isNull()).isTrue();
        assertThat(onDisk.get("localPath").isNull()).isTrue();
    }

    @Test
    void addOrUpdateReplacesTheEntryWithTheSameKeysButKeepsItsCreatedAt() {
        TestClock clock = new TestClock();
        LedgerService ledger = service(LedgerStore.at(file()), clock);
        EntryKey key = new EntryKey("harbor-01", "1920s");
        LedgerEntry first = ledger.put(key, input("v1", LedgerStatus.PENDING, null));
        clock.advance(60);
        LedgerEntry second = ledger.put(key, input("v2", LedgerStatus.READY, "generated/harbor.mp4"));

        assertThat(ledger.all()).hasSize(1);
        assertThat(second.createdAt()).isEqualTo(first.createdAt()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
        assertThat(second.completedAt()).isEqualTo(Instant.parse("2026-01-01T10:01:00Z"));
        assertThat(second.prompt()).isEqualTo("v2");
        assertThat(second.localPath()).isEqualTo("generated/harbor.mp4");

        // The seed's setVideoMetadata(entry) form keeps createdAt too.
        clock.advance(60);
        LedgerEntry replaced = ledger.upsert(new LedgerEntry("harbor-01", "1920s", "v3", null, LedgerStatus.PENDING,
                clock.instant(), null, null, null, null));
        assertThat(replaced.createdAt()).isEqualTo(first.createdAt());
        assertThat(ledger.get(key).prompt()).isEqualTo("v3");
    }

    @Test
    void markingFailedRecordsTheErrorAndCompletedAtAndAnUnknownEntryIs404() {
        TestClock clock = new TestClock();
        LedgerService ledger = service(LedgerStore.at(file()), clock);
        EntryKey key = new EntryKey("harbor-01", "1920s");
        ledger.put(key, input("A harbor", LedgerStatus.GENERATING, null));
        clock.advance(5);
        LedgerEntry failed = ledger.markFailed(key, "GPU out of memory");
        assertThat(failed.status()).isEqualTo(LedgerStatus.FAILED);
        assertThat(failed.error()).isEqualTo("GPU out of memory");
        assertThat(failed.completedAt()).isEqualTo(Instant.parse("2026-01-01T10:00:05Z"));
        assertThat(ledger.get(key).error()).isEqualTo("GPU out of memory");

        assertThatThrownBy(() -> ledger.markFailed(new EntryKey("nope", "x"), "boom"))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(ApiError.statusOf(e)).isEqualTo(404));
        assertThatThrownBy(() -> ledger.markFailed(key, " "))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.field()).isEqualTo("error"));
    }

    @Test
    void badKeysPromptsAndStatusesAreRejectedNamingTheField() {
        LedgerService ledger = service(LedgerStore.at(file()), Clock.systemUTC());
        assertField(() -> ledger.key("a/b", "x"), "spotId");
        assertField(() -> ledger.key("a", "x\0y"), "eraId");
        assertField(() -> ledger.key("a".repeat(201), "x"), "spotId");
        assertField(() -> ledger.key("", "x"), "spotId");
        assertField(() -> ledger.key("..", "x"), "spotId");
        assertThat(ledger.key("a".repeat(200), "Ära 1920 · 東京").spotId()).hasSize(200);
        assertField(() -> ledger.put(new EntryKey("a", "b"), input(null, null, null)), "prompt");
        assertField(() -> ledger.put(new EntryKey("a", "b"), input("  ", null, null)), "prompt");
        assertField(() -> ledger.put(new EntryKey("a", "b"), new LedgerService.EntryInput("p", LedgerStatus.READY, null, "x")), "error");
        assertField(() -> LedgerStatus.parse("status", "done"), "status");
        assertThat(file()).doesNotExist();
    }

    private static void assertField(Runnable r, String field) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(ApiError.statusOf(e)).isEqualTo(400);
            assertThat(e.field()).isEqualTo(field);
        });
    }

    @Test
    void otherKeyNamesAreConfiguredWithLedgerKeys() throws Exception {
        LedgerStore store = new LedgerStore(file(), new LedgerKeys("shotId", "take"));
        LedgerService ledger = service(store, Clock.systemUTC());
        ledger.put(ledger.key("shot-7", "3"), input("Close-up", LedgerStatus.PENDING, null));
        JsonNode onDisk = Json.MAPPER.readTree(file().toFile()).get(0);
        assertThat(onDisk.get("shotId").asText()).isEqualTo("shot-7");
        assertThat(onDisk.get("take").asText()).isEqualTo("3");
        assertThat(onDisk.has("spotId")).isFalse();
        assertField(() -> ledger.key("a/b", "1"), "shotId");

        // The same file read with the default names is missing its keys: reported, not guessed.
        assertThatThrownBy(() -> LedgerStore.at(file()).readAll()).isInstanceOf(LedgerCorruptException.class)
                .hasMessageContaining("has no \"spotId\"");

        assertThat(LedgerKeys.parse("shotId, take")).isEqualTo(new LedgerKeys("shotId", "take"));
        assertThat(LedgerKeys.parse(null)).isEqualTo(LedgerKeys.DEFAULT);
        assertThatThrownBy(() -> LedgerKeys.parse("shotId")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LedgerKeys("status", "take")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LedgerKeys("a", "a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LedgerKeys("a-b", "c")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fieldsAddedByHandSurviveUpdates() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), """
                [
                  {"spotId": "a", "eraId": "b", "prompt": "p", "localPath": null, "status": "pending",
                   "createdAt": "2025-05-05T05:05:05Z", "completedAt": null, "error": null,
                   "reviewer": "Ana", "tags": ["hero", 2]}
                ]
                """);
        LedgerService ledger = service(LedgerStore.at(file()), Clock.systemUTC());
        ledger.put(new EntryKey("a", "b"), input("p2", LedgerStatus.READY, "x.mp4"));
        JsonNode onDisk = Json.MAPPER.readTree(file().toFile()).get(0);
        assertThat(onDisk.get("reviewer").asText()).isEqualTo("Ana");
        assertThat(onDisk.get("tags").toString()).isEqualTo("[\"hero\",2]");
        assertThat(onDisk.get("createdAt").asText()).isEqualTo("2025-05-05T05:05:05.000Z");
        assertThat(onDisk.get("prompt").asText()).isEqualTo("p2");
    }

    @Test
    void writesGoThroughATempFileAndLeaveNothingBehind() throws Exception {
        LedgerService ledger = service(LedgerStore.at(file()), Clock.systemUTC());
        for (int i = 0; i < 20; i++) ledger.put(new EntryKey("spot", "e" + i), input("p" + i, null, null));
        try (Stream<Path> files = Files.list(file().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("generated-videos.json", "generated-videos.json.lock");
        }
        assertThat(Json.MAPPER.readTree(file().toFile())).hasSize(20);
    }

    @Test
    void threadsOfOneProcessLoseNoUpdates() throws Exception {
        LedgerStore store = LedgerStore.at(file());
        LedgerStore sameFileOtherInstance = LedgerStore.at(file());
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 6; t++) {
            LedgerStore s = t % 2 == 0 ? store : sameFileOtherInstance;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 50; i++) s.modify(entries -> LedgerStressWorker.increment(entries, new EntryKey("shared", "c")));
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) t.join();
        assertThat(store.find(new EntryKey("shared", "c"))).get().extracting(LedgerEntry::prompt).isEqualTo("count=300");
    }

    // ---- corrupt files ----

    private LedgerCorruptException corruptWith(String content) throws IOException {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), content);
        LedgerService ledger = service(LedgerStore.at(file()), Clock.systemUTC());
        var thrown = org.assertj.core.api.Assertions.catchThrowableOfType(LedgerCorruptException.class,
                () -> ledger.put(new EntryKey("a", "b"), input("p", null, null)));
        assertThat(thrown).as("a write to a corrupt ledger must refuse").isNotNull();
        assertThat(ApiError.statusOf(thrown)).isEqualTo(409);
        assertThat(thrown.code()).isEqualTo("ledger_corrupt");
        assertThat(Files.readString(file())).as("the bad file is never overwritten").isEqualTo(content);
        assertThat(thrown.backup()).exists().hasFileName(thrown.backup().getFileName().toString());
        assertThat(thrown.backup().getFileName().toString()).startsWith("generated-videos.json.corrupt-");
        assertThat(Files.readString(thrown.backup())).isEqualTo(content);
        // Reads refuse too, with the same location.
        assertThatThrownBy(ledger::all).isInstanceOfSatisfying(LedgerCorruptException.class, again -> {
            assertThat(again.line()).isEqualTo(thrown.line());
            assertThat(again.backup()).isEqualTo(thrown.backup());
        });
        return thrown;
    }

    @Test
    void invalidJsonIsReportedWithLineAndColumnAndKeptAside() throws Exception {
        var e = corruptWith("[\n  {\"spotId\": \"a\", \"eraId\": \"b\",\n   \"status\": \"ready\" \"prompt\": \"x\"}\n]\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isGreaterThan(10);
        assertThat(e.getMessage()).contains("line 3, column").contains("malformed JSON").contains("ledger reset");
        try (Stream<Path> files = Files.list(file().getParent())) {
            assertThat(files.filter(p -> p.getFileName().toString().contains(".corrupt-"))).as("one copy, not one per read").hasSize(1);
        }
    }

    @Test
    void aWrongTypeIsReportedWhereItIs() throws Exception {
        var e = corruptWith("""
                [
                  {"spotId": "a", "eraId": "b", "prompt": "x", "localPath": null,
                   "status": 7, "createdAt": "2026-01-01T00:00:00.000Z"}
                ]
                """);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(14);
        assertThat(e.problem()).contains("entry 0").contains("\"status\"").contains("the number 7");
    }

    @Test
    void aMissingKeyAnUnknownStatusABadTimestampAndDuplicatesAreReported() throws Exception {
        assertThat(corruptWith("[{\"eraId\": \"b\", \"status\": \"ready\", \"createdAt\": \"2026-01-01T00:00:00Z\"}]").problem())
                .contains("has no \"spotId\"");
        assertThat(corruptWith("[{\"spotId\": \"a\", \"eraId\": \"b\", \"status\": \"done\", \"createdAt\": \"2026-01-01T00:00:00Z\"}]").problem())
                .contains("must be one of pending, generating, ready, failed");
        assertThat(corruptWith("[{\"spotId\": \"a\", \"eraId\": \"b\", \"status\": \"ready\", \"createdAt\": \"yesterday\"}]").problem())
                .contains("ISO-8601");
        var dup = corruptWith("""
                [
                  {"spotId": "a", "eraId": "b", "status": "ready", "createdAt": "2026-01-01T00:00:00Z"},
                  {"spotId": "a", "eraId": "b", "status": "failed", "createdAt": "2026-01-01T00:00:00Z"}
                ]
                """);
        assertThat(dup.line()).isEqualTo(3);
        assertThat(dup.problem()).contains("same spotId and eraId");
        assertThat(corruptWith("{\"entries\": []}").problem()).contains("expected a JSON array");
        assertThat(corruptWith("").problem()).contains("empty");
        assertThat(corruptWith("[] []").problem()).contains("after the closing ]");
        assertThat(corruptWith("[{\"spotId\": \"a\", \"spotId\": \"b\"}]").problem()).contains("Duplicate field");
    }

    @Test
    void resetMovesTheBadFileAsideAndStartsAnEmptyLedger() throws Exception {
        var e = corruptWith("[{\"spotId\": ");
        LedgerStore store = LedgerStore.at(file());
        LedgerStore.ResetResult r = store.reset(false);
        assertThat(r.wasCorrupt()).isTrue();
        assertThat(r.movedTo()).isEqualTo(e.backup());
        assertThat(Files.readString(r.movedTo())).isEqualTo("[{\"spotId\": ");
        assertThat(store.readAll()).isEmpty();
        service(store, Clock.systemUTC()).put(new EntryKey("a", "b"), input("works again", null, null));
        assertThat(store.readAll()).hasSize(1);

        // A valid ledger is only reset with force, and is moved aside, not deleted.
        assertThatThrownBy(() -> store.reset(false)).isInstanceOfSatisfying(DomainException.class,
                x -> assertThat(ApiError.statusOf(x)).isEqualTo(409));
        LedgerStore.ResetResult forced = store.reset(true);
        assertThat(forced.wasCorrupt()).isFalse();
        assertThat(forced.entriesBefore()).isEqualTo(1);
        assertThat(forced.movedTo().getFileName().toString()).startsWith("generated-videos.json.reset-");
        assertThat(Files.readString(forced.movedTo())).contains("works again");
        assertThat(store.readAll()).isEmpty();
    }

    @Test
    void restorePutsARepairedCopyBackAndRefusesAnotherBadOne() throws Exception {
        var e = corruptWith("[{\"spotId\": \"a\", \"eraId\": \"b\", \"status\": 7, \"createdAt\": \"2026-01-01T00:00:00Z\"}]");
        Path repaired = dir.resolve("repaired.json");
        Files.writeString(repaired, Files.readString(e.backup()).replace("7", "\"ready\""));
        Path stillBad = dir.resolve("bad.json");
        Files.writeString(stillBad, "[1]");
        LedgerStore store = LedgerStore.at(file());
        assertThatThrownBy(() -> store.restore(stillBad)).isInstanceOfSatisfying(DomainException.class, x -> {
            assertThat(ApiError.statusOf(x)).isEqualTo(400);
            assertThat(x.getMessage()).contains("line 1, column 2");
        });
        LedgerStore.RestoreResult r = store.restore(repaired);
        assertThat(r.entries()).isEqualTo(1);
        assertThat(r.previousMovedTo()).isEqualTo(e.backup());
        assertThat(store.readAll()).singleElement().extracting(LedgerEntry::status).isEqualTo(LedgerStatus.READY);
    }

    @Test
    void theMirrorSidecarListsFollowedProjects() {
        LedgerStore store = LedgerStore.at(file());
        assertThat(store.mirroredProjects()).isEmpty();
        assertThat(store.setMirrored(3, true)).containsExactly(3L);
        assertThat(store.setMirrored(1, true)).containsExactly(1L, 3L);
        assertThat(LedgerStore.at(file()).mirroredProjects()).containsExactly(1L, 3L);
        assertThat(store.setMirrored(3, false)).containsExactly(1L);
        assertThat(store.mirroredProjects()).containsExactly(1L);
        assertThat(store.mirrorFile()).hasFileName("generated-videos.mirror.json");
    }

    @Test
    void timestampsAreWrittenLikeJavaScriptsToIsoString() {
        assertThat(LedgerCodec.format(Instant.parse("2026-11-23T10:00:00Z"))).isEqualTo("2026-11-23T10:00:00.000Z");
        assertThat(LedgerCodec.format(Instant.parse("2026-11-23T10:00:00.120Z"))).isEqualTo("2026-11-23T10:00:00.120Z");
        assertThat(LedgerCodec.fastInstant("2024-02-29T23:59:59.999Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.999Z"));
        assertThat(LedgerCodec.fastInstant("2023-02-29T23:59:59.999Z")).isNull();
        assertThat(LedgerCodec.fastInstant("2023-02-28T23:59:59+01:00")).isNull();
    }

    private static <T> List<T> iterableOf(java.util.Iterator<T> it) {
        List<T> list = new java.util.ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
