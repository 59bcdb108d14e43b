package dev.reelmark.media;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The directories Reelmark may read media from and write next to. Stored paths are relative to the first root
 * (the data directory) unless absolute; either way the result must stay inside one of the roots, so a catalog
 * row can never point Reelmark at /etc/passwd or at ../../ somewhere else.
 */
public record MediaRoots(List<Path> roots) {
    public MediaRoots {
        if (roots.isEmpty()) throw new IllegalArgumentException("at least one media root is required");
        roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    public static MediaRoots of(Path dataDir) {
        return new MediaRoots(List.of(dataDir));
    }

    /** The confined absolute path of a stored path, or empty when it escapes every root. */
    public Optional<Path> resolve(String stored) {
        if (stored == null || stored.isBlank() || stored.indexOf('\0') >= 0) return Optional.empty();
        Path raw;
        try {
            raw = Path.of(stored);
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
        Path resolved = (raw.isAbsolute() ? raw : roots.get(0).resolve(raw)).normalize();
        return roots.stream().anyMatch(resolved::startsWith) ? Optional.of(resolved) : Optional.empty();
    }
}
