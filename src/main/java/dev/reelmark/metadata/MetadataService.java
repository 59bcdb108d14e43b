package dev.reelmark.metadata;

import dev.reelmark.events.ChangeEvent;
import dev.reelmark.events.ChangePublisher;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogReads;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.catalog.Image;
import dev.reelmark.catalog.ImageVariant;
import dev.reelmark.catalog.Project;
import dev.reelmark.catalog.Scene;
import dev.reelmark.catalog.SceneType;
import dev.reelmark.catalog.Segment;
import dev.reelmark.catalog.SegmentQuality;
import dev.reelmark.catalog.EntityType;
import dev.reelmark.db.Database;
import dev.reelmark.db.Timestamps;
import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.NotFound;
import dev.reelmark.errors.Unprocessable;
import dev.reelmark.json.Json;
import dev.reelmark.media.AtomicOutput;
import dev.reelmark.media.FileModes;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaIdentity;
import dev.reelmark.media.MediaException;
import dev.reelmark.media.ProbeCache;
import dev.reelmark.media.MediaRoots;
import dev.reelmark.media.ProbeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The dual metadata files: builds {@code character_metadata.json} and {@code video_metadata.json} from the catalog
 * (read only through {@link CatalogService}) and ffprobe, validates them against their JSON Schemas, writes them
 * atomically under {@code <data>/metadata/}, records each write in {@code metadata_generations}, detects stale and
 * hand-edited files, and regenerates them on catalog changes ({@link #onCatalogChange}).
 */
public final class MetadataService implements AutoCloseable {
    public static final String SCHEMA_VERSION = "1.0";
    public static final String CHARACTER = "character";
    public static final String SCENE = "scene";
    private static final Logger LOG = LoggerFactory.getLogger(MetadataService.class);

    /** Why a file is stale; a file with no reasons is current. */
    public static final String NOT_GENERATED = "not_generated";
    public static final String SOURCE_CHANGED = "source_changed";
    public static final String FILE_MISSING = "file_missing";
    public static final String FILE_MODIFIED = "file_modified";
    public static final String SCHEMA_CHANGED = "schema_version_changed";
    /** A segment video or image the file was built from has other bytes now (re-rendered, replaced, corrupted). */
    public static final String MEDIA_CHANGED = "media_changed";
    /** A segment video or image the file was built from is gone (or unreadable). */
    public static final String MEDIA_MISSING = "media_missing";
    /** The file was written before the media it was built from were recorded: nothing vouches for them. */
    public static final String MEDIA_UNRECORDED = "media_unrecorded";
    /** The file is at a path older names gave it (a renamed project, character or scene): regenerating moves it. */
    public static final String PATH_CHANGED = "path_changed";

    /**
     * @param outputRoot     where metadata files are written (default {@code <data>/metadata})
     * @param autoRegenerate regenerate affected files after catalog changes (env REELMARK_METADATA_AUTO=false turns it off)
     * @param debounce       how long to gather catalog changes before regenerating
     * @param provenance     where the provenance block comes from
     * @param parallelism    how many entities a batch builds at once (results are still reported in order)
     */
    public record Options(Path outputRoot, boolean autoRegenerate, Duration debounce, ProvenanceSource provenance,
                          int parallelism, int recordBatch) {
        public Options(Path outputRoot, boolean autoRegenerate, Duration debounce, ProvenanceSource provenance) {
            this(outputRoot, autoRegenerate, debounce, provenance, 4, 256);
        }

        public static Options defaults(Path dataDir) {
            String auto = System.getenv("REELMARK_METADATA_AUTO");
            // the system property is for in-process benchmarks (bench tags), which must not run metadata beside them
            if (System.getProperty("reelmark.metadata.auto") != null) auto = System.getProperty("reelmark.metadata.auto");
            return new Options(dataDir.resolve("metadata"), auto == null || !auto.trim().equalsIgnoreCase("false"),
                    Duration.ofMillis(500), ProvenanceSource.UNKNOWN);
        }

        public Options withParallelism(int n) {
            if (n < 1) throw new IllegalArgumentException("parallelism must be at least 1");
            return new Options(outputRoot, autoRegenerate, debounce, provenance, n, recordBatch);
        }

        /** At most this many files per recording transaction of a batch (and so between two job checkpoints). */
        public Options withRecordBatch(int n) {
            if (n < 1) throw new IllegalArgumentException("recordBatch must be at least 1");
            return new Options(outputRoot, autoRegenerate, debounce, provenance, parallelism, n);
        }

        public Options withOutputRoot(Path root) {
            return new Options(root, autoRegenerate, debounce, provenance, parallelism, recordBatch);
        }

        public Options withAutoRegenerate(boolean on) {
            return new Options(outputRoot, on, debounce, provenance, parallelism, recordBatch);
        }

        public Options withDebounce(Duration d) {
            return new Options(outputRoot, autoRegenerate, d, provenance, parallelism, recordBatch);
        }

        public Options withProvenance(ProvenanceSource p) {
            return new Options(outputRoot, autoRegenerate, debounce, p, parallelism, recordBatch);
        }
    }

    /** An entity a batch works on, in the order a batch processes them (each character, then its scenes). */
    public record WorkItem(@JsonProperty("entity_type") String entityType, @JsonProperty("entity_id") long entityId,
                           @JsonProperty("name") String name) {
        public String fileType() {
            return CHARACTER.equals(entityType) ? MetadataSchemas.CHARACTER : MetadataSchemas.VIDEO;
        }
    }

    /** One metadata file's state against its sources. */
    public record Staleness(@JsonProperty("entity_type") String entityType, @JsonProperty("entity_id") long entityId,
                            @JsonProperty("name") String name, @JsonProperty("file_type") String fileType,
                            @JsonProperty("file_path") String filePath, @JsonProperty("generated_at") String generatedAt,
                            @JsonProperty("source_updated_at") String sourceUpdatedAt,
                            @JsonProperty("current_updated_at") String currentUpdatedAt,
                            @JsonProperty("reasons") List<String> reasons,
                            @JsonProperty("media") List<MediaProblem> media) {
        public Staleness(String entityType, long entityId, String name, String fileType, String filePath, String generatedAt,
                         String sourceUpdatedAt, String currentUpdatedAt, List<String> reasons) {
            this(entityType, entityId, name, fileType, filePath, generatedAt, sourceUpdatedAt, currentUpdatedAt, reasons, List.of());
        }

        public boolean stale() {
            return !reasons.isEmpty();
        }
    }

    /**
     * A media file behind a metadata file that no longer is what it was: {@code reason} is {@link #MEDIA_CHANGED}
     * or {@link #MEDIA_MISSING}; {@code current_sha256} is null when the file is missing.
     */
    public record MediaProblem(@JsonProperty("reason") String reason, @JsonProperty("kind") String kind,
                               @JsonProperty("id") long id, @JsonProperty("path") String path,
                               @JsonProperty("recorded_sha256") String recordedSha256,
                               @JsonProperty("current_sha256") String currentSha256,
                               @JsonProperty("message") String message) {
    }

    /** The answer of {@code GET /api/projects/{id}/metadata/stale}: stale files grouped by file type. */
    public record StaleReport(@JsonProperty("project_id") long projectId,
                              @JsonProperty("character_metadata") List<Staleness> characterMetadata,
                              @JsonProperty("video_metadata") List<Staleness> videoMetadata,
                              @JsonProperty("stale_count") int staleCount,
                              @JsonProperty("checked_count") int checkedCount) {
    }

    /** What a regeneration wrote. */
    public record GeneratedFile(@JsonProperty("status") String status, @JsonProperty("entity_type") String entityType,
                                @JsonProperty("entity_id") long entityId, @JsonProperty("file_type") String fileType,
                                @JsonProperty("file_path") String filePath, @JsonProperty("generated_at") String generatedAt,
                                @JsonProperty("source_updated_at") String sourceUpdatedAt,
                                @JsonProperty("schema_version") String schemaVersion,
                                @JsonProperty("file_hash") String fileHash) {
    }

    public record Failure(@JsonProperty("entity_type") String entityType, @JsonProperty("entity_id") long entityId,
                          @JsonProperty("name") String name, @JsonProperty("error") String error) {
    }

    /** The result of a batch regeneration. */
    public record RegenerationReport(@JsonProperty("project_id") long projectId, @JsonProperty("stale_only") boolean staleOnly,
                                     @JsonProperty("regenerated") int regenerated, @JsonProperty("skipped") int skipped,
                                     @JsonProperty("failed") int failed, @JsonProperty("failures") List<Failure> failures,
                                     @JsonProperty("seconds") double seconds) {
    }

    /** The catalog rows one file is built from, with their combined change stamp. */
    record Sources(String name, String maxUpdatedAt, String digest) {
    }

    private final CatalogService catalog;
    private final MetadataStore store;
    private final MetadataSchemas schemas;
    private final MediaRoots roots;
    private final Path dataDir;
    private final Supplier<FfmpegTools> tools;
    private final Options options;
    private final ProbeCache probes;
    private final MediaIdentity identities = MediaIdentity.shared();
    private final ReentrantLock[] locks = new ReentrantLock[64];
    private final java.util.Queue<CatalogService.CatalogChange> changes = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Set<Long> pendingCharacters = ConcurrentHashMap.newKeySet();
    private final Set<Long> pendingScenes = ConcurrentHashMap.newKeySet();
    private volatile boolean sweepPending;
    private volatile boolean flushScheduled;
    private final ScheduledExecutorService scheduler;
    private volatile ChangePublisher announcer = ChangePublisher.NONE;

    /**
     * With the server's one probe cache ({@link ProbeCache#persistent}), shared with segment facts, sidecars,
     * datasets and playback: metadata keeps no probe cache of its own.
     */
    public MetadataService(Database db, CatalogService catalog, Path dataDir, Supplier<FfmpegTools> tools, Options options,
                           ProbeCache probes) {
        this.catalog = catalog;
        this.store = new MetadataStore(db);
        this.schemas = new MetadataSchemas();
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.roots = MediaRoots.of(this.dataDir);
        this.tools = tools;
        this.options = options;
        this.probes = probes;
        for (int i = 0; i < locks.length; i++) locks[i] = new ReentrantLock();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metadata-regenerate");
            t.setDaemon(true);
            return t;
        });
    }

    /** Where each written file is announced (the web UI's event stream). */
    public void publishTo(ChangePublisher publisher) {
        this.announcer = publisher;
    }

    public MetadataSchemas schemas() {
        return schemas;
    }

    public Options options() {
        return options;
    }

    // ---------------------------------------------------------------- building

    /** The character's metadata as it would be written now (nothing is written). 404 for an unknown id. */
    public CharacterMetadata characterMetadata(long characterId) {
        return characterMetadata(characterSnapshot(characterId));
    }

    private CharacterMetadata characterMetadata(CharacterSnapshot s) {
        long characterId = s.character.id();
        dev.reelmark.catalog.Character c = s.character;
        List<Image> current = s.images.stream().filter(Image::currentVersion).toList();
        for (Image image : current) checkImageFile(characterId, image);
        CharacterMetadata.ImageReference source = current.stream().filter(i -> "source".equals(i.imageType()))
                .findFirst().map(MetadataService::imageRef).orElse(null);
        List<CharacterMetadata.ImageReference> derived = current.stream()
                .filter(i -> "derived".equals(i.imageType())).map(MetadataService::imageRef).toList();
        Map<Long, Image> byId = new java.util.HashMap<>();
        current.forEach(i -> byId.put(i.id(), i));
        List<CharacterMetadata.ImageVariantInfo> variants = s.variants.stream().map(v -> new CharacterMetadata.ImageVariantInfo(
                v.id(), v.variantType(), v.status(), imageRef(byId.get(v.imageId())))).toList();
        List<String> tags = new ArrayList<>(c.tags());
        JsonNode custom = c.customFields();
        return new CharacterMetadata(SCHEMA_VERSION, characterId, c.name(), s.project.id(), s.project.name(),
                new CharacterMetadata.Biographical(c.description(), tags),
                new CharacterMetadata.PhysicalAttributes(c.height(), c.build(), c.hairColor(), c.eyeColor()),
                source, derived, variants, custom == null || custom.isNull() ? null : custom,
                Timestamps.now(), s.sources().maxUpdatedAt());
    }

    /** The scene's video metadata as it would be written now (nothing is written); probes the segment videos. */
    public VideoMetadata videoMetadata(long sceneId) {
        return videoMetadata(sceneSnapshot(sceneId));
    }

    private VideoMetadata videoMetadata(SceneSnapshot s) {
        long sceneId = s.scene.id();
        List<VideoMetadata.SegmentInfo> segments = new ArrayList<>();
        List<VideoMetadata.SegmentTechnical> perSegment = new ArrayList<>();
        double duration = 0;
        ProbeResult first = null;
        for (Segment seg : s.segments) {
            segments.add(new VideoMetadata.SegmentInfo(seg.id(), seg.sequenceIndex(), seg.seedFramePath(),
                    seg.outputVideoPath(), seg.lastFramePath(), seg.status()));
            String video = seg.outputVideoPath();
            if (video == null) continue;
            ProbeResult r = probe(seg.id(), video);
            duration += r.durationSeconds();
            if (first == null && r.hasVideo()) first = r;
            perSegment.add(new VideoMetadata.SegmentTechnical(seg.id(), r.resolution(), r.videoCodec(),
                    round(r.fps(), 3), round(r.durationSeconds(), 3), r.frameCount(), r.pixelFormat(), r.formatName()));
        }
        VideoMetadata.TechnicalInfo technical = new VideoMetadata.TechnicalInfo(round(duration, 3),
                first == null ? "" : first.resolution(), first == null || first.videoCodec() == null ? "" : first.videoCodec(),
                first == null ? 0 : round(first.fps(), 3), segments.size(), technicalDifferences(perSegment), perSegment);
        VideoMetadata.QualityScores quality = null;
        if (!s.segments.isEmpty() && s.quality.size() == s.segments.size()) {
            List<Double> scores = s.segments.stream()
                    .map(seg -> s.quality.get(seg.id()).overallScore()).toList();
            quality = new VideoMetadata.QualityScores(round(scores.stream().mapToDouble(d -> d).average().orElse(0), 4), scores);
        }
        VideoMetadata.ProvenanceInfo provenance = s.provenance().provenance(sceneId, s.segmentIds());
        return new VideoMetadata(SCHEMA_VERSION, sceneId, s.scene.name(), s.character.id(),
                s.character.name(), s.sceneType.name(), technical, segments,
                provenance == null ? ProvenanceSource.unknown() : provenance, quality, Timestamps.now(), s.sources().maxUpdatedAt());
    }

    /** The technical values on which the segment videos disagree, in a fixed order. */
    static List<String> technicalDifferences(List<VideoMetadata.SegmentTechnical> videos) {
        List<String> differ = new ArrayList<>();
        Map<String, java.util.function.Function<VideoMetadata.SegmentTechnical, Object>> values = new java.util.LinkedHashMap<>();
        values.put("resolution", VideoMetadata.SegmentTechnical::resolution);
        values.put("codec", VideoMetadata.SegmentTechnical::codec);
        values.put("fps", VideoMetadata.SegmentTechnical::fps);
        values.put("pixel_format", VideoMetadata.SegmentTechnical::pixelFormat);
        values.put("container", VideoMetadata.SegmentTechnical::container);
        values.forEach((name, value) -> {
            if (videos.stream().map(value).distinct().count() > 1) differ.add(name);
        });
        return differ;
    }

    /** The document as the pretty-printed text written to disk (2-space indent, trailing newline). */
    public static String render(Object document) {
        try {
            return Json.PRETTY.writeValueAsString(Json.MAPPER.valueToTree(document)) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- writing

    public GeneratedFile regenerateCharacter(long characterId) {
        return locked(CHARACTER, characterId, () -> record(List.of(writeCharacter(characterId))).get(0));
    }

    public GeneratedFile regenerateScene(long sceneId) {
        return locked(SCENE, sceneId, () -> record(List.of(writeScene(sceneId))).get(0));
    }

    private Written writeCharacter(long characterId) {
        return writeCharacter(characterSnapshot(characterId));
    }

    private Written writeCharacter(CharacterSnapshot s) {
        long characterId = s.character.id();
        List<MediaUse> media = characterMedia(s);
        CharacterMetadata doc = characterMetadata(s);
        return writeFile(CHARACTER, characterId, MetadataSchemas.CHARACTER, doc, characterFile(s.project, s.character), s.sources())
                .withMedia(media);
    }

    private Written writeScene(long sceneId) {
        return writeScene(sceneSnapshot(sceneId));
    }

    private Written writeScene(SceneSnapshot s) {
        long sceneId = s.scene.id();
        List<MediaUse> media = sceneMedia(s); // before probing: a file re-rendered meanwhile then reads as changed
        VideoMetadata doc = videoMetadata(s);
        return writeFile(SCENE, sceneId, MetadataSchemas.VIDEO, doc, sceneFile(s.project, s.character, s.scene), s.sources())
                .withMedia(media);
    }

    private GeneratedFile write(String entityType, long id, String fileType, Object document, Path target, Sources sources) {
        return record(List.of(writeFile(entityType, id, fileType, document, target, sources))).get(0);
    }

    /** A file written to disk whose {@code metadata_generations} row is still to be recorded. */
    record Written(String entityType, long entityId, String fileType, String filePath, String generatedAt,
                   String sourceUpdatedAt, String sourceDigest, String fileHash, List<MediaUse> media) {
        Written withMedia(List<MediaUse> m) {
            return new Written(entityType, entityId, fileType, filePath, generatedAt, sourceUpdatedAt, sourceDigest, fileHash, m);
        }
    }

    /** Validates the document against its schema and writes it atomically (temp file + rename); records nothing. */
    private Written writeFile(String entityType, long id, String fileType, Object document, Path target, Sources sources) {
        JsonNode tree = Json.MAPPER.valueToTree(document);
        schemas.check(fileType, tree);
        byte[] bytes;
        try {
            bytes = (Json.PRETTY.writeValueAsString(tree) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        Path written;
        try (AtomicOutput out = createOutput(target)) {
            try (OutputStream os = Files.newOutputStream(out.temp())) {
                os.write(bytes);
            }
            written = FileModes.asNewFile(out.commit()); // not the temp file's owner-only 600
        } catch (IOException | UncheckedIOException e) {
            throw notWritable(target, e);
        }
        return new Written(entityType, id, fileType, stored(written), tree.get("generated_at").asText(),
                sources.maxUpdatedAt(), sources.digest(), sha256(bytes), List.of());
    }

    /**
     * Records written files in one transaction (a batch shares one SQLite write lock instead of queueing for it per
     * file). A row is only replaced by a newer generation, so a file written concurrently by auto-regeneration is
     * never described by an older batch's row; a file whose path changed (a renamed character) is removed.
     */
    private List<GeneratedFile> record(List<Written> files) {
        List<MetadataStore.Upserted> rows = store.upsertAll(files.stream().map(w -> new MetadataStore.Row(w.entityType(),
                w.entityId(), w.fileType(), w.filePath(), w.generatedAt(), w.sourceUpdatedAt(), w.sourceDigest(),
                SCHEMA_VERSION, w.fileHash(), w.media())).toList());
        List<GeneratedFile> out = new ArrayList<>(rows.size());
        for (MetadataStore.Upserted up : rows) {
            MetadataGeneration row = up.row();
            if (up.previousPath() != null && !up.previousPath().equals(row.filePath())) moved(resolve(up.previousPath()));
            out.add(new GeneratedFile("regenerated", row.entityType(), row.entityId(), row.fileType(), row.filePath(),
                    row.generatedAt(), row.sourceUpdatedAt(), row.schemaVersion(), row.fileHash()));
            announcer.publish(new ChangeEvent(ChangeEvent.METADATA, row.entityType(), row.entityId(), "written"));
        }
        return out;
    }

    /**
     * The file at a path older names gave it is removed, and so are the folders it leaves empty, up to the output
     * root. A folder that still holds something (another file still to move, a user's own notes) stays.
     */
    private void moved(Path old) {
        deleteQuietly(old);
        Path root = options.outputRoot().toAbsolutePath().normalize();
        for (Path dir = old.toAbsolutePath().normalize().getParent(); dir != null && dir.startsWith(root) && !dir.equals(root);
             dir = dir.getParent()) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) return;
            } catch (IOException e) {
                return; // already gone
            }
            try {
                Files.delete(dir);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static AtomicOutput createOutput(Path target) {
        return AtomicOutput.create(target);
    }

    static DomainException notWritable(Path target, Exception e) {
        Throwable cause = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        return new Unprocessable("output_not_writable", null, "cannot write " + target + ": "
                + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
    }

    /** {@code <root>/<project>-<id>/<character>-<id>/character_metadata.json}, names made safe by {@link SafeNames}. */
    Path characterFile(Project project, dev.reelmark.catalog.Character character) {
        return characterDir(project, character).resolve("character_metadata.json");
    }

    Path sceneFile(Project project, dev.reelmark.catalog.Character character, Scene scene) {
        return characterDir(project, character).resolve("scenes")
                .resolve(SafeNames.withId(scene.name(), scene.id())).resolve("video_metadata.json");
    }

    private Path characterDir(Project project, dev.reelmark.catalog.Character character) {
        return options.outputRoot().toAbsolutePath().normalize()
                .resolve(SafeNames.withId(project.name(), project.id()))
                .resolve(SafeNames.withId(character.name(), character.id()));
    }

    /** A path as stored: relative to the data directory when inside it. */
    private String stored(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(dataDir) ? dataDir.relativize(abs).toString() : abs.toString();
    }

    Path resolve(String stored) {
        Path p = Path.of(stored);
        return p.isAbsolute() ? p : dataDir.resolve(p).normalize();
    }

    // ---------------------------------------------------------------- staleness

    /** The recorded generation of a file, if it was ever written. */
    public Optional<MetadataGeneration> generation(String entityType, long entityId) {
        return store.find(entityType, entityId, CHARACTER.equals(entityType) ? MetadataSchemas.CHARACTER : MetadataSchemas.VIDEO);
    }

    /** The state of one entity's file against its sources and the disk. 404 for an unknown entity. */
    public Staleness staleness(String entityType, long entityId) {
        String fileType = CHARACTER.equals(entityType) ? MetadataSchemas.CHARACTER : MetadataSchemas.VIDEO;
        Sources sources;
        Path expected;
        if (CHARACTER.equals(entityType)) {
            CharacterSnapshot c = characterSnapshot(entityId);
            sources = c.sources();
            expected = characterFile(c.project, c.character);
        } else {
            SceneSnapshot sc = sceneSnapshot(entityId);
            sources = sc.sources();
            expected = sceneFile(sc.project, sc.character, sc.scene);
        }
        return staleness(entityType, entityId, fileType, sources, expected, store.find(entityType, entityId, fileType).orElse(null));
    }

    private Staleness staleness(String entityType, long id, String fileType, Sources sources, Path expected, MetadataGeneration g) {
        List<String> reasons = new ArrayList<>();
        if (g == null) {
            reasons.add(NOT_GENERATED);
            return new Staleness(entityType, id, sources.name(), fileType, null, null, null, sources.maxUpdatedAt(), reasons);
        }
        if (sources.maxUpdatedAt().compareTo(g.sourceUpdatedAt()) > 0 || !sources.digest().equals(g.sourceDigest())) {
            reasons.add(SOURCE_CHANGED);
        }
        if (!SCHEMA_VERSION.equals(g.schemaVersion())) reasons.add(SCHEMA_CHANGED);
        Path file = resolve(g.filePath());
        if (!file.toAbsolutePath().normalize().equals(expected.toAbsolutePath().normalize())) reasons.add(PATH_CHANGED);
        if (!Files.isRegularFile(file)) {
            reasons.add(FILE_MISSING);
        } else {
            try {
                if (!sha256(Files.readAllBytes(file)).equals(g.fileHash())) reasons.add(FILE_MODIFIED);
            } catch (IOException e) {
                reasons.add(FILE_MISSING);
            }
        }
        List<MediaProblem> media = mediaProblems(g.media());
        if (g.media() == null) reasons.add(MEDIA_UNRECORDED);
        media.stream().map(MediaProblem::reason).distinct().forEach(reasons::add);
        return new Staleness(entityType, id, sources.name(), fileType, g.filePath(), g.generatedAt(), g.sourceUpdatedAt(),
                sources.maxUpdatedAt(), reasons, media);
    }

    /** Every stale (or never generated, missing, hand-edited) file of a project, grouped by file type. */
    public StaleReport staleReport(long projectId) {
        List<Staleness> all = checkProject(projectId);
        List<Staleness> stale = all.stream().filter(Staleness::stale).toList();
        return new StaleReport(projectId,
                stale.stream().filter(s -> s.fileType().equals(MetadataSchemas.CHARACTER)).toList(),
                stale.stream().filter(s -> s.fileType().equals(MetadataSchemas.VIDEO)).toList(),
                stale.size(), all.size());
    }

    /** The state of every file of a project (characters, then their scenes). */
    public List<Staleness> checkProject(long projectId) {
        List<WorkItem> items = workItems(projectId);
        List<Staleness> result = new ArrayList<>();
        for (int from = 0; from < items.size(); from += SNAPSHOT_CHUNK) {
            List<WorkItem> chunk = items.subList(from, Math.min(items.size(), from + SNAPSHOT_CHUNK));
            Chunk c = loadChunk(chunk);
            for (WorkItem item : chunk) {
                try {
                    result.add(c.staleness(item));
                } catch (DomainException e) {
                    if (!(e instanceof NotFound)) throw e; // deleted meanwhile: nothing to report
                }
            }
        }
        return result;
    }

    /** How many work items share one set of catalog reads. */
    private static final int SNAPSHOT_CHUNK = 256;

    /** The snapshots and recorded generations of a run of work items, read together. */
    private final class Chunk {
        final Snapshots snapshots;
        final Map<Long, MetadataGeneration> characterRows;
        final Map<Long, MetadataGeneration> sceneRows;

        Chunk(Snapshots snapshots, Map<Long, MetadataGeneration> characterRows, Map<Long, MetadataGeneration> sceneRows) {
            this.snapshots = snapshots;
            this.characterRows = characterRows;
            this.sceneRows = sceneRows;
        }

        Staleness staleness(WorkItem item) {
            boolean character = CHARACTER.equals(item.entityType());
            Sources sources;
            Path expected;
            if (character) {
                CharacterSnapshot c = snapshots.character(item.entityId());
                sources = c.sources();
                expected = characterFile(c.project, c.character);
            } else {
                SceneSnapshot sc = snapshots.scene(item.entityId());
                sources = sc.sources();
                expected = sceneFile(sc.project, sc.character, sc.scene);
            }
            return MetadataService.this.staleness(item.entityType(), item.entityId(), item.fileType(), sources, expected,
                    (character ? characterRows : sceneRows).get(item.entityId()));
        }

        /** Builds and writes the item's file (not yet recorded); null when {@code staleOnly} and it is current. */
        Written build(WorkItem item, boolean staleOnly) {
            if (staleOnly && !staleness(item).stale()) return null;
            long id = item.entityId();
            return CHARACTER.equals(item.entityType())
                    ? locked(CHARACTER, id, () -> writeCharacter(snapshots.character(id)))
                    : locked(SCENE, id, () -> writeScene(snapshots.scene(id)));
        }
    }

    /** Probes the clips of the chunk's scenes together (kept answers in one query, new ones in parallel). */
    private void prefetchProbes(Chunk chunk, List<WorkItem> items) {
        List<Path> videos = new ArrayList<>();
        for (WorkItem item : items) {
            if (!SCENE.equals(item.entityType())) continue;
            SceneSnapshot s;
            try {
                s = chunk.snapshots.scene(item.entityId());
            } catch (DomainException e) {
                continue; // deleted meanwhile: its build reports it
            }
            for (Segment seg : s.segments) {
                if (seg.outputVideoPath() == null) continue;
                roots.resolve(seg.outputVideoPath()).filter(Files::isRegularFile).ifPresent(videos::add);
            }
        }
        probes.prefetch(videos);
    }

    private Chunk loadChunk(List<WorkItem> items) {
        List<Long> characters = items.stream().filter(i -> CHARACTER.equals(i.entityType())).map(WorkItem::entityId).toList();
        List<Long> scenes = items.stream().filter(i -> SCENE.equals(i.entityType())).map(WorkItem::entityId).toList();
        return new Chunk(snapshots(characters, scenes), store.findAll(CHARACTER, MetadataSchemas.CHARACTER, characters),
                store.findAll(SCENE, MetadataSchemas.VIDEO, scenes));
    }

    // ---------------------------------------------------------------- batches

    /** The characters of a project (id order), each followed by its scenes. 404 for an unknown project. */
    public List<WorkItem> workItems(long projectId) {
        CatalogReads reads = catalog.reads();
        reads.requireProject(projectId);
        List<WorkItem> items = new ArrayList<>();
        List<dev.reelmark.catalog.Character> characters = reads.charactersOf(projectId);
        Map<Long, List<Scene>> scenes = new java.util.HashMap<>();
        for (Scene s : reads.scenesOfCharacters(characters.stream().map(dev.reelmark.catalog.Character::id).toList())) {
            scenes.computeIfAbsent(s.characterId(), k -> new ArrayList<>()).add(s);
        }
        for (dev.reelmark.catalog.Character c : characters) {
            items.add(new WorkItem(CHARACTER, c.id(), c.name()));
            for (Scene s : scenes.getOrDefault(c.id(), List.of())) items.add(new WorkItem(SCENE, s.id(), s.name()));
        }
        return items;
    }

    /** 422 {@code no_characters} when the project exists but has no characters (404 when it does not exist). */
    public void requireCharacters(long projectId) {
        CatalogReads reads = catalog.reads();
        reads.requireProject(projectId);
        if (reads.charactersOf(projectId).isEmpty()) {
            throw new Unprocessable("no_characters", "project_id", "project " + projectId + " has no characters: there is no metadata to generate");
        }
    }

    /** Told about each item of a batch, in item order, on the caller's thread. May throw to stop the batch. */
    public interface ItemListener {
        /** {@code error} is null on success; then {@code regenerated} says whether it was written or skipped. */
        void done(int index, WorkItem item, boolean regenerated, RuntimeException error);
    }

    /** At most this long between two recording transactions of a batch (the count is {@link Options#recordBatch}). */
    private static final long RECORD_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /**
     * Regenerates {@code items[from..]} with {@link Options#parallelism()} workers, a bounded window ahead of the
     * reporting, and reports each item in order to {@code listener}. Workers build, validate and write the files;
     * this thread records them in {@code metadata_generations} a few hundred at a time, and reports an item only
     * once it is recorded. When the listener throws (a job paused or cancelled at its checkpoint), work not yet
     * reported is abandoned and the exception propagates; an item built ahead may already be written, which is
     * harmless because regeneration is idempotent (its file is reported stale until regenerated again).
     */
    public void regenerateItems(List<WorkItem> items, int from, boolean staleOnly, ItemListener listener) {
        regenerateItems(items, from, staleOnly, listener, next -> { });
    }

    /**
     * {@link #regenerateItems(List, int, boolean, ItemListener)}, telling {@code recorded} after each recording
     * transaction that every item before {@code next} is written and recorded: the moment for a job checkpoint.
     */
    public void regenerateItems(List<WorkItem> items, int from, boolean staleOnly, ItemListener listener,
                                java.util.function.IntConsumer recorded) {
        int workers = Math.max(1, options.parallelism());
        var pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "metadata-batch");
            t.setDaemon(true);
            return t;
        });
        java.util.ArrayDeque<java.util.concurrent.Future<Written>> window = new java.util.ArrayDeque<>();
        record Outcome(int index, Written written, RuntimeException error) {
        }
        List<Outcome> pending = new ArrayList<>();
        int next = from;
        Chunk chunk = null;
        long batchStart = System.nanoTime();
        try {
            for (int i = from; i < items.size(); i++) {
                while (next < items.size() && window.size() < workers * 8) {
                    if (chunk == null || (next - from) % SNAPSHOT_CHUNK == 0) {
                        List<WorkItem> part = items.subList(next, Math.min(items.size(), next + SNAPSHOT_CHUNK));
                        chunk = loadChunk(part);
                        // every clip of the chunk probed at once (bounded), before the workers ask one by one
                        if (!staleOnly) prefetchProbes(chunk, part);
                    }
                    WorkItem item = items.get(next++);
                    Chunk c = chunk;
                    window.add(pool.submit(() -> c.build(item, staleOnly)));
                }
                Written written = null;
                RuntimeException error = null;
                try {
                    written = window.poll().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    error = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                pending.add(new Outcome(i, written, error));
                boolean last = i == items.size() - 1;
                if (last || pending.size() >= options.recordBatch() || System.nanoTime() - batchStart >= RECORD_INTERVAL_NANOS) {
                    RuntimeException recordError = null;
                    List<Written> toRecord = pending.stream().map(Outcome::written).filter(java.util.Objects::nonNull).toList();
                    try {
                        if (!toRecord.isEmpty()) record(toRecord);
                    } catch (RuntimeException e) {
                        recordError = e;
                    }
                    for (Outcome o : pending) {
                        RuntimeException failure = o.error() != null ? o.error() : o.written() != null ? recordError : null;
                        listener.done(o.index(), items.get(o.index()), failure == null && o.written() != null, failure);
                    }
                    pending.clear();
                    recorded.accept(i + 1);
                    batchStart = System.nanoTime();
                }
            }
        } finally {
            window.forEach(f -> f.cancel(false));
            pool.shutdown();
        }
    }


    /** A whole project, synchronously (the CLI and the benchmark; the API runs {@link MetadataRegenerateJob}). */
    public RegenerationReport regenerateProject(long projectId, boolean staleOnly) {
        requireCharacters(projectId);
        long start = System.nanoTime();
        int[] counts = new int[2];
        List<Failure> failures = new ArrayList<>();
        regenerateItems(workItems(projectId), 0, staleOnly, (i, item, regenerated, error) -> {
            if (error != null) failures.add(new Failure(item.entityType(), item.entityId(), item.name(), describe(error)));
            else counts[regenerated ? 0 : 1]++;
        });
        int regenerated = counts[0], skipped = counts[1];
        return new RegenerationReport(projectId, staleOnly, regenerated, skipped, failures.size(), failures,
                (System.nanoTime() - start) / 1e9);
    }

    static String describe(Throwable e) {
        return e instanceof DomainException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    // ---------------------------------------------------------------- auto-regeneration

    /**
     * The {@link CatalogService#onChange} listener: gathers the characters and scenes whose files a change affects
     * and regenerates them on a background thread after {@link Options#debounce()}. A no-op when auto-regeneration
     * is off. Never throws into the catalog's write path.
     */
    public void onCatalogChange(CatalogService.CatalogChange change) {
        if (!options.autoRegenerate()) return;
        changes.add(change); // resolved on the background thread: the catalog's write path stays as fast as it was
        scheduleFlush();
    }

    private void collectAffected(CatalogService.CatalogChange change) {
        EntityType type = change.type();
        long id = change.id();
        boolean deleted = "deleted".equals(change.action());
        if (type == CatalogModel.CHARACTERS) {
            if (deleted) { forget(CHARACTER, id); sweepPending = true; return; }
            pendingCharacters.add(id);
            catalog.reads().scenesOf(id).forEach(s -> pendingScenes.add(s.id()));
        } else if (type == CatalogModel.SCENES) {
            if (deleted) { forget(SCENE, id); return; }
            pendingScenes.add(id);
        } else if (deleted && type != CatalogModel.FRAME_METRICS && type != CatalogModel.ASSETS) {
            sweepPending = true; // the parent of a deleted row is no longer known: recheck what is recorded
        } else if (type == CatalogModel.PROJECTS) {
            // the project's name is the top folder of every file: a rename moves the scenes' files too
            List<Long> characters = catalog.reads().charactersOf(id).stream().map(dev.reelmark.catalog.Character::id).toList();
            pendingCharacters.addAll(characters);
            catalog.reads().scenesOfCharacters(characters).forEach(s -> pendingScenes.add(s.id()));
        } else if (type == CatalogModel.IMAGES) {
            pendingCharacters.add(catalog.reads().requireImage(id).characterId());
        } else if (type == CatalogModel.IMAGE_VARIANTS) {
            long image = catalog.reads().imageOfVariant(id).orElseThrow(() -> NotFound.of(type.label(), id));
            pendingCharacters.add(catalog.reads().requireImage(image).characterId());
        } else if (type == CatalogModel.SCENE_TYPES) {
            catalog.reads().scenesOfType(id).forEach(s -> pendingScenes.add(s.id()));
        } else if (type == CatalogModel.SEGMENTS) {
            pendingScenes.add(catalog.reads().requireSegment(id).sceneId());
        } else if (type == CatalogModel.SEGMENT_QUALITY) {
            long segment = catalog.reads().segmentQuality(id).orElseThrow(() -> NotFound.of(type.label(), id)).segmentId();
            pendingScenes.add(catalog.reads().requireSegment(segment).sceneId());
        }
    }

    private synchronized void scheduleFlush() {
        if (flushScheduled || scheduler.isShutdown()) return;
        flushScheduled = true;
        scheduler.schedule(this::flush, options.debounce().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void flush() {
        synchronized (this) {
            flushScheduled = false;
        }
        for (CatalogService.CatalogChange change; (change = changes.poll()) != null; ) {
            try {
                collectAffected(change);
            } catch (RuntimeException e) {
                LOG.debug("metadata: cannot resolve {}: {}", change, e.getMessage());
                sweepPending = true; // e.g. the row was deleted meanwhile
            }
        }
        List<Long> characters = drain(pendingCharacters);
        List<Long> scenes = drain(pendingScenes);
        boolean sweep = sweepPending;
        sweepPending = false;
        for (long id : characters) autoRegenerate(CHARACTER, id);
        for (long id : scenes) autoRegenerate(SCENE, id);
        if (sweep) sweepRecorded();
    }

    private static List<Long> drain(Set<Long> pending) {
        List<Long> ids = new ArrayList<>(pending);
        pending.removeAll(ids);
        ids.sort(Comparator.naturalOrder());
        return ids;
    }

    private void autoRegenerate(String entityType, long id) {
        try {
            if (CHARACTER.equals(entityType)) regenerateCharacter(id); else regenerateScene(id);
        } catch (DomainException e) {
            if (e instanceof NotFound) forget(entityType, id);
            else LOG.warn("metadata: cannot regenerate {} {}: {}", entityType, id, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("metadata: cannot regenerate {} {}", entityType, id, e);
        }
    }

    /** After a delete whose parent is unknown: regenerate recorded files that went stale, forget vanished entities. */
    private void sweepRecorded() {
        for (MetadataGeneration g : store.all()) {
            try {
                if (staleness(g.entityType(), g.entityId()).reasons().contains(SOURCE_CHANGED)) autoRegenerate(g.entityType(), g.entityId());
            } catch (DomainException e) {
                if (e instanceof NotFound) forget(g.entityType(), g.entityId());
            } catch (RuntimeException e) {
                LOG.warn("metadata: sweep of {} {} failed", g.entityType(), g.entityId(), e);
            }
        }
    }

    /** Removes the record and the file of a deleted entity. */
    private void forget(String entityType, long id) {
        String fileType = CHARACTER.equals(entityType) ? MetadataSchemas.CHARACTER : MetadataSchemas.VIDEO;
        store.find(entityType, id, fileType).ifPresent(g -> deleteQuietly(resolve(g.filePath())));
        store.delete(entityType, id);
    }

    /** Waits until changes gathered so far are written (tests, shutdown). */
    public void awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!flushScheduled && changes.isEmpty() && pendingCharacters.isEmpty() && pendingScenes.isEmpty() && !sweepPending) {
                var done = scheduler.submit(() -> { });
                try {
                    done.get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    return;
                }
                if (!flushScheduled) return;
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- catalog snapshots

    /** One catalog row a metadata file is built from, for its sources digest. */
    record Part(String kind, long id, Instant updatedAt) {
    }

    private record CharacterSnapshot(dev.reelmark.catalog.Character character, Project project, List<Image> images,
                                     List<ImageVariant> variants) {
        Sources sources() {
            List<Part> parts = new ArrayList<>();
            parts.add(new Part("project", project.id(), project.updatedAt()));
            parts.add(new Part("character", character.id(), character.updatedAt()));
            images.forEach(i -> parts.add(new Part("image", i.id(), i.updatedAt())));
            variants.forEach(v -> parts.add(new Part("variant", v.id(), v.updatedAt())));
            return MetadataService.sources(character.name(), parts, null);
        }
    }

    /** {@code provenance} is a view of the provenance source with the scene's receipts already loaded. */
    private record SceneSnapshot(Scene scene, dev.reelmark.catalog.Character character, Project project, SceneType sceneType,
                                 List<Segment> segments, Map<Long, SegmentQuality> quality, ProvenanceSource provenance,
                                 String provenanceUpdatedAt) {
        List<Long> segmentIds() {
            return segments.stream().map(Segment::id).toList();
        }

        Sources sources() {
            List<Part> parts = new ArrayList<>();
            parts.add(new Part("scene", scene.id(), scene.updatedAt()));
            parts.add(new Part("character", character.id(), character.updatedAt()));
            parts.add(new Part("scene_type", sceneType.id(), sceneType.updatedAt()));
            segments.forEach(sg -> parts.add(new Part("segment", sg.id(), sg.updatedAt())));
            quality.values().forEach(q -> parts.add(new Part("quality", q.id(), q.updatedAt())));
            return MetadataService.sources(scene.name(), parts, provenanceUpdatedAt);
        }
    }

    private record Snapshots(Map<Long, CharacterSnapshot> characters, Map<Long, SceneSnapshot> scenes) {
        CharacterSnapshot character(long id) {
            CharacterSnapshot s = characters.get(id);
            if (s == null) throw NotFound.of("character", id);
            return s;
        }

        SceneSnapshot scene(long id) {
            SceneSnapshot s = scenes.get(id);
            if (s == null) throw NotFound.of("scene", id);
            return s;
        }
    }

    private Snapshots snapshots(java.util.Collection<Long> characterIds, java.util.Collection<Long> sceneIds) {
        CatalogReads reads = catalog.reads();
        List<Scene> sceneRows = reads.scenes(sceneIds);
        Set<Long> allCharacterIds = new java.util.HashSet<>(characterIds);
        sceneRows.forEach(sc -> allCharacterIds.add(sc.characterId()));
        Map<Long, dev.reelmark.catalog.Character> characters = reads.characters(allCharacterIds);
        Map<Long, Project> projects = reads.projects(characters.values().stream()
                .map(dev.reelmark.catalog.Character::projectId).toList());

        Map<Long, List<Image>> imagesByCharacter = new java.util.HashMap<>();
        for (Image i : reads.imagesOf(characterIds)) imagesByCharacter.computeIfAbsent(i.characterId(), k -> new ArrayList<>()).add(i);
        List<Long> currentImages = imagesByCharacter.values().stream().flatMap(List::stream)
                .filter(Image::currentVersion).map(Image::id).toList();
        Map<Long, List<ImageVariant>> variantsByImage = new java.util.HashMap<>();
        for (ImageVariant v : reads.variantsOf(currentImages)) variantsByImage.computeIfAbsent(v.imageId(), k -> new ArrayList<>()).add(v);
        Map<Long, CharacterSnapshot> characterSnapshots = new java.util.HashMap<>();
        for (long id : characterIds) {
            dev.reelmark.catalog.Character character = characters.get(id);
            if (character == null) continue;
            List<Image> images = imagesByCharacter.getOrDefault(id, List.of());
            List<ImageVariant> variants = new ArrayList<>();
            for (Image image : images) {
                if (image.currentVersion()) variants.addAll(variantsByImage.getOrDefault(image.id(), List.of()));
            }
            variants.sort(Comparator.comparingLong(ImageVariant::id));
            characterSnapshots.put(id, new CharacterSnapshot(character, projects.get(character.projectId()), images, variants));
        }

        Map<Long, SceneType> sceneTypes = reads.sceneTypes(sceneRows.stream().map(Scene::sceneTypeId).toList());
        Map<Long, List<Segment>> segmentsByScene = reads.segmentsOfScenes(sceneIds);
        List<Long> segmentIds = segmentsByScene.values().stream().flatMap(List::stream).map(Segment::id).toList();
        Map<Long, SegmentQuality> qualityBySegment = reads.quality(segmentIds); // one per segment
        ProvenanceSource provenance = segmentIds.isEmpty() ? options.provenance() : options.provenance().prefetch(segmentIds);
        Map<Long, SceneSnapshot> sceneSnapshots = new java.util.HashMap<>();
        for (Scene scene : sceneRows) {
            long sceneId = scene.id();
            dev.reelmark.catalog.Character character = characters.get(scene.characterId());
            List<Segment> segments = segmentsByScene.getOrDefault(sceneId, List.of()); // in sequence order
            List<Long> ids = segments.stream().map(Segment::id).toList();
            Map<Long, SegmentQuality> quality = new java.util.LinkedHashMap<>();
            for (long id : ids) if (qualityBySegment.containsKey(id)) quality.put(id, qualityBySegment.get(id));
            sceneSnapshots.put(sceneId, new SceneSnapshot(scene, character, projects.get(character.projectId()),
                    sceneTypes.get(scene.sceneTypeId()), segments, quality, provenance,
                    provenance.sourceUpdatedAt(sceneId, ids)));
        }
        return new Snapshots(characterSnapshots, sceneSnapshots);
    }

    private CharacterSnapshot characterSnapshot(long characterId) {
        return snapshots(List.of(characterId), List.of()).character(characterId);
    }

    private SceneSnapshot sceneSnapshot(long sceneId) {
        return snapshots(List.of(), List.of(sceneId)).scene(sceneId);
    }

    /** The newest updated_at over the parts, and a digest of which parts there are and their stamps. */
    static Sources sources(String name, List<Part> parts, String extraUpdatedAt) {
        String max = extraUpdatedAt == null ? "" : extraUpdatedAt;
        StringBuilder digest = new StringBuilder();
        for (Part part : parts) {
            String at = Timestamps.format(part.updatedAt());
            if (at.compareTo(max) > 0) max = at;
            digest.append(part.kind()).append(':').append(part.id()).append('@').append(at).append('|');
        }
        return new Sources(name, max, sha256(digest.toString().getBytes(StandardCharsets.UTF_8)));
    }

    // ---------------------------------------------------------------- media checks

    /** The identities of the current images a character file is built from (missing ones fail the build itself). */
    private List<MediaUse> characterMedia(CharacterSnapshot s) {
        List<MediaUse> out = new ArrayList<>();
        for (Image image : s.images) {
            if (!image.currentVersion()) continue;
            String stored = image.path();
            identify(stored).ifPresent(i -> out.add(MediaUse.of(MediaUse.IMAGE, image.id(), stored, i)));
        }
        return out;
    }

    /** The identities of the segment videos a scene file is built from (missing ones fail the build itself). */
    private List<MediaUse> sceneMedia(SceneSnapshot s) {
        List<MediaUse> out = new ArrayList<>();
        for (Segment seg : s.segments) {
            String stored = seg.outputVideoPath();
            if (stored == null) continue;
            identify(stored).ifPresent(i -> out.add(MediaUse.of(MediaUse.SEGMENT_VIDEO, seg.id(), stored, i)));
        }
        return out;
    }

    private Optional<MediaIdentity.Identity> identify(String stored) {
        return roots.resolve(stored).flatMap(f -> identities.find(f, roots));
    }

    /** Each recorded media file that is not what it was when the metadata file was written. */
    private List<MediaProblem> mediaProblems(List<MediaUse> recorded) {
        if (recorded == null || recorded.isEmpty()) return List.of();
        List<MediaProblem> out = new ArrayList<>();
        for (MediaUse use : recorded) {
            Optional<Path> file = roots.resolve(use.path());
            MediaIdentity.Check check = file.isEmpty()
                    ? new MediaIdentity.Check(MediaIdentity.Status.MISSING, use.sha256(), null, "outside the data directory")
                    : identities.check(file.get(), use.identity(), roots);
            if (check.matches()) continue;
            boolean missing = check.status() == MediaIdentity.Status.MISSING;
            out.add(new MediaProblem(missing ? MEDIA_MISSING : MEDIA_CHANGED, use.kind(), use.id(), use.path(), use.sha256(),
                    missing ? null : check.current().sha256(),
                    use.describe() + (missing ? " is missing" + (check.problem() == null ? "" : ": " + check.problem())
                            : " changed since the file was written (sha256 " + abbreviate(use.sha256()) + " → "
                            + abbreviate(check.current().sha256()) + ")")));
        }
        return out;
    }

    private static String abbreviate(String sha) {
        return sha == null || sha.length() < 12 ? String.valueOf(sha) : sha.substring(0, 12);
    }

    private void checkImageFile(long characterId, Image image) {
        String stored = image.path();
        Path file = roots.resolve(stored).orElseThrow(() -> new Unprocessable("path_outside_roots", "path",
                "image " + image.id() + " of character " + characterId + ": path '" + stored
                        + "' is outside the data directory"));
        if (!Files.isRegularFile(file)) {
            throw new Unprocessable("image_missing", "path", "image " + image.id() + " of character "
                    + characterId + " points at a missing file: " + stored);
        }
    }

    private ProbeResult probe(long segmentId, String stored) {
        Path video = roots.resolve(stored).orElseThrow(() -> new Unprocessable("path_outside_roots", "output_video_path",
                "segment " + segmentId + ": output_video_path '" + stored + "' is outside the data directory"));
        if (!Files.isRegularFile(video)) {
            throw new Unprocessable("video_missing", "output_video_path", "the video of segment " + segmentId + " is missing: " + stored);
        }
        try {
            return probes.probe(video);
        } catch (MediaException e) {
            throw new Unprocessable("unreadable_media", "output_video_path", "cannot read the video of segment " + segmentId + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- helpers

    private <T> T locked(String entityType, long id, Supplier<T> work) {
        ReentrantLock lock = locks[Math.floorMod((entityType + id).hashCode(), locks.length)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    private static CharacterMetadata.ImageReference imageRef(Image image) {
        return new CharacterMetadata.ImageReference(image.id(), image.filename(), image.path(), image.imageType());
    }

    private static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: an old file left behind is reported by nothing and harms nothing
        }
    }

    static Set<String> reasonsOf(List<Staleness> list) {
        Set<String> out = new LinkedHashSet<>();
        list.forEach(s -> out.addAll(s.reasons()));
        return out;
    }
}
