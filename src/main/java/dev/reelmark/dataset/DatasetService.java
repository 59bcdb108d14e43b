package dev.reelmark.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.catalog.SegmentContext;
import dev.reelmark.footage.Footage;
import dev.reelmark.footage.GenerationFacts;
import dev.reelmark.footage.ProbeFacts;
import dev.reelmark.footage.SegmentFacts;
import dev.reelmark.db.Database;
import dev.reelmark.db.Timestamps;
import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.NotFound;
import dev.reelmark.errors.Conflict;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobContext;
import dev.reelmark.jobs.JobInterruptedException;
import dev.reelmark.jobs.JobService;
import dev.reelmark.jobs.JobStatus;
import dev.reelmark.media.AtomicOutput;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.FileModes;
import dev.reelmark.media.MediaIdentity;
import dev.reelmark.media.MediaRoots;
import dev.reelmark.media.SafeZip;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Training-dataset exports: validate a config, record it in {@code dataset_exports}, and package it as a background
 * job into {@code <data>/exports/datasets/dataset-<id>.zip}: per split {@code <split>/<sample>.<ext>} (the video),
 * {@code <split>/frames/<sample>.jpg} (a frame extracted by ffmpeg), {@code <split>/metadata/<sample>.json} and a
 * Hugging Face {@code <split>/metadata.jsonl} with a {@code file_name} column, and {@code manifest.json} at the root.
 * The ZIP is streamed to disk; media go in STORED.
 */
public final class DatasetService {
    static final int FRAME_WIDTH = 512;

    private final DatasetStore store;
    private final CatalogService catalog;
    private final JobService jobs;
    private final SegmentFacts facts;
    private final MediaRoots roots;
    private final Supplier<FfmpegTools> tools;
    private final Path datasetsDir;
    private final FaceCrops faceCrops;
    private final MediaIdentity identity = MediaIdentity.shared();
    private SampleCredentials credentials = SampleCredentials.NONE;
    /** Test hook: called with the sample index before each sample is packaged. */
    volatile IntConsumer beforeSample = i -> { };

    public DatasetService(Database db, CatalogService catalog, JobService jobs, SegmentFacts facts, MediaRoots roots,
                          Supplier<FfmpegTools> tools, Path dataDir) {
        this.store = new DatasetStore(db);
        this.catalog = catalog;
        this.jobs = jobs;
        this.facts = facts;
        this.roots = roots;
        this.tools = tools;
        this.datasetsDir = dataDir.resolve("exports").resolve("datasets");
        this.faceCrops = new FaceCrops(tools, facts);
    }

    /** Where signed videos come from when an export asks for content credentials. */
    public DatasetService withCredentials(SampleCredentials credentials) {
        this.credentials = credentials;
        return this;
    }

    /** Sets the per-sample hook (tests use it to make files vanish mid-export). */
    public void onBeforeSample(IntConsumer hook) {
        this.beforeSample = hook == null ? i -> { } : hook;
    }

    // ---- API ----

    /** Validates, records the export as queued and submits its job. */
    public DatasetExport create(long projectId, ObjectNode body) {
        catalog.reads().requireProject(projectId);
        DatasetConfig config = DatasetConfig.parse(body, projectId, catalog);
        DatasetExport row = store.insert(projectId, config.name(), config.toJson());
        Job job = jobs.submit(DatasetExportJob.KIND, Json.object().put("dataset_id", row.id()));
        store.setJob(row.id(), job.id());
        return get(projectId, row.id());
    }

    public List<DatasetExport> list(long projectId) {
        catalog.reads().requireProject(projectId);
        return store.list(projectId).stream().map(this::reconcile).toList();
    }

    public DatasetExport get(long projectId, long id) {
        DatasetExport d = store.find(id, true).filter(x -> x.projectId() == projectId)
                .orElseThrow(() -> NotFound.of("dataset export", id + " of project " + projectId));
        return reconcile(d);
    }

