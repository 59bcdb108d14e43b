package dev.reelmark.media;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.UUID;

/**
 * The permissions people expect on files they are handed (metadata files, deliveries, generated clips): those
 * {@code touch} and {@code mkdir} give under the process's umask, not the owner-only 600/700 of temp files.
 * Java cannot read the umask, so it is learned once by creating a file and a folder and reading their modes.
 * A no-op on file systems without POSIX permissions.
 */
public final class FileModes {
    private static volatile Set<PosixFilePermission> file;
    private static volatile Set<PosixFilePermission> dir;

    private FileModes() {
    }

    /** Gives a file written through a temp file the mode a new file gets here; returns it. */
    public static Path asNewFile(Path path) {
        apply(path, false);
        return path;
    }

    /** Gives a folder made as a temp folder the mode a new folder gets here; returns it. */
    public static Path asNewDirectory(Path path) {
        apply(path, true);
        return path;
    }

    /** The mode a new file gets under this process's umask (0666 less the umask). */
    public static Set<PosixFilePermission> newFile(Path near) throws IOException {
        learn(near);
        return file;
    }

    /** The mode a new folder gets under this process's umask (0777 less the umask). */
    public static Set<PosixFilePermission> newDirectory(Path near) throws IOException {
        learn(near);
        return dir;
    }

    private static void apply(Path path, boolean directory) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) return;
        try {
            Files.setPosixFilePermissions(path, directory ? newDirectory(path.getParent()) : newFile(path.getParent()));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // the file stays as it is: readable by its owner, which is what a temp file gives
        }
    }

    private static synchronized void learn(Path near) throws IOException {
        if (file != null) return;
        Path base = near != null && Files.isDirectory(near) && Files.isWritable(near) ? near : Path.of(System.getProperty("java.io.tmpdir"));
        String name = ".reelmark-umask-" + UUID.randomUUID();
        Path f = base.resolve(name + ".f");
        Path d = base.resolve(name + ".d");
        try {
            Files.createFile(f); // open(O_CREAT, 0666): the umask applies
            Files.createDirectory(d); // mkdir(0777): likewise
            dir = Set.copyOf(Files.getPosixFilePermissions(d));
            file = Set.copyOf(Files.getPosixFilePermissions(f));
        } finally {
            Files.deleteIfExists(f);
            Files.deleteIfExists(d);
        }
    }
}
