package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.http.Json;
import dev.reelmark.media.AtomicOutput;
import dev.reelmark.media.MediaRoots;
import dev.reelmark.media.SafeZip;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    public record Result(int videos, int files, ArrayNode failures, Map<String, Integer> filesByTemplate, List<Clip> clips) {
        public ObjectNode toJson() {
            ObjectNode o = Json.object().put("videos", videos).put("files", files).put("failed", failures.size());
            o.set("files_by_template", Json.MAPPER.valueToTree(filesByTemplate));
            o.set("failures", failures);
            return o;
        }
    }

    private record Bound(SidecarTemplate template, TemplateSpec spec, SidecarFormat format) {
    }

    /**
     * Writes everything into {@code outDir}. Videos before {@code start} were written by an earlier run: they are
     * only read again for the per-scene and per-export files. {@code failures} carries earlier runs' failures.
     */
    public Result export(List<dev.reelmark.catalog.SegmentContext> scope, List<SidecarTemplate> templates, Path outDir, int start,
                         ArrayNode failures, Progress progress) {
        List<Bound> bound = templates.stream().map(t -> new Bound(t, t.spec(), SidecarFormat.parse("format", t.format()))).toList();
        boolean needFrames = bound.stream().anyMatch(b -> b.format == SidecarFormat.CSV);
        Map<String, Integer> counts = new LinkedHashMap<>();
        bound.forEach(b -> counts.put(b.template.name(), 0));
        Set<String> used = new HashSet<>();
        List<Clip> ok = new ArrayList<>();
        try (FileWriters files = new FileWriters()) {
            perVideo(scope, bound, outDir, start, failures, progress, needFrames, used, ok, files);
            files.flush();
        }
        for (Bound b : bound) {
            String slug = b.template.slug();
            switch (b.format.granularity()) {
                case VIDEO -> counts.put(b.template.name(), countFiles(outDir.resolve(slug)));
                case SCENE -> {
                    Map<Long, List<Clip>> byScene = new LinkedHashMap<>();
                    ok.forEach(c -> byScene.computeIfAbsent(c.sceneId(), k -> new ArrayList<>()).add(c));
                    for (List<Clip> clips : byScene.values()) {
                        write(outDir, slug + "/" + sceneFileName(clips.get(0)) + ".otio",
                                out -> SidecarRenderer.otio(b.spec, clips.get(0).sceneName(), clips, out));
                        counts.merge(b.template.name(), 1, Integer::sum);
                    }
                }
                case EXPORT -> {
                    if (b.format == SidecarFormat.ALE) {
                        Map<Integer, List<Clip>> byFps = new TreeMap<>();
                        ok.forEach(c -> byFps.computeIfAbsent(c.timecodeBase(), k -> new ArrayList<>()).add(c));
                        for (var e : byFps.entrySet()) {
                            write(outDir, slug + "/" + slug + "_" + e.getKey() + "fps.ale", out -> SidecarRenderer.ale(b.spec, e.getValue(), e.getKey(), out));
                            counts.merge(b.template.name(), 1, Integer::sum);
                        }
                    } else {
                        String ext = b.format == SidecarFormat.NK ? "nk" : "csv";
                        write(outDir, slug + "/" + slug + "." + ext, out -> {
                            if (b.format == SidecarFormat.NK) SidecarRenderer.nk(b.spec, ok, out);
                            else SidecarRenderer.clipCsv(b.spec, ok, out);
                        });
                        counts.merge(b.template.name(), 1, Integer::sum);
                    }
                }
            }
        }
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        return new Result(scope.size(), total, failures, counts, ok);
    }

    private void perVideo(List<dev.reelmark.catalog.SegmentContext> scope, List<Bound> bound, Path outDir, int start, ArrayNode failures,
                          Progress progress, boolean needFrames, Set<String> used, List<Clip> ok, FileWriters files) {
        List<Clip> batch = List.of();
        Map<Long, TreeMap<Long, ClipFacts.FrameRow>> batchFrames = Map.of();
        for (int i = 0; i < scope.size(); i++) {
            if (i % BATCH == 0) {
                batch = facts.clips(scope.subList(i, Math.min(scope.size(), i + BATCH)));
                batchFrames = needFrames && i + BATCH > start
                        ? facts.frames(batch.stream().filter(c -> c.tech() != null).map(Clip::segmentId).toList()) : Map.of();
            }
            Clip clip = batch.get(i % BATCH);
            if (clip.tech() == null) {
                if (i >= start) failures.addObject().put("segment_id", clip.segmentId()).put("error", clip.techError());
                if (i >= start) progress.videoDone(i + 1, clip, failures, files::flush);
                continue;
            }
            ok.add(clip);
            if (i < start) {
                for (Bound b : bound) if (b.format.granularity() == SidecarFormat.Granularity.VIDEO) used.add(videoName(b, clip, used, false));
                continue;
            }
            TreeMap<Long, ClipFacts.FrameRow> frames = needFrames ? batchFrames.getOrDefault(clip.segmentId(), new TreeMap<>()) : null;
            for (Bound b : bound) {
                if (b.format.granularity() != SidecarFormat.Granularity.VIDEO) continue;
                String name = videoName(b, clip, used, true);
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(4096);
                if (b.format == SidecarFormat.XML) SidecarRenderer.xml(b.spec, clip, bytes);
                else SidecarRenderer.frameCsv(b.spec, clip, frames, bytes);
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

    /** {@code <character>/<scene>_scene<id>}, from safe name parts. */
    static String sceneFileName(Clip clip) {
        return SafeZip.segment(SidecarTemplate.slug(clip.characterName())) + "/"
                + SafeZip.segment(SidecarTemplate.slug(clip.sceneName())) + "_scene" + clip.sceneId();
    }

    /** The video's own directory (relative to the data directory) and name, with the sidecar extension. */
    private String videoName(Bound b, Clip clip, Set<String> used, boolean claim) {
        String dir = relativeDir(clip);
        String base = b.template.slug() + "/" + (dir.isEmpty() ? "" : dir + "/") + SafeZip.segment(clip.clipName());
        String ext = "." + b.format.extension();
        String name = base + ext;
        if (used.contains(name)) name = base + "_segment" + clip.segmentId() + ext;
        if (claim) used.add(name);
        return SafeZip.checkName(name);
    }

    /** The video's directory relative to the first media root, each part made safe; "external" when elsewhere. */
    public String relativeDir(Clip clip) {
        Path root = roots.roots().get(0);
        if (clip.file() == null || !clip.file().startsWith(root)) return "external/segment_" + clip.segmentId();
        Path parent = root.relativize(clip.file()).getParent();
        if (parent == null) return "";
        List<String> parts = new ArrayList<>();
        parent.forEach(p -> parts.add(SafeZip.segment(p.toString())));
        return String.join("/", parts);
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

    private static int countFiles(Path dir) {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.walk(dir)) {
            return (int) s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ZIPs a finished export directory (sorted names), plus the videos at their data-directory paths when asked. */
    public long zip(Path outDir, Path zipFile, List<Clip> media) throws IOException {
        try (AtomicOutput out = AtomicOutput.create(zipFile)) {
            try (SafeZip zip = SafeZip.create(out.temp()); Stream<Path> walk = Files.walk(outDir)) {
                for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                    String name = outDir.relativize(f).toString().replace('\\', '/');
                    if (f.getFileName().toString().startsWith(".")) continue;
                    zip.addFile(name, f);
                }
                for (Clip c : media) {
                    if (c.file() == null) continue;
                    String name = (relativeDir(c).isEmpty() ? "" : relativeDir(c) + "/") + SafeZip.segment(c.fileName());
                    if (zip.contains(name) || !Files.isRegularFile(c.file())) continue;
                    zip.addFile(name, c.file());
                }
            }
            dev.reelmark.media.FileModes.asNewFile(out.commit());
        }
        return Files.size(zipFile);
    }
}