    /** The finished ZIP; 409 while not completed. */
    public Path zip(long projectId, long id) {
        DatasetExport d = get(projectId, id);
        if (!"completed".equals(d.status())) throw Conflict.of("status", "dataset export " + id + " is " + d.status() + ", not completed");
        if (DatasetFormat.fromJson(d.config()).webDataset()) {
            throw Conflict.of("format", "dataset export " + id + " is WebDataset shards: download each file at "
                    + "/api/projects/" + projectId + "/datasets/" + id + "/files/{name} (listed in manifest.json)");
        }
        Path zip = Path.of(d.filePath());
        if (!Files.isRegularFile(zip)) throw NotFound.of("dataset file", zip.getFileName());
        return zip;
    }

    /** One file of a finished WebDataset export (a shard, manifest.json or a wids index); 404 for anything else. */
    public Path file(long projectId, long id, String name) {
        DatasetExport d = get(projectId, id);
        if (!"completed".equals(d.status())) throw Conflict.of("status", "dataset export " + id + " is " + d.status() + ", not completed");
        if (!DatasetFormat.fromJson(d.config()).webDataset()) {
            throw Conflict.of("format", "dataset export " + id + " is one ZIP: download it at /api/projects/" + projectId + "/datasets/" + id + "/download");
        }
        return WebDatasetPackage.file(Path.of(d.filePath()), name).orElseThrow(() -> NotFound.of("dataset file", name));
    }

    /** A row whose job ended without the handler saying so (cancelled while queued, crashed) shows the job's end. */
    private DatasetExport reconcile(DatasetExport d) {
        if (d.jobId() == null || !(d.status().equals("queued") || d.status().equals("running"))) return d;
        Job job = jobs.find(d.jobId()).orElse(null);
        if (job == null || !job.isTerminal() || job.status() == JobStatus.COMPLETED) return d;
        store.status(d.id(), job.status() == JobStatus.CANCELLED ? "cancelled" : "failed", job.error());
        return store.find(d.id(), d.manifest() != null).orElse(d);
    }

    // ---- selection ----

    public record Sample(Clip clip, String split, String id) {
    }

    /** A sample's segment as the segment-facts module describes it, with the names the packaging reads. */
    public record Clip(Footage footage) {
        public long segmentId() {
            return footage.segmentId();
        }

        public long sceneId() {
            return footage.place().sceneId();
        }

        public Path file() {
            return footage.file();
        }

        public String storedPath() {
            return footage.storedPath();
        }

        public ProbeFacts tech() {
            return footage.probe();
        }

        public String techError() {
            return footage.probeError();
        }

        public Double qualityScore() {
            return footage.quality().overallScore();
        }

        public GenerationFacts generation() {
            return footage.generation();
        }

        public String fileName() {
            String stored = footage.storedPath();
            if (stored == null) return "segment_" + segmentId();
            String n = stored.replace('\\', '/');
            return n.substring(n.lastIndexOf('/') + 1);
        }

        public String clipName() {
            String n = fileName();
            int dot = n.lastIndexOf('.');
            return dot > 0 ? n.substring(0, dot) : n;
        }
    }

    public record Selection(List<Sample> samples, ArrayNode excluded, List<SampleSelection.Warning> warnings) {
    }

    /**
     * The samples of a config: the project's segments of the chosen characters and scene types, through
     * {@link SampleSelection} (hygiene, one sample per file, split by scene). The same config on the same catalog
     * gives the same split.
     */
    public Selection select(long projectId, DatasetConfig config) {
        Set<Long> characters = new HashSet<>(config.characterIds());
        Set<String> types = new HashSet<>(config.sceneTypes());
        Set<Long> picked = new HashSet<>(config.segmentIds());
        List<SegmentContext> chosen = new ArrayList<>();
        for (SegmentContext s : facts.scope(projectId, null)) {
            if (!picked.isEmpty() && !picked.contains(s.segmentId())) continue;
            if (!characters.isEmpty() && !characters.contains(s.characterId())) continue;
            if (!types.isEmpty() && !types.contains(s.sceneTypeName())) continue;
            chosen.add(s);
        }
        List<Clip> clips = new ArrayList<>(chosen.size());
        for (int from = 0; from < chosen.size(); from += 500) {
            facts.footage(chosen.subList(from, Math.min(chosen.size(), from + 500))).forEach(f -> clips.add(new Clip(f)));
        }
        SampleSelection.Result chosenSamples = new SampleSelection(roots, identity).choose(clips, config);
        List<Sample> samples = new ArrayList<>();
        for (Clip c : clips) {
            String split = chosenSamples.splitOf().get(c.segmentId());
            if (split != null) samples.add(new Sample(c, split, null));
        }
        samples.sort(Comparator.comparingInt((Sample s) -> DatasetConfig.SPLITS.indexOf(s.split())).thenComparingLong(s -> s.clip().segmentId()));
        SampleNames names = new SampleNames();
        List<Sample> named = new ArrayList<>(samples.size());
        for (Sample s : samples) named.add(new Sample(s.clip(), s.split(), names.allocate(s.clip().segmentId(), s.clip().clipName())));
        return new Selection(named, chosenSamples.excludedJson(), chosenSamples.warnings());
    }

