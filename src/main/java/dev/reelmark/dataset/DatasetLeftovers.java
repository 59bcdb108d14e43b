package dev.reelmark.dataset;

import dev.reelmark.media.AtomicOutput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What an export that crashed or was interrupted leaves in the datasets folder: the temp files of its outputs
 * ({@code .dataset-<id>.….part}, see {@link AtomicOutput}) and its work folder ({@code .work-<id>}). A finished,
 * failed or cancelled export leaves neither; these remove them after a crash.
 */
final class DatasetLeftovers {
    private static final Pattern NAME = Pattern.compile("^\\.(?:work-(\\d+)|dataset-(\\d+)\\..*" + Pattern.quote(AtomicOutput.PART_SUFFIX) + ")$");

    private DatasetLeftovers() {
    }

    /** Removes the leftovers of export {@code id}. */
    static void remove(Path dir, long id) throws IOException {
        removeAll(dir, x -> x == id);
    }

    /** Removes the leftovers of every export for which {@code removable} says yes. */
    static void removeAll(Path dir, LongPredicate removable) throws IOException {
        if (!Files.isDirectory(dir)) return;
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.toList();
        }
        for (Path p : entries) {
            Matcher m = NAME.matcher(p.getFileName().toString());
            if (!m.matches()) continue;
            long id = Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2));
            if (!removable.test(id)) continue;
            if (Files.isDirectory(p)) DatasetService.deleteTree(p);
            else Files.deleteIfExists(p);
        }
    }
}
