package dev.reelmark.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one ffprobe cache of the server: answers are kept by file identity (real path, size, modification time), so
 * an edited, re-rendered or replaced clip is probed again, and at most {@code maxEntries} answers are kept (least
 * recently used go first). Thread-safe; ffprobe runs outside the lock.
 */
public final class ProbeCache {
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    private final Supplier<FfmpegTools> tools;
    private final int maxEntries;
    private final LinkedHashMap<String, ProbeResult> entries;
    private long probes;

    /** {@code tools} is asked for on first use, so a server without a working ffmpeg still serves everything else. */
    public ProbeCache(Supplier<FfmpegTools> tools, int maxEntries) {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1");
        this.tools = tools;
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ProbeResult> eldest) {
                return size() > ProbeCache.this.maxEntries;
            }
        };
    }

    public ProbeCache(Supplier<FfmpegTools> tools) {
        this(tools, DEFAULT_MAX_ENTRIES);
    }

    /** ffprobe's answer for this file, from the cache while the file is unchanged. Throws {@link MediaException}. */
    public ProbeResult probe(Path file) {
        String key = identity(file);
        synchronized (entries) {
            ProbeResult hit = entries.get(key);
            if (hit != null) return hit;
        }
        ProbeResult fresh = new MediaProbe(tools.get()).probe(file);
        synchronized (entries) {
            probes++;
            entries.put(key, fresh);
        }
        return fresh;
    }

    /** How many answers are kept now. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** How many times ffprobe ran through this cache. */
    public long probeCount() {
        synchronized (entries) {
            return probes;
        }
    }

    /** "real path|size|mtime millis": what makes two reads of a file the same file. */
    public static String identity(Path file) {
        try {
            Path real = file.toRealPath();
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
            return real + "|" + a.size() + "|" + a.lastModifiedTime().toMillis();
        } catch (NoSuchFileException e) {
            throw new MediaException("Media file does not exist: " + file.toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new MediaException("Cannot read media file " + file + ": " + e.getMessage(), e);
        }
    }
}