    // ---- packaging (the job) ----

    void run(JobContext ctx) throws IOException {
        long id = ctx.params().get("dataset_id").longValue();
        DatasetExport row = store.find(id, false).orElseThrow(() -> new IllegalStateException("dataset export " + id + " is gone"));
        DatasetConfig config = DatasetConfig.fromJson(row.config());
        store.status(id, "running", null);
        Path work = datasetsDir.resolve(".work-" + id);
        try {
            DatasetLeftovers.remove(datasetsDir, id);
            Files.createDirectories(work);
            long t0 = System.nanoTime();
            Selection sel = select(row.projectId(), config);
            store.warnings(id, warningsJson(sel.warnings()));
            double selectSeconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            ctx.total(sel.samples().size());
            Path output;
            Packaged p;
            long size;
            if (config.format().webDataset()) {
                output = datasetsDir.resolve("dataset-" + id);
                try (WebDatasetPackage shards = WebDatasetPackage.create(output, config.format().shardBytes(), java.time.Instant.now(),
                        config.includeVideos() ? WebDatasetSamples.videoField(sel.samples()) : null)) {
                    p = pack(ctx, row, config, sel, null, shards, work);
                }
                size = WebDatasetPackage.size(output);
            } else {
                output = datasetsDir.resolve("dataset-" + id + ".zip");
                try (AtomicOutput out = AtomicOutput.create(output)) {
                    try (SafeZip zip = SafeZip.create(out.temp())) {
                        p = pack(ctx, row, config, sel, zip, null, work);
                    }
                    FileModes.asNewFile(out.commit());
                }
                size = Files.size(output);
            }
            store.complete(id, p.manifest, output.toString(), size, p.packed, p.failed.size());
            ObjectNode result = Json.object().put("dataset_id", id).put("file", output.toString()).put("size_bytes", size)
                    .put("samples", p.packed).put("failed", p.failed.size()).put("excluded", sel.excluded().size());
            result.set("failures", p.failed);
            result.set("warnings", warningsJson(sel.warnings()));
            result.putObject("seconds").put("select", Math.round(selectSeconds * 1000) / 1000.0)
                    .put("package", Math.round((System.nanoTime() - t1) / 1e6) / 1000.0)
                    .put("stream", Math.round(p.streamSeconds() * 1000) / 1000.0);
            ctx.result(result);
        } catch (JobInterruptedException e) {
            store.status(id, e.reason() == JobInterruptedException.Reason.CANCELLED ? "cancelled" : "queued", null);
            throw e;
        } catch (IOException | RuntimeException e) {
            store.status(id, "failed", String.valueOf(e.getMessage()));
            throw e;
        } finally {
            deleteTree(work);
        }
    }

