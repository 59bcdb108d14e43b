package dev.reelmark.metadata;

import dev.reelmark.db.Timestamps;
import dev.reelmark.db.Vendor;
import dev.reelmark.testing.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Task 2.1: metadata_generations, one row per entity and file type, upserted, with a moving updated_at. */
class MetadataStoreTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void upsertKeepsOneRowPerEntityAndFileTypeAndMovesUpdatedAt(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            MetadataStore store = new MetadataStore(t.db());
            String hash = "a".repeat(64);
            var first = store.upsert("character", 7, "character_metadata", "metadata/p-1/c-7/character_metadata.json",
                    Timestamps.now(), "2026-01-01T00:00:00.000Z", "d1", "1.0", hash);
            assertThat(first.previousPath()).isNull();
            Thread.sleep(5);
            var second = store.upsert("character", 7, "character_metadata", "metadata/p-1/c2-7/character_metadata.json",
                    Timestamps.now(), "2026-01-02T00:00:00.000Z", "d2", "1.0", "b".repeat(64));
            assertThat(second.previousPath()).isEqualTo("metadata/p-1/c-7/character_metadata.json");
            assertThat(second.row().sourceUpdatedAt()).isEqualTo("2026-01-02T00:00:00.000Z");
            assertThat(second.row().createdAt()).isEqualTo(first.row().createdAt());
            assertThat(second.row().updatedAt()).isGreaterThan(first.row().updatedAt());
            assertThat(store.all()).hasSize(1);
            // Same entity id, other file type or entity type: separate rows.
            store.upsert("scene", 7, "video_metadata", "x", Timestamps.now(), "2026-01-01T00:00:00.000Z", "d", "1.0", hash);
            assertThat(store.all()).hasSize(2);
            assertThat(store.findAll("character", "character_metadata", java.util.List.of(7L, 8L))).containsOnlyKeys(7L);
            // The table refuses what it must never hold.
            assertThatThrownBy(() -> store.upsert("character", 9, "character_metadata", "x", Timestamps.now(),
                    "2026-01-01T00:00:00.000Z", "d", "1.0", "short")).isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> store.upsert("segment", 9, "character_metadata", "x", Timestamps.now(),
                    "2026-01-01T00:00:00.000Z", "d", "1.0", hash)).isInstanceOf(RuntimeException.class);
            // A batch records several rows at once; an older generation never replaces a newer row (a batch that
            // wrote its file before an auto-regeneration must not describe the newer file with its older hash).
            var newer = store.upsert("character", 7, "character_metadata", "p/new.json", "2099-03-01T00:00:00.000Z",
                    "2026-01-03T00:00:00.000Z", "d3", "1.0", "c".repeat(64));
            var batch = store.upsertAll(java.util.List.of(
                    new MetadataStore.Row("character", 7, "character_metadata", "p/old.json", "2099-02-01T00:00:00.000Z",
                            "2026-01-02T00:00:00.000Z", "d2", "1.0", "d".repeat(64)),
                    new MetadataStore.Row("character", 8, "character_metadata", "p/eight.json", "2026-02-01T00:00:00.000Z",
                            "2026-01-02T00:00:00.000Z", "d2", "1.0", "e".repeat(64))));
            assertThat(batch).hasSize(2);
            assertThat(batch.get(0).row().fileHash()).isEqualTo(newer.row().fileHash());
            assertThat(batch.get(0).row().filePath()).isEqualTo("p/new.json");
            assertThat(batch.get(1).row().filePath()).isEqualTo("p/eight.json");
            assertThat(store.find("character", 8, "character_metadata")).isPresent();
            store.delete("character", 7);
            assertThat(store.find("character", 7, "character_metadata")).isEmpty();
        }
    }
}
