package dev.reelmark.cli;

import dev.reelmark.app.AppConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options every command takes: where the data lives and which database to use. */
public final class CommonOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory: SQLite file, media, outputs (env REELMARK_DATA, default ./reelmark-data)")
    Path data;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "Database URL, e.g. jdbc:postgresql://127.0.0.1:5432/reelmark?user=postgres "
                    + "(env REELMARK_DB, default: the SQLite file in the data directory)")
    String db;

    @Option(names = "--ffmpeg", paramLabel = "PATH", description = "ffmpeg binary (env REELMARK_FFMPEG; default PATH, then the bundled build)")
    String ffmpeg;

    @Option(names = "--ffprobe", paramLabel = "PATH", description = "ffprobe binary (env REELMARK_FFPROBE)")
    String ffprobe;

    public AppConfig config(int jobWorkers) {
        Path dataDir = data != null ? data : env("REELMARK_DATA") != null ? Path.of(env("REELMARK_DATA")) : AppConfig.DEFAULT_DATA;
        String dbUrl = db != null ? db : env("REELMARK_DB");
        return new AppConfig(dataDir, dbUrl, ffmpeg, ffprobe, jobWorkers);
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? null : value;
    }
}
