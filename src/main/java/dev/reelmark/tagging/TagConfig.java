package dev.reelmark.tagging;

import java.time.Duration;
import java.util.Map;

/**
 * Tag writing settings, from {@code REELMARK_METADATA_*} environment variables mirroring the seed's
 * {@code INDEXIUM_METADATA_*} ones.
 *
 * @param probeThreads        parallel ffprobe calls while planning (REELMARK_METADATA_MAX_CONCURRENT_PROBES, default: cores, at least 2)
 * @param maxConcurrentWrites files one write operation writes at once (REELMARK_METADATA_MAX_CONCURRENT_WRITES, 1 to 16;
 *                            default: the CPU count clamped to 2..4: each file costs one ffprobe process for its backup and
 *                            some I/O, so a few at once fill the CPUs without crowding a shared machine)
 * @param backupRetentionDays backups older than this are removed by the clean-up (REELMARK_METADATA_BACKUP_RETENTION_DAYS, 90)
 * @param operationTimeout    the longest one ffmpeg/ffprobe call may take (REELMARK_METADATA_OPERATION_TIMEOUT_SECONDS, 3600)
 * @param enableSse           whether the progress monitor may use the jobs' SSE stream (REELMARK_METADATA_ENABLE_SSE, true;
 *                            the seed's ..._ENABLE_WEBSOCKET is accepted too)
 * @param pageSize            plan page size (REELMARK_METADATA_PREVIEW_PAGE_SIZE, 50)
 * @param enableInlineEdit    whether per-file edits are allowed (REELMARK_METADATA_ENABLE_INLINE_EDIT, true)
 * @param maxCommentBytes     the largest comment written, in UTF-8 bytes (REELMARK_METADATA_MAX_COMMENT_BYTES, 1 MiB)
 * @param nativeReader        read MP4/MOV/MKV comments in Java while planning, asking ffprobe only when unsure
 *                            (REELMARK_METADATA_NATIVE_READER, true; false: one ffprobe per file)
 */
public record TagConfig(int probeThreads, int maxConcurrentWrites, int backupRetentionDays, Duration operationTimeout,
                        boolean enableSse, int pageSize, boolean enableInlineEdit, int maxCommentBytes,
                        boolean nativeReader) {

    public static TagConfig defaults() {
        return fromEnvironment(Map.of());
    }

    public static TagConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static TagConfig fromEnvironment(Map<String, String> env) {
        int cores = Math.max(2, Runtime.getRuntime().availableProcessors());
        return new TagConfig(
                intOf(env, "REELMARK_METADATA_MAX_CONCURRENT_PROBES", cores, 1, 64),
                intOf(env, "REELMARK_METADATA_MAX_CONCURRENT_WRITES", Math.min(4, cores), 1, 16),
                intOf(env, "REELMARK_METADATA_BACKUP_RETENTION_DAYS", 90, 0, 36500),
                Duration.ofSeconds(intOf(env, "REELMARK_METADATA_OPERATION_TIMEOUT_SECONDS", 3600, 1, 86400)),
                boolOf(env, "REELMARK_METADATA_ENABLE_SSE", boolOf(env, "REELMARK_METADATA_ENABLE_WEBSOCKET", true)),
                intOf(env, "REELMARK_METADATA_PREVIEW_PAGE_SIZE", 50, 1, 1000),
                boolOf(env, "REELMARK_METADATA_ENABLE_INLINE_EDIT", true),
                intOf(env, "REELMARK_METADATA_MAX_COMMENT_BYTES", 1 << 20, 64, 64 << 20),
                boolOf(env, "REELMARK_METADATA_NATIVE_READER", true));
    }

    public TagConfig withMaxConcurrentWrites(int writes) {
        return new TagConfig(probeThreads, writes, backupRetentionDays, operationTimeout, enableSse, pageSize,
                enableInlineEdit, maxCommentBytes, nativeReader);
    }

    public TagConfig withNativeReader(boolean on) {
        return new TagConfig(probeThreads, maxConcurrentWrites, backupRetentionDays, operationTimeout, enableSse, pageSize,
                enableInlineEdit, maxCommentBytes, on);
    }

    private static int intOf(Map<String, String> env, String name, int def, int min, int max) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) return def;
        try {
            int v = Integer.parseInt(raw.trim());
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new IllegalArgumentException(name + " must be an integer from " + min + " to " + max + ", got '" + raw + "'");
    }

    private static boolean boolOf(Map<String, String> env, String name, boolean def) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) return def;
        return switch (raw.trim().toLowerCase()) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, got '" + raw + "'");
        };
    }
}
