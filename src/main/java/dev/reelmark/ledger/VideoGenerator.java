package dev.reelmark.ledger;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Makes the video for one ledger entry. {@link LedgerService#generateAndStore} records the entry as
 * {@code generating} before calling it, {@code ready} with the returned path when it returns, and {@code failed}
 * with the exception's message when it throws. Implementations: {@link TitleCardGenerator} (ffmpeg, local) and
 * {@link HttpGenerator} (an external service). Called from job worker threads, so it must be thread-safe.
 */
public interface VideoGenerator {
    /** A short name for messages and job results, e.g. {@code "title-card"}. */
    String name();

    /** Makes the video and returns the path of a complete, existing file. */
    Path generate(Request request) throws Exception;

    /**
     * What to generate.
     *
     * @param key      the entry's key values
     * @param keyNames the configured key names (what an external service is sent)
     * @param prompt   the prompt
     */
    record Request(EntryKey key, LedgerKeys keyNames, String prompt) {
    }

    /**
     * A file name for the entry's video that is safe on every file system and unique per key pair: the keys with
     * anything but letters, digits, '.', '_' and '-' replaced, plus a hash of the exact keys, e.g.
     * {@code harbor-01__1920s-3f2a9c1b.mp4}.
     */
    static String fileNameFor(EntryKey key, String extension) {
        return slug(key.spotId()) + "__" + slug(key.eraId()) + "-" + hash(key.spotId() + "\0" + key.eraId()) + "." + extension;
    }

    private static String slug(String s) {
        String cleaned = s.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[.]+", "_");
        return cleaned.length() > 60 ? cleaned.substring(0, 60) : cleaned;
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
