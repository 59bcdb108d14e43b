package dev.reelmark.db;

/** The two databases Reelmark runs on. One schema design, one migration folder per vendor. */
public enum Vendor {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String migrationFolder;

    Vendor(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    public String migrationLocation() {
        return "classpath:db/migration/" + migrationFolder;
    }

    public static Vendor fromJdbcUrl(String url) {
        if (url.startsWith("jdbc:sqlite:")) return SQLITE;
        if (url.startsWith("jdbc:postgresql:")) return POSTGRESQL;
        throw new IllegalArgumentException(
                "unsupported database URL '" + url + "': use jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB");
    }
}
