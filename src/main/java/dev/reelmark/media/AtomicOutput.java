package dev.reelmark.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A temp file beside the final target, renamed into place when complete, so a reader (the web UI, a scanner)
 * never sees a half-written file and a failed run leaves nothing behind. Use with try-with-resources: close()
 * deletes the temp file unless {@link #commit()} moved it.
 */
public final class AtomicOutput implements AutoCloseable {

    private final Path target;
    private final Path temp;
    private boolean committed;

    private AtomicOutput(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
    }

    /** Creates the target's parent directories and an empty, hidden temp file in the same directory. */
    public static AtomicOutput create(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        try {
            Files.createDirectories(dir);
            // Same directory, so the final rename never crosses file systems.
            Path temp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".part");
            return new AtomicOutput(abs, temp);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temp file for " + abs, e);
        }
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
