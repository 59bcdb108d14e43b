package dev.reelmark.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The directories Reelmark may read media from and write next to. Stored paths are relative to the first root
 * (the data directory) unless absolute; either way the result must stay inside one of the roots, so a catalog
 * row can never point Reelmark at /etc/passwd or at ../../ somewhere else.
 *
 * <p>Confinement is checked on real paths: symbolic links are followed (with {@code toRealPath}) before the check,
 * so a link inside the data directory that points outside it is refused, not read. Writers use
 * {@link #resolveForWrite}, which also refuses a link in place of the file itself.
 */
public record MediaRoots(List<Path> roots) {
    public MediaRoots {
        if (roots.isEmpty()) throw new IllegalArgumentException("at least one media root is required");
        // Real paths where the directories exist, so results (real paths too) can be compared and relativized.
        roots = roots.stream().map(p -> p.toAbsolutePath().normalize())
                .map(p -> Files.isDirectory(p) ? real(p).orElse(p) : p).toList();
    }

    public static MediaRoots of(Path dataDir) {
        return new MediaRoots(List.of(dataDir));
    }

    /**
     * The confined real path of a stored path, or empty when it (or what a link in it points to) escapes every
     * root. A file that does not exist yet resolves through its deepest existing directory.
     */
    public Optional<Path> resolve(String stored) {
        return lexical(stored).flatMap(MediaRoots::real).filter(this::insideRealRoot);
    }

    /** {@link #resolve} for a path already held as a {@link Path}. */
    public Optional<Path> resolve(Path path) {
        return path == null ? Optional.empty() : resolve(path.toString());
    }

    /** True when {@code path} resolves inside a root (see {@link #resolve}). */
    public boolean contains(Path path) {
        return resolve(path).isPresent();
    }

    /**
     * The path to write a file at: confined like {@link #resolve}, and the file itself must not be a symbolic
     * link (checked without following it), so a write can never land in a link's target or replace the link.
     * Whether it is a writable regular file is the writer's own check.
     */
    public Optional<Path> resolveForWrite(String stored) {
        Optional<Path> lexical = lexical(stored);
        if (lexical.isEmpty() || Files.isSymbolicLink(lexical.get())) return Optional.empty();
        return resolve(stored);
    }

    private Optional<Path> lexical(String stored) {
        if (stored == null || stored.isBlank() || stored.indexOf('\0') >= 0) return Optional.empty();
        Path raw;
        try {
            raw = Path.of(stored);
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
        // Confinement itself is decided on the real path (see insideRealRoot).
        return Optional.of((raw.isAbsolute() ? raw : roots.get(0).resolve(raw)).normalize());
    }

    private boolean insideRealRoot(Path real) {
        for (Path root : roots) {
            Optional<Path> realRoot = real(root);
            if (realRoot.isPresent() && real.startsWith(realRoot.get())) return true;
        }
        return false;
    }

    /** The real path of {@code p}, or of its deepest existing ancestor with the rest appended. */
    static Optional<Path> real(Path p) {
        Path existing = p;
        Path rest = null;
        while (existing != null) {
            try {
                Path real = existing.toRealPath();
                return Optional.of(rest == null ? real : real.resolve(rest).normalize());
            } catch (java.nio.file.NoSuchFileException e) {
                // a dangling link at this level points nowhere real: refuse rather than guess
                if (Files.isSymbolicLink(existing)) return Optional.empty();
                Path name = existing.getFileName();
                if (name == null) return Optional.empty();
                rest = rest == null ? name : name.resolve(rest);
                existing = existing.getParent();
            } catch (IOException | SecurityException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
