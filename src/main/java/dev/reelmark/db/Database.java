package dev.reelmark.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connection pool plus Jdbi for one Reelmark database, SQLite or PostgreSQL.
 *
 * <p>SQLite connections get foreign keys, WAL, a busy timeout and IMMEDIATE transactions (so a transaction that
 * reads then writes never fails on a lock upgrade). PostgreSQL connections send strings untyped so that ISO
 * timestamps and JSON text bind to timestamptz and jsonb columns the same way they bind to SQLite's TEXT.
 */
public final class Database implements AutoCloseable {
    private static final Pattern CURRENT_SCHEMA = Pattern.compile("[?&]currentSchema=([A-Za-z_][A-Za-z0-9_]*)");

    private final Vendor vendor;
    private final String url;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(Vendor vendor, String url, HikariDataSource dataSource) {
        this.vendor = vendor;
        this.url = url;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
    }

    /** Opens a pool on {@code jdbcUrl}; for SQLite the file's directory is created. Does not migrate. */
    public static Database open(String jdbcUrl) {
        Vendor vendor = Vendor.fromJdbcUrl(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("reelmark-" + vendor.name().toLowerCase());
        if (vendor == Vendor.SQLITE) {
            createSqliteParent(jdbcUrl);
            config.setDriverClassName("org.sqlite.JDBC");
            Map.of("foreign_keys", "true",
                    "journal_mode", "WAL",
                    "synchronous", "NORMAL",
                    "busy_timeout", "30000",
                    "transaction_mode", "IMMEDIATE")
                    .forEach(config::addDataSourceProperty);
            config.setMaximumPoolSize(4);
        } else {
            config.setDriverClassName("org.postgresql.Driver");
            config.addDataSourceProperty("stringtype", "unspecified");
            // A lost server must answer "unavailable" within 2 s, not hang: connect and pool waits are short.
            config.addDataSourceProperty("connectTimeout", "2");
            config.setMaximumPoolSize(8);
            config.setConnectionTimeout(1_500);
            config.setValidationTimeout(1_000);
        }
        if (vendor == Vendor.SQLITE) config.setConnectionTimeout(30_000);
        return new Database(vendor, jdbcUrl, new HikariDataSource(config));
    }

    /** Opens and brings the schema up to date. */
    public static Database openAndMigrate(String jdbcUrl) {
        Database db = open(jdbcUrl);
        try {
            db.migrate();
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public MigrateResult migrate() {
        var flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations(vendor.migrationLocation())
                .mixed(true);
        currentSchema().ifPresent(schema -> flyway.schemas(schema).defaultSchema(schema).createSchemas(true));
        return flyway.load().migrate();
    }

    private java.util.Optional<String> currentSchema() {
        if (vendor != Vendor.POSTGRESQL) return java.util.Optional.empty();
        Matcher m = CURRENT_SCHEMA.matcher(url);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    private static void createSqliteParent(String jdbcUrl) {
        String file = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        if (query >= 0) file = file.substring(0, query);
        if (file.isEmpty() || file.equals(":memory:") || file.startsWith("file:")) return;
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            if (parent != null) Files.createDirectories(parent);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot create the database directory " + parent + ": " + e.getMessage(), e);
        }
    }

    /** The default embedded database inside a data directory. */
    public static String sqliteUrlFor(Path dataDir) {
        return "jdbc:sqlite:" + dataDir.resolve("reelmark.db").toAbsolutePath();
    }

    public Vendor vendor() {
        return vendor;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    /** The URL without credentials, for log lines and the CLI. */
    public String displayUrl() {
        return url.replaceAll("password=[^&]*", "password=***");
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
