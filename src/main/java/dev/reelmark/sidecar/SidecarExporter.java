package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.json.Json;
import dev.reelmark.media.AtomicOutput;
import dev.reelmark.media.MediaRoots;
import dev.reelmark.media.SafeZip;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes the sidecars of a scope into a directory: per video {@code <template>/<video dir>/<video name>.xml|.csv}
 * (the video's own name with the sidecar's extension), per scene {@code <template>/<character>/<scene>.otio}, per
 * export {@code <template>/<template>.csv|.nk} and {@code <template>/<template>_<fps>fps.ale}. Every file goes
 * through a temp file and a rename. Clips whose video is missing or unreadable are reported, not fatal.
 */
public final class SidecarExporter {
    /** Segments read from the catalog together (quality and frame metrics in one query each). */
    static final int BATCH = 250;
    /** Rendered sidecars waiting for a writer thread, at most. */
    static final int IN_FLIGHT = 256;
    private final ClipFacts facts;
    private final MediaRoots roots;

    public SidecarExporter(ClipFacts facts, MediaRoots roots) {
        this.facts = facts;
        this.roots = roots;
    }

    /**
     * Called after each video with its index + 1; may throw to stop (a job's pause or cancel). Files are written by a
     * few I/O threads: call {@code flush} before recording that everything up to {@code done} is on disk.
     */
    public interface Progress {
        void videoDone(int done, Clip clip, ArrayNode failures, Runnable flush);
    }

    /**
     * How files reference the videos: relative to the package root (default), whose root lies
     * {@code levelsBelowRoot} folders above the export directory (0 for a sidecar export, 1 inside a delivery's
     * {@code sidecars/}), or with {@code serverPaths} at their absolute paths on the server (media already there).
     */
    public record Options(boolean serverPaths, int levelsBelowRoot) {
        public static final Options PACKAGE = new Options(false, 0);
    }

    public record Result(int videos, int files, ArrayNode failures, ArrayNode warnings, Map<String, Integer> filesByTemplate,
                         Map<String, String> folders, List<Clip> clips, PackageLayout layout) {
        public ObjectNode toJson() {
            ObjectNode o = Json.object().put("videos", videos).put("files", files).put("failed", failures.size());
            o.set("files_by_template", Json.MAPPER.valueToTree(filesByTemplate));
            o.set("folders", Json.MAPPER.valueToTree(folders));
            o.set("failures", failures);
            o.set("warnings", warnings);
            return o;
        }
    }

    private record Bound(SidecarTemplate template, TemplateSpec spec, SidecarFormat format, String folder) {
    }

    /** {@link #export(List, List, Path, int, ArrayNode, ArrayNode, Options, Progress)} with package-relative paths. */
    public Result export(List<dev.reelmark.catalog.SegmentContext> scope, List<SidecarTemplate> templates, Path outDir, int start,
                         ArrayNode failures, Progress progress) {
        return export(scope, templates, outDir, start, failures, Json.MAPPER.createArrayNode(), Options.PACKAGE, progress);
    }

