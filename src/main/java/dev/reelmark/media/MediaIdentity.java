package dev.reelmark.media;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity of a media file: its real path, size, modification time and SHA-256. The content hash decides
 * whether two identities are the same file; size and mtime only let a check skip re-hashing a file that has not
 * been touched. Hashes are cached by (real path, size, mtime), so a file is read once per version of it.
 */
public final class MediaIdentity {
    /** What a file was when it was used. {@code mtime} at the file system's precision. */
    public record Identity(@JsonProperty("real_path") String realPath, @JsonProperty("size") long size,
                           @JsonProperty("mtime") Instant mtime, @JsonProperty("sha256") String sha256) {
        public Identity {
            Objects.requireNonNull(realPath, "realPath");
            Objects.requireNonNull(mtime, "mtime");
            Objects.requireNonNull(sha256, "sha256");
        }

        boolean sameStat(String path, long size, Instant mtime) {
            return realPath.equals(path) && this.size == size && this.mtime.equals(mtime);
        }
    }

    /** How a file compares with a recorded identity. */
    public enum Status {
        /** Same content (possibly touched or moved, the hash says it is the same bytes). */
        UNCHANGED,
        /** Different bytes: re-rendered, replaced or corrupted. */
        CHANGED,
        /** No regular file at the path any more (or it cannot be read). */
        MISSING
    }

    /** A comparison with a recorded hash: {@code current} is null when the file is missing. */
    public record Check(Status status, String recordedSha256, Identity current, String problem) {
        public boolean matches() {
            return status == Status.UNCHANGED;
        }
    }

    private static final MediaIdentity SHARED = new MediaIdentity(20_000);

    /** One cache for the whole process: a hash keyed by real path, size and mtime is true for every reader. */
    public static MediaIdentity shared() {
        return SHARED;
    }

    private record Key(String realPath, long size, Instant mtime) {
    }

    private final Map<Key, String> cache;
    private final java.util.concurrent.atomic.AtomicLong hashedFiles = new java.util.concurrent.atomic.AtomicLong();

    public MediaIdentity(int maxCachedHashes) {
        if (maxCachedHashes < 1) throw new IllegalArgumentException("maxCachedHashes must be at least 1");
        this.cache = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, String> eldest) {
                return size() > maxCachedHashes;
            }
        };
    }

    /** How many files were actually read and hashed (cache misses), for tests and benchmarks. */
    public long hashedFiles() {
        return hashedFiles.get();
    }

    /** The identity of the regular file at {@code file}, hashing it unless its (real path, size, mtime) is cached. */
    public Identity of(Path file) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path real = file.toRealPath();
            BasicFileAttributes before = Files.readAttributes(real, BasicFileAttributes.class);
            if (!before.isRegularFile()) throw new IOException("not a regular file: " + file);
            Key key = new Key(real.toString(), before.size(), before.lastModifiedTime().toInstant());
            String cached;
            synchronized (cache) {
                cached = cache.get(key);
            }
            if (cached != null) return new Identity(key.realPath(), key.size(), key.mtime(), cached);
            String hash = sha256(real);
            hashedFiles.incrementAndGet();
            BasicFileAttributes after = Files.readAttributes(real, BasicFileAttributes.class);
            boolean stable = after.size() == before.size() && after.lastModifiedTime().equals(before.lastModifiedTime());
            if (stable) {
                synchronized (cache) {
                    cache.put(key, hash);
                }
                return new Identity(key.realPath(), key.size(), key.mtime(), hash);
            }
            // Written to while we read it: the hash describes no version of the file. Read it again.
            if (attempt >= 2) throw new IOException("file keeps changing while it is read: " + file);
        }
    }

    /**
     * {@link #find}, but only for a file whose real path (symbolic links followed) lies inside one of the roots:
     * a link in the data directory never makes Reelmark read a file outside it.
     */
    public Optional<Identity> find(Path file, MediaRoots roots) {
        return confined(file, roots) ? find(file) : Optional.empty();
    }

    /** {@link #check}, refusing (as missing) a file whose real path lies outside the roots. */
    public Check check(Path file, Identity recorded, MediaRoots roots) {
        try {
            if (Files.exists(file) && !confined(file, roots)) {
                return new Check(Status.MISSING, recorded.sha256(), null, "its real path is outside the media roots");
            }
        } catch (SecurityException e) {
            return new Check(Status.MISSING, recorded.sha256(), null, e.getMessage());
        }
        return check(file, recorded);
    }

    /** Whether the file's real path is inside one of the roots' real paths (false when it cannot be resolved). */
    public static boolean confined(Path file, MediaRoots roots) {
        try {
            Path real = file.toRealPath();
            for (Path root : roots.roots()) {
                Path r;
                try {
                    r = root.toRealPath();
                } catch (IOException e) {
                    r = root;
                }
                if (real.startsWith(r)) return true;
            }
            return false;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** {@link #of}, or empty when there is no readable regular file at {@code file}. */
    public Optional<Identity> find(Path file) {
        try {
            return Optional.of(of(file));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * Compares the file now at {@code file} with {@code recorded}. Same real path, size and mtime: unchanged
     * without reading the file. Otherwise the content hash decides.
     */
    public Check check(Path file, Identity recorded) {
        Objects.requireNonNull(recorded, "recorded");
        try {
            Path real = file.toRealPath();
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
            if (!a.isRegularFile()) return new Check(Status.MISSING, recorded.sha256(), null, "not a regular file");
            if (recorded.sameStat(real.toString(), a.size(), a.lastModifiedTime().toInstant())) {
                return new Check(Status.UNCHANGED, recorded.sha256(), recorded, null);
            }
            Identity now = of(file);
            return new Check(now.sha256().equals(recorded.sha256()) ? Status.UNCHANGED : Status.CHANGED, recorded.sha256(), now, null);
        } catch (NoSuchFileException e) {
            return new Check(Status.MISSING, recorded.sha256(), null, "no such file");
        } catch (IOException | SecurityException e) {
            return new Check(Status.MISSING, recorded.sha256(), null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Compares the file with a recorded content hash only (nothing to skip the read with). */
    public Check checkHash(Path file, String recordedSha256) {
        try {
            Identity now = of(file);
            return new Check(now.sha256().equals(recordedSha256) ? Status.UNCHANGED : Status.CHANGED, recordedSha256, now, null);
        } catch (NoSuchFileException e) {
            return new Check(Status.MISSING, recordedSha256, null, "no such file");
        } catch (IOException | SecurityException e) {
            return new Check(Status.MISSING, recordedSha256, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** SHA-256 of a file's bytes, lowercase hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
