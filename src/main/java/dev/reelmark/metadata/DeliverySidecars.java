package dev.reelmark.metadata;

import dev.reelmark.errors.InvalidInput;
import java.nio.file.Path;
import java.util.List;

/**
 * VFX sidecars for a delivery, from the sidecar feature: the composition root passes an implementation to
 * {@link MetadataDelivery}, so metadata never reads sidecar tables. Unknown template ids are a 400 naming
 * {@code sidecar_template_ids[i]}.
 */
public interface DeliverySidecars {
    /** One file to package: {@code name} relative to the package root. */
    record File(String name, Path source) {
    }

    /** What to package, and where each segment's video is in the package (empty without the videos). */
    record Package(List<File> files, java.util.Map<Long, String> videoPaths) {
        /** Nothing to package (no sidecars asked for, videos not included). */
        static final Package EMPTY = new Package(List.of(), java.util.Map.of());
    }

    /**
     * Writes the sidecars of the project's videos for these templates under {@code scratch} and lists them (under
     * {@code sidecars/}), with the videos themselves at their packaged paths when {@code includeMedia}. The sidecars
     * reference the videos relative to the package root, or at their absolute server paths with {@code serverPaths}.
     */
    Package write(long projectId, List<Long> templateIds, Path scratch, boolean includeMedia, boolean serverPaths);

    /** No sidecar feature wired: asking for sidecars is a 400. */
    DeliverySidecars NONE = (projectId, templateIds, scratch, includeMedia, serverPaths) -> {
        throw InvalidInput.field("sidecar_template_ids", "sidecars are not available in this server");
    };
}
