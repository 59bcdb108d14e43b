package dev.reelmark.app;

import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.json.Json;
import dev.reelmark.metadata.DeliverySidecars;
import dev.reelmark.sidecar.SidecarExporter;
import dev.reelmark.sidecar.SidecarService;
import dev.reelmark.sidecar.SidecarTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Puts VFX sidecars into metadata deliveries: renders the chosen templates for every video of the project with the
 * sidecar feature's exporter (the same files and layout as {@code POST /api/projects/{id}/export-sidecars}). Glue
 * between two features, so it lives in the composition root.
 */
final class SidecarDelivery implements DeliverySidecars {
    private final SidecarService sidecars;
    private final SidecarExporter exporter;

    SidecarDelivery(SidecarService sidecars, SidecarExporter exporter) {
        this.sidecars = sidecars;
        this.exporter = exporter;
    }

    @Override
    public Package write(long projectId, List<Long> templateIds, Path scratch, boolean includeMedia, boolean serverPaths) {
        List<SidecarTemplate> templates = new ArrayList<>();
        for (int i = 0; i < templateIds.size(); i++) {
            try {
                templates.add(sidecars.get(templateIds.get(i)));
            } catch (DomainException e) {
                if (!(e instanceof NotFound)) throw e;
                throw InvalidInput.field("sidecar_template_ids[" + i + "]", "no sidecar template with id " + templateIds.get(i));
            }
        }
        // the sidecars sit one folder below the package root (sidecars/), the videos at their packaged paths
        SidecarExporter.Result r = exporter.export(sidecars.facts().scope(projectId, null), templates, scratch, 0,
                Json.MAPPER.createArrayNode(), Json.MAPPER.createArrayNode(), new SidecarExporter.Options(serverPaths, 1),
                (done, clip, failures, flush) -> { });
        List<File> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(scratch)) {
            walk.filter(Files::isRegularFile).sorted()
                    .forEach(p -> files.add(new File("sidecars/" + scratch.relativize(p).toString().replace('\\', '/'), p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        java.util.Map<Long, String> videoPaths = new java.util.LinkedHashMap<>();
        if (includeMedia) {
            SidecarExporter.mediaFiles(r.clips(), r.layout()).forEach((name, file) -> files.add(new File(name, file)));
            r.clips().forEach(c -> videoPaths.put(c.segmentId(), r.layout().of(c.segmentId()).mediaPath()));
        }
        return new Package(files, videoPaths);
    }
}
