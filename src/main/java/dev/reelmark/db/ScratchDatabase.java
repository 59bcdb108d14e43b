package dev.reelmark.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A throw-away database for a benchmark: a new SQLite file in a temp folder, or, when {@code baseUrl} is a PostgreSQL
 * URL, a new schema of that database. Closing drops the schema and deletes the folder.
 *
 * @param dir     the temp folder (the SQLite file, and room for a benchmark's files)
 * @param url     the JDBC URL to open
 * @param baseUrl the PostgreSQL URL the schema lives in, or null
 * @param schema  the PostgreSQL schema, or null on SQLite
 */
public record ScratchDatabase(Path dir, String url, String baseUrl, String schema) implements AutoCloseable {
    public static ScratchDatabase open(String baseUrl, String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        if (baseUrl != null && baseUrl.startsWith("jdbc:postgresql:")) {
            String schema = prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + System.currentTimeMillis();
            return new ScratchDatabase(dir, baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema, baseUrl, schema);
        }
        return new ScratchDatabase(dir, Database.sqliteUrlFor(dir), null, null);
    }

    public String label() {
        return schema == null ? "SQLite (embedded)" : "PostgreSQL";
    }

    @Override
    public void close() throws IOException, SQLException {
        if (schema != null) {
            try (var conn = DriverManager.getConnection(baseUrl); var st = conn.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
