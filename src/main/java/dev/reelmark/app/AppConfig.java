package dev.reelmark.app;

import dev.reelmark.db.Database;
import dev.reelmark.media.FfmpegTools;

import java.nio.file.Path;

/**
 * Everything a Reelmark process is configured with. Defaults: data in ./reelmark-data, the embedded SQLite file
 * inside it, the server on 127.0.0.1:8080.
 *
 * @param dataDir   SQLite file, media, thumbnails and generated outputs
 * @param dbUrl     JDBC URL; null means the SQLite file in {@code dataDir}
 * @param ffmpeg    ffmpeg binary to use; null means REELMARK_FFMPEG, PATH, then the bundled build
 * @param ffprobe   ffprobe binary, likewise
 * @param jobWorkers background job threads in this process (0: this process runs no jobs)
 */
public record AppConfig(Path dataDir, String dbUrl, String ffmpeg, String ffprobe, int jobWorkers) {
    public static final Path DEFAULT_DATA = Path.of("reelmark-data");

    public AppConfig {
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    public static AppConfig defaults(Path dataDir) {
        return new AppConfig(dataDir, null, null, null, 2);
    }

    public String effectiveDbUrl() {
        return dbUrl == null || dbUrl.isBlank() ? Database.sqliteUrlFor(dataDir) : dbUrl;
    }

    /** The configured ffmpeg, else REELMARK_FFMPEG, PATH, then the bundled build (found once, on first use). */
    public FfmpegTools ffmpegTools() {
        return ffmpeg == null && ffprobe == null ? FfmpegTools.defaults() : FfmpegTools.locate(ffmpeg, ffprobe);
    }

    public AppConfig withDbUrl(String url) {
        return new AppConfig(dataDir, url, ffmpeg, ffprobe, jobWorkers);
    }

    public AppConfig withJobWorkers(int workers) {
        return new AppConfig(dataDir, dbUrl, ffmpeg, ffprobe, workers);
    }
}