    /**
     * Writes everything into {@code outDir}. Videos before {@code start} were written by an earlier run: they are
     * only read again for the per-scene and per-export files. {@code failures} and {@code warnings} carry earlier
     * runs' entries (a warning: frame metrics past a video's end, not written).
     */
    public Result export(List<dev.reelmark.catalog.SegmentContext> scope, List<SidecarTemplate> templates, Path outDir, int start,
                         ArrayNode failures, ArrayNode warnings, Options options, Progress progress) {
        PackageLayout layout = PackageLayout.of(scope, roots);
        Map<Long, String> folders = layout.templateFolders(templates);
        List<Bound> bound = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (SidecarTemplate t : templates) {
            if (seen.add(t.id())) bound.add(new Bound(t, t.spec(), SidecarFormat.parse("format", t.format()), folders.get(t.id())));
        }
        boolean needFrames = bound.stream().anyMatch(b -> b.format == SidecarFormat.CSV);
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, String> folderNames = new LinkedHashMap<>();
        bound.forEach(b -> {
            counts.put(b.template.name(), 0);
            folderNames.put(b.template.name(), b.folder);
        });
        List<Clip> ok = new ArrayList<>();
        try (FileWriters files = new FileWriters()) {
            perVideo(scope, bound, outDir, start, failures, warnings, options, layout, progress, needFrames, counts, ok, files);
            files.flush();
        }
        for (Bound b : bound) {
            String folder = b.folder;
            switch (b.format.granularity()) {
                case VIDEO -> { }
                case SCENE -> {
                    Map<Long, List<Clip>> byScene = new LinkedHashMap<>();
                    ok.forEach(c -> byScene.computeIfAbsent(c.sceneId(), k -> new ArrayList<>()).add(c));
                    for (List<Clip> clips : byScene.values()) {
                        write(outDir, folder + "/" + sceneFileName(clips.get(0)) + ".otio",
                                out -> SidecarRenderer.otio(b.spec, clips.get(0).sceneName(), clips, out));
                        counts.merge(b.template.name(), 1, Integer::sum);
                    }
                }
                case EXPORT -> {
                    if (b.format == SidecarFormat.ALE) {
                        // one ALE per frame rate and video format: an ALE heading has one of each
                        Map<String, List<Clip>> byRate = new TreeMap<>();
                        Map<String, FrameRate> rates = new HashMap<>();
                        for (Clip c : ok) {
                            FrameRate rate = FrameRate.of(c.fps());
                            String key = rate.fileLabel() + "_" + SidecarRenderer.videoFormat(c);
                            rates.put(key, rate);
                            byRate.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
                        }
                        for (var e : byRate.entrySet()) {
                            write(outDir, folder + "/" + folder + "_" + e.getKey() + ".ale", out -> SidecarRenderer.ale(b.spec,
                                    e.getValue(), rates.get(e.getKey()), SidecarRenderer.videoFormat(e.getValue().get(0)), out));
                            counts.merge(b.template.name(), 1, Integer::sum);
                        }
                    } else {
                        String ext = b.format == SidecarFormat.NK ? "nk" : "csv";
                        int levels = options.serverPaths() ? -1 : 1 + options.levelsBelowRoot();
                        write(outDir, folder + "/" + folder + "." + ext, out -> {
                            if (b.format == SidecarFormat.NK) SidecarRenderer.nk(b.spec, ok, levels, out);
                            else SidecarRenderer.clipCsv(b.spec, ok, out);
                        });
                        counts.merge(b.template.name(), 1, Integer::sum);
                    }
                }
            }
        }
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        return new Result(scope.size(), total, failures, warnings, counts, folderNames, ok, layout);
    }

    /** The clip as this export references it (see {@link Options}). */
    private static Clip link(Clip clip, PackageLayout.Placed placed, Options options) {
        if (!options.serverPaths()) return clip.linked(placed.mediaName(), placed.mediaPath());
        Path file = clip.file();
        return file == null ? clip : clip.linked(file.getFileName().toString(), file.toString().replace('\\', '/'));
    }

    private void perVideo(List<dev.reelmark.catalog.SegmentContext> scope, List<Bound> bound, Path outDir, int start, ArrayNode failures,
                          ArrayNode warnings, Options options, PackageLayout layout, Progress progress, boolean needFrames,
                          Map<String, Integer> counts, List<Clip> ok, FileWriters files) {
        List<Clip> batch = List.of();
        Map<Long, TreeMap<Long, ClipFacts.FrameRow>> batchFrames = Map.of();
        for (int i = 0; i < scope.size(); i++) {
            if (i % BATCH == 0) {
                batch = facts.clips(scope.subList(i, Math.min(scope.size(), i + BATCH)));
                batchFrames = needFrames && i + BATCH > start
                        ? facts.frames(batch.stream().filter(c -> c.tech() != null).map(Clip::segmentId).toList()) : Map.of();
            }
            Clip raw = batch.get(i % BATCH);
            if (raw.tech() == null) {
                if (i >= start) failures.addObject().put("segment_id", raw.segmentId()).put("error", raw.techError());
                if (i >= start) progress.videoDone(i + 1, raw, failures, files::flush);
                continue;
            }
            PackageLayout.Placed placed = layout.of(raw.segmentId());
            Clip clip = link(raw, placed, options);
            ok.add(clip);
            for (Bound b : bound) {
                if (b.format.granularity() == SidecarFormat.Granularity.VIDEO) counts.merge(b.template.name(), 1, Integer::sum);
            }
            if (i < start) continue;
            TreeMap<Long, ClipFacts.FrameRow> frames = needFrames ? batchFrames.getOrDefault(clip.segmentId(), new TreeMap<>()) : null;
            boolean warned = false;
            for (Bound b : bound) {
                if (b.format.granularity() != SidecarFormat.Granularity.VIDEO) continue;
                String name = b.folder + "/" + placed.sidecarBase() + "." + b.format.extension();
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(4096);
                if (b.format == SidecarFormat.XML) {
                    SidecarRenderer.xml(b.spec, clip, bytes);
                } else {
                    SidecarRenderer.PastTheEnd past = SidecarRenderer.frameCsv(b.spec, clip, frames, bytes);
                    if (past != null && !warned) {
                        warned = true;
                        warnings.addObject().put("segment_id", clip.segmentId()).put("file", placed.mediaPath())
                                .put("frame_count", past.frameCount()).put("first_frame", past.firstFrame())
                                .put("last_frame", past.lastFrame()).put("message", past.message());
                    }
                }
                files.write(outDir, name, bytes);
            }
            progress.videoDone(i + 1, clip, failures, files::flush);
        }
    }

