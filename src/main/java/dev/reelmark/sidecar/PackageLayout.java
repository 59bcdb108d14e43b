package dev.reelmark.sidecar;

import dev.reelmark.catalog.SegmentContext;
import dev.reelmark.media.MediaRoots;
import dev.reelmark.media.PortableNames;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where every video and sidecar of an export sits inside the package, decided once for the whole scope so a resumed
 * export names files as the first run did. A video keeps its data-directory path and its own name ({@link
 * PortableNames}: only what a file system cannot hold is replaced); its sidecars are named after it with only the
 * extension changed. Names that would collide on a case-insensitive file system get {@code _segment<id>} before the
 * extension: names that needed no replacement keep theirs, the others go by segment id, so the choice is
 * deterministic. Template folders are unique too (a suffix with the template id), and never the name of a media folder.
 */
public final class PackageLayout {
    /** A video's place: its packaged path (relative to the package root) and the sidecars' path without extension. */
    public record Placed(String mediaPath, String sidecarBase) {
        public String mediaName() {
            return mediaPath.substring(mediaPath.lastIndexOf('/') + 1);
        }
    }

    private final Map<Long, Placed> bySegment;
    private final Set<String> topFolders;

    private PackageLayout(Map<Long, Placed> bySegment) {
        this.bySegment = bySegment;
        this.topFolders = new HashSet<>();
        bySegment.values().forEach(p -> topFolders.add(PortableNames.collisionKey(p.mediaPath().split("/", 2)[0])));
    }

    public Placed of(long segmentId) {
        Placed p = bySegment.get(segmentId);
        if (p == null) throw new IllegalArgumentException("segment " + segmentId + " is not in this export");
        return p;
    }

    /** Lays out the scope's videos; files outside the first media root go under {@code external/segment_<id>/}. */
    public static PackageLayout of(List<SegmentContext> scope, MediaRoots roots) {
        record Wanted(long segmentId, String dir, String name, boolean verbatim, Path file) {
        }
        Path root = roots.roots().get(0);
        List<Wanted> wanted = new ArrayList<>();
        for (SegmentContext s : scope) {
            String stored = s.segment().outputVideoPath();
            Path file = stored == null ? null : roots.resolve(stored).orElse(null);
            String original = stored == null || stored.isBlank() ? "segment_" + s.segmentId()
                    : stored.replace('\\', '/').substring(stored.replace('\\', '/').lastIndexOf('/') + 1);
            String name = PortableNames.element(original);
            String dir;
            if (file != null && file.startsWith(root)) {
                Path parent = root.relativize(file).getParent();
                List<String> parts = new ArrayList<>();
                if (parent != null) parent.forEach(p -> parts.add(PortableNames.element(p.toString())));
                dir = String.join("/", parts);
            } else {
                dir = "external/segment_" + s.segmentId();
            }
            wanted.add(new Wanted(s.segmentId(), dir, name, name.equals(original), file));
        }
        List<Wanted> order = new ArrayList<>(wanted);
        order.sort(Comparator.comparing((Wanted w) -> !w.verbatim).thenComparingLong(Wanted::segmentId));
        Map<String, Path> mediaTaken = new HashMap<>();
        Set<String> basesTaken = new HashSet<>();
        Map<Long, Placed> placed = new HashMap<>();
        for (Wanted w : order) {
            String prefix = w.dir.isEmpty() ? "" : w.dir + "/";
            String media = prefix + w.name;
            for (int n = 1; mediaTaken.containsKey(PortableNames.collisionKey(media))
                    && !same(mediaTaken.get(PortableNames.collisionKey(media)), w.file); n++) {
                media = prefix + suffixed(w.name, w.segmentId, n);
            }
            mediaTaken.putIfAbsent(PortableNames.collisionKey(media), w.file);
            String mediaName = media.substring(prefix.length());
            String base = prefix + PortableNames.stem(mediaName);
            for (int n = 1; basesTaken.contains(PortableNames.collisionKey(base)); n++) {
                base = prefix + PortableNames.stem(suffixed(mediaName, w.segmentId, n));
            }
            basesTaken.add(PortableNames.collisionKey(base));
            placed.put(w.segmentId, new Placed(media, base));
        }
        Map<Long, Placed> inScopeOrder = new LinkedHashMap<>();
        wanted.forEach(w -> inScopeOrder.put(w.segmentId, placed.get(w.segmentId)));
        return new PackageLayout(inScopeOrder);
    }

    private static boolean same(Path a, Path b) {
        return a != null && a.equals(b);
    }

    /** {@code stem_segment<id>[_n].ext}. */
    private static String suffixed(String name, long segmentId, int n) {
        return PortableNames.stem(name) + "_segment" + segmentId + (n > 1 ? "_" + n : "") + PortableNames.extension(name);
    }

    /**
     * One folder per template, in the given order: its slug, or {@code <slug>_<id>} when an earlier template has the
     * same slug (ignoring case) or a video folder has that name.
     */
    public Map<Long, String> templateFolders(List<SidecarTemplate> templates) {
        Map<Long, String> out = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>(topFolders);
        for (SidecarTemplate t : templates) {
            if (out.containsKey(t.id())) continue;
            String folder = t.slug();
            if (taken.contains(PortableNames.collisionKey(folder))) folder = folder + "_" + t.id();
            for (int n = 2; taken.contains(PortableNames.collisionKey(folder)); n++) folder = t.slug() + "_" + t.id() + "_" + n;
            taken.add(PortableNames.collisionKey(folder));
            out.put(t.id(), folder);
        }
        return out;
    }
}