    private static ArrayNode warningsJson(List<SampleSelection.Warning> warnings) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        warnings.forEach(w -> a.add(w.toJson()));
        return a;
    }

    /**
     * Removes what crashed or interrupted exports left ({@code .part} files, work folders) for every export that no
     * job will run again; the export a job resumes cleans its own when it starts. Called once at startup.
     */
    public void removeLeftovers() {
        if (!Files.isDirectory(datasetsDir)) return;
        try {
            DatasetLeftovers.removeAll(datasetsDir, id -> store.find(id, false)
                    .map(d -> !d.status().equals("queued") && !d.status().equals("running")).orElse(true));
        } catch (IOException | UncheckedIOException e) {
            // a leftover that cannot be removed now is harmless (hidden, never read); startup goes on
            org.slf4j.LoggerFactory.getLogger(DatasetService.class).warn("datasets: cannot remove leftovers in {}: {}", datasetsDir, e.toString());
        }
    }

    /** {@code streamSeconds}: the time spent writing samples into the package (not waiting for their frames). */
    private record Packaged(ObjectNode manifest, int packed, ArrayNode failed, double streamSeconds) {
    }

    /** Packages the selection into the ZIP or, when {@code shards} is given, into WebDataset shards. */
    private Packaged pack(JobContext ctx, DatasetExport row, DatasetConfig config, Selection sel, SafeZip zip,
                          WebDatasetPackage shards, Path work) throws IOException {
        ArrayNode failed = Json.MAPPER.createArrayNode();
        Map<String, BufferedWriter> jsonl = new LinkedHashMap<>();
        ObjectNode manifest = Json.object().put("version", "1.0").put("format", "reelmark-dataset").put("name", row.name())
                .put("dataset_id", row.id()).put("project_id", row.projectId()).put("created_at", Timestamps.now());
        ObjectNode splits = Json.object();
        DatasetConfig.SPLITS.forEach(s -> splits.putArray(s));
        Map<String, Integer> counts = new LinkedHashMap<>();
        DatasetConfig.SPLITS.forEach(s -> counts.put(s, 0));
        Map<String, Set<String>> mediaGlobs = new LinkedHashMap<>();
        int packed = 0;
        long streamNanos = 0;
        // ffmpeg extracts the next sample's frame (another process) while this one is copied into the ZIP.
        java.util.concurrent.ExecutorService frames = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "reelmark-dataset-frames");
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.Future<String> nextFrame = null;
        Map<Integer, FaceCrops.Result> faces = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            for (int i = 0; i < sel.samples().size(); i++) {
                Sample s = sel.samples().get(i);
                beforeSample.accept(i);
                ctx.progress(i, s.split() + "/" + s.id());
                java.util.concurrent.Future<String> frame = nextFrame != null ? nextFrame
                        : frames.submit(sampleTask(config, s, work, i, faces));
                nextFrame = i + 1 < sel.samples().size()
                        ? frames.submit(sampleTask(config, sel.samples().get(i + 1), work, i + 1, faces)) : null;
                String error;
                try {
                    error = frame.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    error = "frame extraction failed: " + e.getCause();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                long writing = System.nanoTime();
                FaceCrops.Result face = faces.remove(i);
                Signed signed = Signed.NONE;
                if (error == null && config.contentCredentials()) {
                    signed = sign(s, work.resolve("signed-" + i + "." + extension(s.clip().fileName())), shards == null);
                    error = signed.error();
                }
                if (error == null && shards != null) error = WebDatasetSamples.pack(roots, config, s, signed.clip(), shards, work.resolve("frame-" + i + ".jpg"), (ArrayNode) splits.get(s.split()));
                else if (error == null) error = packOne(config, s, signed.clip(), signed.store(), zip, work.resolve("frame-" + i + ".jpg"), face,
                        work.resolve("face-" + i + ".jpg"), work, jsonl, (ArrayNode) splits.get(s.split()));
                if (signed.store() != null) Files.deleteIfExists(signed.store());
                streamNanos += System.nanoTime() - writing;
                Files.deleteIfExists(work.resolve("frame-" + i + ".jpg"));
                Files.deleteIfExists(work.resolve("face-" + i + ".jpg"));
                if (signed.clip() != null) Files.deleteIfExists(signed.clip());
                if (error != null) failed.addObject().put("segment_id", s.clip().segmentId()).put("sample", s.id()).put("split", s.split()).put("error", error);
                else {
                    packed++;
                    counts.merge(s.split(), 1, Integer::sum);
                    mediaGlobs.computeIfAbsent(s.split(), k -> new java.util.TreeSet<>()).add(config.includeVideos()
                            ? s.split() + "/*." + extension(s.clip().fileName()) : s.split() + "/frames/*.jpg");
                }
                ctx.progress(i + 1, s.split() + "/" + s.id());
                ctx.checkpoint(Json.object().put("restart", true));
            }
            for (var e : jsonl.entrySet()) e.getValue().close();
            for (String split : DatasetConfig.SPLITS) {
                Path f = work.resolve(split + ".jsonl");
                if (zip != null && Files.isRegularFile(f)) zip.addFile(split + "/metadata.jsonl", f);
            }
        } finally {
            frames.shutdownNow();
            for (var w : jsonl.values()) {
                try {
                    w.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }
        manifest.put("total_samples", packed);
        manifest.set("config", config.toJson());
        manifest.set("splits", splits);
        ObjectNode meta = manifest.putObject("metadata");
        ObjectNode cnt = meta.putObject("split_counts");
        ObjectNode req = meta.putObject("requested_percentages");
        ObjectNode act = meta.putObject("actual_percentages");
        for (String s : DatasetConfig.SPLITS) {
            cnt.put(s, counts.get(s));
            req.put(s, config.splits().get(s));
            act.put(s, packed == 0 ? 0 : Math.round(counts.get(s) * 1000.0 / packed) / 10.0);
        }
        meta.put("grouping", "scene: all segments of one scene are in the same split");
        meta.put("split_seed", config.seed());
        meta.set("excluded", sel.excluded());
        meta.set("failed", failed);
        meta.set("warnings", warningsJson(sel.warnings()));
        ObjectNode loaders = meta.putObject("loaders");
        loaders.put("huggingface", "datasets.load_dataset('<unzipped dir>')  # README.md card: configs, typed features; or "
                + (config.includeVideos() ? "datasets.load_dataset('videofolder', data_dir='<unzipped dir>')"
                : "datasets.load_dataset('imagefolder', data_dir='<unzipped dir>')") + ", one split per folder");
        loaders.put("pytorch", "read manifest.json; splits.<name>[i].path is relative to the dataset root");
        if (shards != null) {
            WebDatasetSamples.describe(manifest, loaders);
            shards.commit(manifest, row.name());
            return new Packaged(manifest, packed, failed, streamNanos / 1e9);
        }
        try (OutputStream out = zip.open("manifest.json")) {
            Json.PRETTY.writeValue(out, manifest);
        }
        zip.closeEntry();
        zip.add("README.md", DatasetCard.render(row.name(), config, counts, mediaGlobs).getBytes(StandardCharsets.UTF_8));
        return new Packaged(manifest, packed, failed, streamNanos / 1e9);
    }

    /** The sample's frame image, then its face crop when asked for (into {@code faces}); an error or null. */
    private java.util.concurrent.Callable<String> sampleTask(DatasetConfig config, Sample s, Path work, int i,
                                                             Map<Integer, FaceCrops.Result> faces) {
        java.util.concurrent.Callable<String> frame = frameTask(config, s, work.resolve("frame-" + i + ".jpg"));
        return () -> {
            String error = frame.call();
            if (error != null || !config.faceCrops()) return error;
            Clip c = s.clip();
            if (c.file() == null || roots.resolve(c.file().toString()).isEmpty()) return "the video path is outside the media roots";
            if (!Files.isRegularFile(c.file())) return "the video vanished before it was packaged: " + c.storedPath();
            try {
                faces.put(i, faceCrops.crop(c, work, work.resolve("face-" + i + ".jpg")));
                return null;
            } catch (IOException | RuntimeException e) {
                return "face crop failed: " + e.getMessage();
            }
        };
    }

    /**
     * Extracts the sample's frame (about 10% in, at most {@value #FRAME_WIDTH} px wide) with ffmpeg into
     * {@code out}; the answer is an error, or null when the frame is there (or not wanted).
     */
    private java.util.concurrent.Callable<String> frameTask(DatasetConfig config, Sample s, Path out) {
        return () -> {
            Clip c = s.clip();
            if (!config.frameImages()) return null;
            if (c.file() == null || roots.resolve(c.file().toString()).isEmpty()) return "the video path is outside the media roots";
            if (!Files.isRegularFile(c.file())) return "the video vanished before it was packaged: " + c.storedPath();
            double duration = c.tech() == null ? 0 : c.tech().durationSeconds();
            int width = (int) Math.min(FRAME_WIDTH, Math.max(2, c.tech() == null || c.tech().width() <= 0 ? FRAME_WIDTH : c.tech().width()));
            List<String> args = new ArrayList<>(List.of("-nostdin", "-hide_banner", "-v", "error", "-y"));
            if (duration >= 1.0) args.addAll(List.of("-ss", String.format(Locale.ROOT, "%.3f", duration * 0.10)));
            args.addAll(dev.reelmark.media.MediaInput.ffmpegInput(c.file()));
            args.addAll(List.of("-map", "0:V:0", "-frames:v", "1", "-vf", "scale=" + width + ":-2",
                    "-q:v", "3", "-f", "mjpeg"));
            try (AtomicOutput ao = AtomicOutput.create(out)) {
                args.add(ao.temp().toString());
                var r = tools.get().runFfmpeg(args, java.time.Duration.ofMinutes(2));
                if (!r.ok() || Files.size(ao.temp()) < 2) {
                    return Files.isRegularFile(c.file()) ? "ffmpeg could not extract a frame: " + r.stderrTail(3)
                            : "the video vanished before it was packaged: " + c.storedPath();
                }
                ao.commit();
            }
            return null;
        };
    }

    /**
     * A sample's signed video for an export with content credentials: the signed copy and, for a Matroska/WebM clip in
     * a ZIP, its manifest store beside it; or why it could not be signed (then neither file is used).
     */
    private record Signed(Path clip, Path store, String error) {
        static final Signed NONE = new Signed(null, null, null);
    }

    /**
     * Signs a copy of the sample's video into {@code out}; says why when it cannot be (no receipt, not
     * MP4/MOV, changed since its receipt): that sample is listed in the export's failures, the others go in signed.
     */
    private Signed sign(Sample s, Path out, boolean sidecarAllowed) {
        try {
            return new Signed(out, credentials.signedCopy(s.clip().segmentId(), out, sidecarAllowed), null);
        } catch (DomainException | IllegalStateException | java.io.UncheckedIOException e) {
            return new Signed(out, null, "cannot sign the video (content credentials): " + e.getMessage());
        }
    }

    /** Packages one sample whose frame is ready; returns an error (nothing of it written) or null when it is in. */
    private String packOne(DatasetConfig config, Sample s, Path signed, Path store, SafeZip zip, Path frame, FaceCrops.Result face, Path faceFile,
                           Path work, Map<String, BufferedWriter> jsonl, ArrayNode splitList) throws IOException {
        Clip c = s.clip();
        if (c.file() == null || roots.resolve(c.file().toString()).isEmpty()) return "the video path is outside the media roots";
        String ext = extension(c.fileName());
        String split = s.split();
        String videoName = s.id() + "." + ext;
        String frameName = "frames/" + s.id() + ".jpg";
        String metaName = "metadata/" + s.id() + ".json";
        String faceName = "faces/" + s.id() + ".jpg";
        if (config.faceCrops() && face == null) return "no face crop was made";
        FileChannel video = null;
        if (config.includeVideos()) {
            try {
                video = FileChannel.open(signed != null ? signed : c.file(), StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return "the video vanished before it was packaged: " + c.storedPath();
            }
        }
        // Every input is open: from here on the sample's entries are written whole.
        ObjectNode metadata = sampleMetadata(s, config.includeVideos() ? videoName : null, config.frameImages() ? frameName : null);
        if (config.faceCrops()) metadata.set("face_crop", face.toJson(faceName));
        // a Matroska/WebM clip's C2PA manifest store travels beside it (its container cannot embed one)
        if (store != null) metadata.put("content_credentials_store", videoName + ".c2pa");
        try {
            if (video != null) zip.addChannel(split + "/" + videoName, video);
        } finally {
            if (video != null) video.close();
        }
        if (store != null) zip.addFile(split + "/" + videoName + ".c2pa", store);
        if (config.frameImages()) zip.addFile(split + "/" + frameName, frame);
        if (config.faceCrops()) zip.addFile(split + "/" + faceName, faceFile);
        zip.add(split + "/" + metaName, Json.PRETTY.writeValueAsBytes(metadata));

        ObjectNode row = HfMetadata.row(config, metadata, config.includeVideos() ? videoName : frameName,
                config.frameImages() ? frameName : null, metaName,
                config.faceCrops() ? faceName : null, config.faceCrops() && face.crop().found());
        BufferedWriter w = jsonl.get(split);
        if (w == null) {
            w = Files.newBufferedWriter(work.resolve(split + ".jsonl"), StandardCharsets.UTF_8);
            jsonl.put(split, w);
        }
        w.write(Json.write(row));
        w.write('\n');

        ObjectNode m = splitList.addObject().put("path", split + "/" + (config.includeVideos() ? videoName : frameName));
        if (config.frameImages()) m.put("frame", split + "/" + frameName);
        m.put("metadata", split + "/" + metaName);
        if (config.faceCrops()) m.put("face", split + "/" + faceName).put("face_found", face.crop().found());
        m.set("prompt", metadata.get("prompt"));
        m.set("lora_weights", metadata.get("lora_weights"));
        m.set("generation_source", metadata.get("generation_source"));
        m.set("quality_score", metadata.get("quality_score"));
        m.set("failure_tags", metadata.get("failure_tags"));
        m.set("scene_type", metadata.get("scene_type"));
        m.set("character_name", metadata.get("character"));
        m.put("split", split).put("segment_id", c.segmentId()).put("scene_id", c.sceneId());
        return null;
    }

    /**
     * A sample's metadata file. Generation facts come from the segment-facts module with their source (receipt,
     * file_comment or none): the caption is the prompt, never a {@code People:} line.
     */
    static ObjectNode sampleMetadata(Sample s, String video, String frame) {
        Clip c = s.clip();
        Footage f = c.footage();
        GenerationFacts g = c.generation();
        ObjectNode m = Json.object().put("sample_id", s.id()).put("split", s.split());
        if (video == null) m.putNull("video"); else m.put("video", video);
        if (frame == null) m.putNull("frame"); else m.put("frame", frame);
        m.put("segment_id", c.segmentId()).put("scene_id", c.sceneId()).put("scene", f.place().scene().name())
                .put("scene_type", f.place().sceneTypeName()).put("character_id", f.place().characterId())
                .put("character", f.place().character().name()).put("sequence_index", f.place().segment().sequenceIndex())
                .put("source_path", c.storedPath());
        m.put("caption", g.prompt());
        m.put("prompt", g.prompt());
        m.put("negative_prompt", g.negativePrompt());
        if (g.seed() == null) m.putNull("seed"); else m.put("seed", g.seed());
        m.put("model", g.modelName());
        ArrayNode loras = m.putArray("lora_weights");
        for (GenerationFacts.Lora l : g.loras()) {
            ObjectNode n = loras.addObject().put("name", l.asset() == null ? null : l.asset().name())
                    .put("version", l.asset() == null ? null : l.asset().version()).put("strength_model", l.strengthModel());
            if (l.strengthClip() == null) n.putNull("strength_clip"); else n.put("strength_clip", l.strengthClip());
        }
        m.put("generation_source", g.source().wire());
        if (g.receiptId() == null) m.putNull("receipt_id"); else m.put("receipt_id", g.receiptId());
        m.set("quality_score", node(c.qualityScore()));
        m.set("failure_tags", Json.MAPPER.valueToTree(f.quality().failureTags()));
        ObjectNode tech = m.putObject("technical");
        ProbeFacts p = c.tech();
        if (p == null) {
            for (String k : List.of("resolution", "framerate", "codec", "duration", "frame_count", "pixel_format", "color_space")) tech.putNull(k);
        } else {
            tech.put("resolution", p.resolution()).put("framerate", round(p.fps())).put("codec", p.codec())
                    .put("duration", round(p.durationSeconds())).put("frame_count", p.frameCount())
                    .put("pixel_format", p.pixelFormat()).put("color_space", p.colorSpace());
        }
        m.set("generation_params", g.source() == GenerationFacts.Source.NONE ? Json.MAPPER.nullNode() : g.toJson());
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static JsonNode node(Object v) {
        return v == null ? Json.MAPPER.nullNode() : v instanceof JsonNode n ? n : Json.MAPPER.valueToTree(v);
    }

    private static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "bin" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return ext.matches("[a-z0-9]{1,8}") ? ext : "bin";
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