    /**
     * Writes files on a few threads (file creation is I/O-bound: open and rename wait on the file system journal),
     * at most {@value #IN_FLIGHT} at a time so memory stays bounded; {@link #flush} waits for all and rethrows the
     * first failure.
     */
    static final class FileWriters implements AutoCloseable {
        static final int THREADS = 4;
        private final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "reelmark-sidecar-writer");
            t.setDaemon(true);
            return t;
        });
        private final java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(IN_FLIGHT);
        private final java.util.concurrent.ConcurrentLinkedQueue<RuntimeException> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();
        /** Directories made by this export's writers. */
        private final Set<Path> created = java.util.concurrent.ConcurrentHashMap.newKeySet();

        void write(Path outDir, String name, java.io.ByteArrayOutputStream bytes) {
            rethrow();
            slots.acquireUninterruptibly();
            pool.execute(() -> {
                try {
                    SidecarExporter.write(outDir, name, out -> {
                        try {
                            bytes.writeTo(out);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, created);
                } catch (RuntimeException e) {
                    errors.add(e);
                } finally {
                    slots.release();
                }
            });
        }

        void flush() {
            slots.acquireUninterruptibly(IN_FLIGHT);
            slots.release(IN_FLIGHT);
            rethrow();
        }

        private void rethrow() {
            RuntimeException e = errors.poll();
            if (e != null) throw e;
        }

        @Override
        public void close() {
            pool.shutdown();
            try {
                pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code <character>/<scene>_scene<id>}: the names as typed, only what a file system cannot hold replaced. */
    static String sceneFileName(Clip clip) {
        return dev.reelmark.media.PortableNames.element(clip.characterName()) + "/"
                + dev.reelmark.media.PortableNames.element(clip.sceneName() + "_scene" + clip.sceneId());
    }

    /** Writes a file as a hidden temp file beside it, renamed over the target when complete. */
    static void write(Path outDir, String name, Consumer<OutputStream> body) {
        write(outDir, name, body, new HashSet<>());
    }

    /**
     * As {@link #write(Path, String, Consumer)}; {@code created} holds the directories this export already made,
     * which saves a failing mkdir (and its exception) per file.
     */
    static void write(Path outDir, String name, Consumer<OutputStream> body, Set<Path> created) {
        Path target = outDir.resolve(SafeZip.checkName(name)).normalize();
        if (!target.startsWith(outDir.normalize())) throw new IllegalArgumentException("sidecar path escapes the export: " + name);
        Path dir = target.getParent();
        Path temp = dir.resolve("." + target.getFileName() + ".part");
        try {
            if (!created.contains(dir)) {
                Files.createDirectories(dir);
                created.add(dir);
            }
            try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(temp), 1 << 14)) {
                body.accept(os);
            }
            Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort
            }
            throw e;
        }
    }

    /**
     * ZIPs a finished export directory (sorted names), plus the videos at their packaged paths when asked (STORED),
     * so every path the sidecars reference resolves inside the unpacked package.
     */
    public long zip(Path outDir, Path zipFile, List<Clip> media, PackageLayout layout) throws IOException {
        return zip(outDir, zipFile, mediaFiles(media, layout));
    }

    /** As above, with the videos given as packaged path → file (a signed copy, say). */
    public long zip(Path outDir, Path zipFile, Map<String, Path> media) throws IOException {
        try (AtomicOutput out = AtomicOutput.create(zipFile)) {
            try (SafeZip zip = SafeZip.create(out.temp()); Stream<Path> walk = Files.walk(outDir)) {
                for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                    String name = outDir.relativize(f).toString().replace('\\', '/');
                    if (f.getFileName().toString().startsWith(".")) continue;
                    zip.addFile(name, f);
                }
                for (var m : media.entrySet()) zip.addFile(m.getKey(), m.getValue());
            }
            dev.reelmark.media.FileModes.asNewFile(out.commit());
        }
        return Files.size(zipFile);
    }

    /** The videos to package: packaged path → file on the server (each once; missing files left out). */
    public static Map<String, Path> mediaFiles(List<Clip> media, PackageLayout layout) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (Clip c : media) {
            if (c.file() == null || !Files.isRegularFile(c.file())) continue;
            out.putIfAbsent(layout.of(c.segmentId()).mediaPath(), c.file());
        }
        return out;
    }
}
