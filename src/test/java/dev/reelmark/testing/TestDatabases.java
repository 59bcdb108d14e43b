package dev.reelmark.testing;

import dev.reelmark.db.Database;
import dev.reelmark.db.Vendor;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The databases every repository and API test runs on: SQLite always, PostgreSQL when REELMARK_TEST_PG_URL is
 * set. Under CI (CI=true) a missing PostgreSQL URL is a failure, never a silent skip.
 */
public final class TestDatabases {
    public static final String PG_ENV = "REELMARK_TEST_PG_URL";

    private TestDatabases() {
    }

    /** For {@code @MethodSource("dev.reelmark.testing.TestDatabases#vendors")}. */
    public static Stream<Vendor> vendors() {
        List<Vendor> vendors = new ArrayList<>(List.of(Vendor.SQLITE));
        if (pgUrl() != null) {
            vendors.add(Vendor.POSTGRESQL);
        } else if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(PG_ENV + " is not set under CI: the PostgreSQL half of the suite would be skipped");
        }
        return vendors.stream();
    }

    /** PostgreSQL only, for behaviour SQLite cannot have (several pools sharing one queue); never skipped under CI. */
    public static Stream<Vendor> postgresOnly() {
        return vendors().filter(v -> v == Vendor.POSTGRESQL);
    }

    public static String pgUrl() {
        String url = System.getenv(PG_ENV);
        return url == null || url.isBlank() ? null : url.trim();
    }

    /** A migrated, empty database of its own: a new SQLite file, or a new PostgreSQL schema dropped on close. */
    public static TestDb fresh(Vendor vendor, Path dir) {
        if (vendor == Vendor.SQLITE) {
            String url = "jdbc:sqlite:" + dir.resolve("test-" + UUID.randomUUID() + ".db");
            return new TestDb(Database.openAndMigrate(url), null, null);
        }
        String base = pgUrl();
        if (base == null) throw new IllegalStateException(PG_ENV + " is not set");
        String schema = "rm_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new TestDb(Database.openAndMigrate(url), base, schema);
    }

    /** A URL (and schema) for a second process or pool on the same fresh PostgreSQL schema. */
    public record TestDb(Database db, String pgBaseUrl, String schema) implements AutoCloseable {
        public Vendor vendor() {
            return db.vendor();
        }

        @Override
        public void close() throws Exception {
            db.close();
            if (schema != null) {
                try (var conn = DriverManager.getConnection(pgBaseUrl); var st = conn.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
    }
}
