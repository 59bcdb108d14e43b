package dev.reelmark.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;

/**
 * A temp file beside the final target, renamed into place when complete, so a reader (the web UI, a scanner)
 * never sees a half-written file and a failed run leaves nothing behind. Use with try-with-resources: close()
 * deletes the temp file unless {@link #commit()} moved it.
 */
public final class AtomicOutput implements AutoCloseable {

    public static final String PART_SUFFIX = ".part";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path target;
    private final Path temp;
    private boolean committed;

    private AtomicOutput(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
    }

    /**
     * Creates the target's parent directories and an empty, hidden temp file in the same directory. The temp file
     * is created like any file the process writes (mode 666 less the umask), not private like
     * {@link Files#createTempFile}: it becomes the delivered file, which the studio's other users and tools read.
     */
    public static AtomicOutput create(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        try {
            Files.createDirectories(dir);
            // Same directory, so the final rename never crosses file systems.
            for (int attempt = 0; ; attempt++) {
                Path temp = dir.resolve(tempName(abs.getFileName().toString()));
                try {
                    Files.createFile(temp);
                    return new AtomicOutput(abs, temp);
                } catch (FileAlreadyExistsException e) {
                    if (attempt >= 100) throw e;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temp file for " + abs, e);
        }
    }

    /** The temp files of {@code target} are named {@code .<name>.<random>.part}. */
    static String tempName(String fileName) {
        return "." + fileName + "." + Long.toUnsignedString(RANDOM.nextLong()) + PART_SUFFIX;
    }

    /** Whether {@code file} is a temp file this class made for a target named {@code targetName}. */
    public static boolean isTempOf(Path file, String targetName) {
        String n = file.getFileName().toString();
        return n.startsWith("." + targetName + ".") && n.endsWith(PART_SUFFIX);
    }

    public Path temp() {
        return temp;
    }

    public Path target() {
        return target;
    }

    /** Renames the temp file over the target (replacing it) and returns the target. */
    public Path commit() {
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot move " + temp + " to " + target, e);
        }
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort: a stray hidden .part file is harmless
            }
        }
    }
}
