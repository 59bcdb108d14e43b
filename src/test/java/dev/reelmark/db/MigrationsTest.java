package dev.reelmark.db;

import dev.reelmark.testing.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void updatedAtMovesOnEveryChangeEvenWithinOneMillisecond(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            var jdbi = t.db().jdbi();
            long id = jdbi.withHandle(h -> h.createQuery("INSERT INTO projects (name) VALUES ('p') RETURNING id")
                    .mapTo(Long.class).one());
            Instant previous = readUpdatedAt(t.db(), id);
            for (int i = 0; i < 20; i++) {
                int n = i;
                jdbi.useHandle(h -> h.execute("UPDATE projects SET name = ? WHERE id = ?", "p" + n, id));
                Instant now = readUpdatedAt(t.db(), id);
                assertThat(now).isAfter(previous);
                previous = now;
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void foreignKeysAreEnforced(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            assertThatThrownBy(() -> t.db().jdbi().useHandle(h ->
                    h.execute("INSERT INTO characters (project_id, name) VALUES (999, 'ghost')")))
                    .satisfies(e -> assertThat(SqlErrors.isForeignKeyViolation(e)).isTrue());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void migratingTwiceIsANoOp(Vendor vendor) throws Exception {
        try (var t = TestDatabases.fresh(vendor, dir)) {
            assertThat(t.db().migrate().migrationsExecuted).isZero();
        }
    }

    @org.junit.jupiter.api.Test
    void sqliteRunsInWalModeWithBusyTimeout() throws Exception {
        try (var t = TestDatabases.fresh(Vendor.SQLITE, dir)) {
            String mode = t.db().jdbi().withHandle(h -> h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
            int timeout = t.db().jdbi().withHandle(h -> h.createQuery("PRAGMA busy_timeout").mapTo(Integer.class).one());
            assertThat(mode).isEqualToIgnoringCase("wal");
            assertThat(timeout).isGreaterThanOrEqualTo(5000);
        }
    }

    private static Instant readUpdatedAt(Database db, long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT updated_at FROM projects WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> Timestamps.read(rs, "updated_at")).one());
    }
}
