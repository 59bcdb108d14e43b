package dev.reelmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogReads;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.catalog.Scene;
import dev.reelmark.catalog.Segment;
import dev.reelmark.footage.GenerationFacts;
import dev.reelmark.footage.SegmentFacts;
import dev.reelmark.catalog.EntityType;
import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.errors.Conflict;
import dev.reelmark.media.FfmpegTools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The generation ledger's public service: the seed's functions (get all, get one, add-or-update, mark failed,
 * generate-and-store) over a {@link LedgerStore}, plus mirroring catalog segments into the ledger.
 *
 * <p><b>Mirroring.</b> {@link #mirrorCatalog} writes one entry per segment of a project: first key
 * {@code scene-<sceneId>}, second key {@code segment-<sequenceIndex>} (a second segment with the same index in the
 * same scene gets {@code segment-<sequenceIndex>-id<segmentId>}), status from the segment (complete/approved → ready,
 * failed → failed, generating → generating, anything else → pending), localPath = {@code output_video_path},
 * createdAt = the segment's creation. Mirrored entries carry {@code "catalog": {projectId, sceneId, segmentId}}; a
 * prompt set on such an entry is kept. Entries of segments, scenes and characters that no longer exist are removed.
 * A project can be followed ({@link #mirrorCatalog(long, Boolean)}, the list lives in {@code <name>.mirror.json}
 * beside the ledger): {@link #onCatalogChange} then keeps its entries in step with every catalog write.
 */
public final class LedgerService {
    /** Made on first use: a ledger command that logs nothing does not start the logging backend. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(LedgerService.class);
    }
    public static final int MAX_PROMPT = 10_000;
    public static final int MAX_PATH = 4096;
    public static final int MAX_ERROR = 10_000;

    private final LedgerStore store;
    private final VideoGenerator generator;
    private final CatalogService catalog;
    private final Path dataDir;
    private final Clock clock;
    /** Generation facts of mirrored segments (receipt first, else the clip's comment); null mirrors no facts. */
    private volatile SegmentFacts facts;

    /**
     * @param catalog null when the catalog is not available (then mirroring answers 409)
     * @param dataDir what stored local paths are relative to
     */
    public LedgerService(LedgerStore store, VideoGenerator generator, CatalogService catalog, Path dataDir, Clock clock) {
        this.store = Objects.requireNonNull(store);
        this.generator = Objects.requireNonNull(generator);
        this.catalog = catalog;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.clock = clock;
    }

    public LedgerService(LedgerStore store, VideoGenerator generator, CatalogService catalog, Path dataDir) {
        this(store, generator, catalog, dataDir, Clock.systemUTC());
    }

    /** The composition root's way: the store and generator that {@code config} describes. */
    public static LedgerService create(LedgerConfig config, CatalogService catalog, Path dataDir, Supplier<FfmpegTools> tools) {
        return new LedgerService(config.store(), config.generator(dataDir, tools), catalog, dataDir);
    }

    /** Mirrored entries carry each segment's generation facts (prompt, and {@code generation} with its source). */
    public LedgerService withSegmentFacts(SegmentFacts segmentFacts) {
        this.facts = segmentFacts;
        return this;
    }

    public LedgerStore store() {
        return store;
    }

    public LedgerKeys keys() {
        return store.keys();
    }

    public VideoGenerator generator() {
        return generator;
    }

    public Path dataDir() {
        return dataDir;
    }

    public ObjectNode toJson(LedgerEntry entry) {
        return store.toJson(entry);
    }

    /** Builds a key from the configured names (400 naming the field when a value is invalid). */
    public EntryKey key(String first, String second) {
        return EntryKey.of(keys(), first, second);
    }

    // ---- the seed's functions ----

    /** getAllVideoMetadata: every entry in file order. */
    public List<LedgerEntry> all() {
        return store.readAll();
    }

    /** Every entry, or those with {@code status} (null: all). */
    public List<LedgerEntry> list(LedgerStatus status) {
        List<LedgerEntry> all = store.readAll();
        return status == null ? all : all.stream().filter(e -> e.status() == status).toList();
    }

    /** getVideoMetadata: the entry, if any. */
    public Optional<LedgerEntry> find(EntryKey key) {
        return store.find(key);
    }

    /** The entry, or a 404. */
    public LedgerEntry get(EntryKey key) {
        return find(key).orElseThrow(() -> notFound(key));
    }

    /** What a client may set on an entry (PUT, {@code ledger set}). */
    public record EntryInput(String prompt, LedgerStatus status, String localPath, String error) {
    }

    /**
     * Add or update ({@code setVideoMetadata} for people): prompt required; status defaults to pending; an error only
     * on a failed entry. An existing entry keeps its createdAt (and catalog link and hand-added fields);
     * completedAt is set when the entry becomes ready or failed, kept while it stays so, cleared otherwise.
     */
    public LedgerEntry put(EntryKey key, EntryInput input) {
        String prompt = checkPrompt(input.prompt());
        LedgerStatus status = input.status() == null ? LedgerStatus.PENDING : input.status();
        String localPath = checkPath(input.localPath());
        String error = input.error();
        if (error != null && status != LedgerStatus.FAILED) {
            throw InvalidInput.field("error", "only a failed entry has an error (status is " + status.value() + ")");
        }
        if (error != null) error = checkError(error);
        String err = error;
        return store.modify(entries -> {
            int i = indexOf(entries, key);
            LedgerEntry old = i < 0 ? null : entries.get(i);
            Instant now = now();
            Instant completed = !status.isFinished() ? null
                    : old != null && old.status() == status && old.completedAt() != null ? old.completedAt() : now;
            LedgerEntry entry = new LedgerEntry(key.spotId(), key.eraId(), prompt, localPath, status,
                    old == null ? now : old.createdAt(), completed, err, old == null ? null : old.catalog(),
                    old == null ? null : old.extra());
            if (i < 0) entries.add(entry);
            else entries.set(i, entry);
            return entry;
        });
    }

    /**
     * A partial update: only the fields given change. {@code prompt} and {@code status} are null when not given;
     * {@code localPath} and {@code error} are null when not given, {@link Optional#empty()} to clear them.
     */
    public record EntryPatch(String prompt, LedgerStatus status, Optional<String> localPath, Optional<String> error) {
        public static EntryPatch of(String prompt, LedgerStatus status, String localPath, String error) {
            return new EntryPatch(prompt, status, localPath == null ? null : Optional.of(localPath),
                    error == null ? null : Optional.of(error));
        }
    }

    /** One update of a batch, with the line it came from (1-based; 0 when it has none). */
    public record KeyedPatch(int line, EntryKey key, EntryPatch patch) {
    }

    /** What a batch did. */
    public record BatchResult(int applied, int added, int updated, int unchanged) {
    }

    /**
     * Changes only the given fields of the entry (and keeps the others, createdAt, catalog link and hand-added
     * fields); a new entry needs a prompt and starts pending. Moving away from failed clears the error; an error is
     * only accepted on an entry that ends up failed. completedAt follows the status as in {@link #put}.
     */
    public LedgerEntry update(EntryKey key, EntryPatch patch) {
        EntryPatch p = checkPatch(patch);
        return store.modify(entries -> {
            int i = indexOf(entries, key);
            LedgerEntry merged = merge(key, i < 0 ? null : entries.get(i), p, now());
            if (i < 0) entries.add(merged);
            else entries.set(i, merged);
            return merged;
        });
    }

    /**
     * Applies every update in order under one lock with one atomic write, all or nothing: when any update is
     * invalid (against the input or the entries as the earlier updates left them) nothing is written and the
     * {@link BatchException} lists every bad line.
     */
    public BatchResult applyAll(List<KeyedPatch> updates) {
        List<String> problems = new ArrayList<>();
        List<KeyedPatch> checked = new ArrayList<>(updates.size());
        for (KeyedPatch u : updates) {
            try {
                EntryKey.of(keys(), u.key().spotId(), u.key().eraId());
                checked.add(new KeyedPatch(u.line(), u.key(), checkPatch(u.patch())));
            } catch (DomainException e) {
                problems.add(lineProblem(u.line(), e));
            }
        }
        if (!problems.isEmpty()) throw new BatchException(problems);
        return store.modify(entries -> {
            Map<EntryKey, Integer> index = new HashMap<>();
            for (int i = 0; i < entries.size(); i++) index.putIfAbsent(entries.get(i).key(), i);
            Instant now = now();
            int added = 0;
            int updated = 0;
            int unchanged = 0;
            List<String> late = new ArrayList<>();
            for (KeyedPatch u : checked) {
                Integer i = index.get(u.key());
                try {
                    LedgerEntry old = i == null ? null : entries.get(i);
                    LedgerEntry merged = merge(u.key(), old, u.patch(), now);
                    if (i == null) {
                        index.put(u.key(), entries.size());
                        entries.add(merged);
                        added++;
                    } else if (merged.equals(old)) {
                        unchanged++;
                    } else {
                        entries.set(i, merged);
                        updated++;
                    }
                } catch (DomainException e) {
                    late.add(lineProblem(u.line(), e));
                }
            }
            if (!late.isEmpty()) throw new BatchException(late);
            return new BatchResult(checked.size(), added, updated, unchanged);
        });
    }

    /** A batch with bad updates: 400, one message line per bad input line; nothing was written. */
    public static final class BatchException extends InvalidInput {
        private final List<String> problems;

        public BatchException(List<String> problems) {
            super("bad_request", null, problems.size() + " bad update" + (problems.size() == 1 ? "" : "s")
                    + ", nothing was written:\n" + String.join("\n", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private static String lineProblem(int line, DomainException e) {
        return (line > 0 ? "line " + line + ": " : "") + e.getMessage();
    }

    private static EntryPatch checkPatch(EntryPatch p) {
        if (p.prompt() != null) checkPrompt(p.prompt());
        if (p.localPath() != null && p.localPath().isPresent()) checkPath(p.localPath().get());
        if (p.error() != null && p.error().isPresent()) checkError(p.error().get());
        if (p.prompt() == null && p.status() == null && p.localPath() == null && p.error() == null) {
            throw InvalidInput.field("status", "nothing to change: give at least one of prompt, status, localPath, error");
        }
        if (p.error() != null && p.error().isPresent() && p.status() != null && p.status() != LedgerStatus.FAILED) {
            throw InvalidInput.field("error", "only a failed entry has an error (status is " + p.status().value() + ")");
        }
        return p;
    }

    private LedgerEntry merge(EntryKey key, LedgerEntry old, EntryPatch p, Instant now) {
        if (old == null && p.prompt() == null) {
            throw new NotFound("not_found", "prompt", "no ledger entry with " + keys().first() + " '" + key.spotId()
                    + "' and " + keys().second() + " '" + key.eraId() + "'; a new entry needs a prompt");
        }
        LedgerStatus status = p.status() != null ? p.status() : old == null ? LedgerStatus.PENDING : old.status();
        String prompt = p.prompt() != null ? p.prompt() : old.prompt();
        String localPath = p.localPath() != null ? p.localPath().orElse(null) : old == null ? null : old.localPath();
        String error = p.error() != null ? p.error().orElse(null)
                : status == LedgerStatus.FAILED && old != null ? old.error() : null;
        if (error != null && status != LedgerStatus.FAILED) {
            throw InvalidInput.field("error", "only a failed entry has an error (status is " + status.value() + ")");
        }
        Instant completed = !status.isFinished() ? null
                : old != null && old.status() == status && old.completedAt() != null ? old.completedAt() : now;
        return new LedgerEntry(key.spotId(), key.eraId(), prompt, localPath, status, old == null ? now : old.createdAt(),
                completed, error, old == null ? null : old.catalog(), old == null ? null : old.extra());
    }

    /**
     * The seed's {@code setVideoMetadata(entry)}: adds the entry, or replaces the one with the same keys keeping its
     * createdAt (and catalog link and hand-added fields unless the new entry has its own).
     */
    public LedgerEntry upsert(LedgerEntry entry) {
        EntryKey.of(keys(), entry.spotId(), entry.eraId());
        return store.modify(entries -> {
            int i = indexOf(entries, entry.key());
            if (i < 0) {
                entries.add(entry);
                return entry;
            }
            LedgerEntry old = entries.get(i);
            Map<String, JsonNode> extra = new java.util.LinkedHashMap<>(old.extra());
            extra.putAll(entry.extra());
            LedgerEntry merged = entry.withCreatedAt(old.createdAt())
                    .withCatalog(entry.catalog() != null ? entry.catalog() : old.catalog()).withExtra(extra);
            entries.set(i, merged);
            return merged;
        });
    }

    /** markVideoFailed: status failed with {@code error} and completedAt now; 404 when there is no such entry. */
    public LedgerEntry markFailed(EntryKey key, String error) {
        String err = checkError(error);
        return store.modify(entries -> {
            int i = indexOf(entries, key);
            if (i < 0) throw notFound(key);
            LedgerEntry failed = entries.get(i).withStatus(LedgerStatus.FAILED, entries.get(i).localPath(), now(), err);
            entries.set(i, failed);
            return failed;
        });
    }

    /**
     * generateAndStoreVideo: records the entry as {@code generating} (prompt set, path and error cleared, createdAt
     * kept), runs the generator, then records {@code ready} with the video's path (relative to the data directory
     * when inside it) or {@code failed} with the error. Returns the final entry; a generator failure is not thrown.
     * A ledger that is corrupt is (409, before anything runs).
     */
    public LedgerEntry generateAndStore(EntryKey key, String prompt) {
        String p = checkPrompt(prompt);
        EntryKey.of(keys(), key.spotId(), key.eraId());
        setStage(key, p, LedgerStatus.GENERATING, null, null);
        Path video;
        try {
            video = generator.generate(new VideoGenerator.Request(key, keys(), p));
            if (video == null || !Files.isRegularFile(video)) {
                throw new IllegalStateException(generator.name() + " reported " + video + ", which is not a file");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return setStage(key, p, LedgerStatus.FAILED, null, "generation was interrupted");
        } catch (Exception e) {
            Log.LOG.info("generation of {} failed: {}", key, e.toString());
            return setStage(key, p, LedgerStatus.FAILED, null, truncate(messageOf(e)));
        }
        return setStage(key, p, LedgerStatus.READY, stored(video), null);
    }

    private LedgerEntry setStage(EntryKey key, String prompt, LedgerStatus status, String localPath, String error) {
        return store.modify(entries -> {
            int i = indexOf(entries, key);
            LedgerEntry old = i < 0 ? null : entries.get(i);
            Instant now = now();
            LedgerEntry entry = new LedgerEntry(key.spotId(), key.eraId(), prompt, localPath, status,
                    old == null ? now : old.createdAt(), status.isFinished() ? now : null, error,
                    old == null ? null : old.catalog(), old == null ? null : old.extra());
            if (i < 0) entries.add(entry);
            else entries.set(i, entry);
            return entry;
        });
    }

    /** Records a generation as queued (pending, prompt set), for a job that will run it. */
    public LedgerEntry markQueued(EntryKey key, String prompt) {
        return setStage(key, checkPrompt(prompt), LedgerStatus.PENDING, null, null);
    }

    /** Moves the ledger aside and starts {@code []} (see {@link LedgerStore#reset}). */
    public LedgerStore.ResetResult reset(boolean force) {
        return store.reset(force);
    }

    /** Replaces the ledger with a good copy (see {@link LedgerStore#restore}). */
    public LedgerStore.RestoreResult restore(Path source) {
        return store.restore(source);
    }

    // ---- catalog mirroring ----

    /** What {@link #mirrorCatalog} did. */
    public record MirrorResult(long projectId, int segments, int added, int updated, int removed, boolean following) {
    }

    /** Mirrors every segment of the project once (following stays as it is). 404 for an unknown project. */
    public MirrorResult mirrorCatalog(long projectId) {
        return mirrorCatalog(projectId, null);
    }

    /**
     * Mirrors every segment of the project, then starts ({@code true}) or stops ({@code false}) following its catalog
     * changes; null leaves that as it is.
     */
    public MirrorResult mirrorCatalog(long projectId, Boolean follow) {
        CatalogService c = requireCatalog();
        c.get(CatalogModel.PROJECTS, projectId);
        Map<Long, List<LedgerEntry>> byScene = new HashMap<>();
        CatalogReads reads = c.reads();
        List<Long> characters = reads.charactersOf(projectId).stream().map(dev.reelmark.catalog.Character::id).toList();
        List<Long> scenes = reads.scenesOfCharacters(characters).stream().map(Scene::id).toList();
        Map<Long, List<Segment>> bySceneRows = reads.segmentsOfScenes(scenes);
        Map<Long, GenerationFacts> generation = generationOf(bySceneRows.values().stream().flatMap(List::stream).map(Segment::id).toList());
        for (long scene : scenes) {
            byScene.put(scene, desiredForScene(projectId, scene, bySceneRows.getOrDefault(scene, List.of()), generation));
        }
        int[] counts = new int[3];
        store.modify(entries -> {
            for (var scene : byScene.entrySet()) applyScene(entries, scene.getKey(), scene.getValue(), counts);
            counts[2] += removeIf(entries, e -> e.catalog() != null && e.catalog().projectId() == projectId
                    && !byScene.containsKey(e.catalog().sceneId()));
            return null;
        });
        Set<Long> following = follow == null ? store.mirroredProjects() : store.setMirrored(projectId, follow);
        int segments = byScene.values().stream().mapToInt(List::size).sum();
        return new MirrorResult(projectId, segments, counts[0], counts[1], counts[2], following.contains(projectId));
    }

    /** The projects whose catalog changes are mirrored. */
    public Set<Long> mirroredProjects() {
        return store.mirroredProjects();
    }

    /**
     * The catalog listener ({@code catalog.onChange(ledger::onCatalogChange)}): for a followed project, a segment
     * created, changed or deleted updates the entries of its scene; a deleted scene, character or project removes
     * theirs. Never throws (a catalog write has already succeeded); problems, such as a corrupt ledger, are logged.
     */
    public void onCatalogChange(CatalogService.CatalogChange change) {
        EntityType type = change.type();
        if (type != CatalogModel.SEGMENTS && type != CatalogModel.SCENES && type != CatalogModel.CHARACTERS
                && type != CatalogModel.PROJECTS) return;
        if (type != CatalogModel.SEGMENTS && !"deleted".equals(change.action())) return;
        try {
            Set<Long> followed = store.mirroredProjects();
            if (followed.isEmpty() || catalog == null) return;
            if (type == CatalogModel.SEGMENTS) segmentChanged(change.id(), followed);
            else if (type == CatalogModel.SCENES) {
                store.modify(entries -> removeIf(entries, e -> e.catalog() != null && e.catalog().sceneId() == change.id()
                        && followed.contains(e.catalog().projectId())));
            } else if (type == CatalogModel.CHARACTERS) {
                for (long project : followed) {
                    if (catalog.reads().project(project).isPresent()) mirrorCatalog(project);
                }
            } else if (followed.contains(change.id())) {
                store.modify(entries -> removeIf(entries, e -> e.catalog() != null && e.catalog().projectId() == change.id()));
                store.setMirrored(change.id(), false);
            }
        } catch (RuntimeException e) {
            Log.LOG.warn("could not mirror catalog change {} {} {} into the ledger {}: {}", change.type().label(), change.id(),
                    change.action(), store.file(), e.getMessage());
        }
    }

    private void segmentChanged(long segmentId, Set<Long> followed) {
        Optional<Segment> segment = catalog.reads().segment(segmentId);
        Long sceneId = segment.map(Segment::sceneId).orElse(null);
        Long projectId = null;
        if (sceneId == null) {
            // Deleted: the ledger remembers where the segment was.
            for (LedgerEntry e : store.readAll()) {
                if (e.catalog() != null && e.catalog().segmentId() == segmentId) {
                    sceneId = e.catalog().sceneId();
                    projectId = e.catalog().projectId();
                }
            }
            if (sceneId == null) return;
        } else {
            projectId = projectOfScene(sceneId).orElse(null);
        }
        if (projectId == null || !followed.contains(projectId)) return;
        long scene = sceneId;
        long project = projectId;
        boolean sceneExists = catalog.reads().scene(scene).isPresent();
        List<LedgerEntry> desired = List.of();
        if (sceneExists) {
            List<Segment> segments = catalog.reads().segmentsOfScene(scene);
            desired = desiredForScene(project, scene, segments, generationOf(segments.stream().map(Segment::id).toList()));
        }
        List<LedgerEntry> wanted = desired;
        store.modify(entries -> {
            applyScene(entries, scene, wanted, new int[3]);
            return null;
        });
    }

    private Optional<Long> projectOfScene(long sceneId) {
        CatalogReads reads = catalog.reads();
        return reads.scene(sceneId).flatMap(scene -> reads.character(scene.characterId()))
                .map(dev.reelmark.catalog.Character::projectId);
    }

    private Map<Long, GenerationFacts> generationOf(List<Long> segmentIds) {
        SegmentFacts f = facts;
        return f == null || segmentIds.isEmpty() ? Map.of() : f.generation(segmentIds);
    }

    /**
     * The entries the scene's segments (in sequence order) should have: the prompt and, under {@code generation}, the
     * segment's generation facts with their {@code generation_source}, read from the segment-facts module.
     */
    private static List<LedgerEntry> desiredForScene(long projectId, long sceneId, List<Segment> segments,
                                                     Map<Long, GenerationFacts> generation) {
        Set<String> used = new HashSet<>();
        List<LedgerEntry> desired = new ArrayList<>();
        for (Segment s : segments) {
            long id = s.id();
            String era = "segment-" + s.sequenceIndex();
            if (!used.add(era)) era = era + "-id" + id;
            LedgerStatus status = switch (s.status() == null ? "" : s.status()) {
                case "complete", "approved" -> LedgerStatus.READY;
                case "failed" -> LedgerStatus.FAILED;
                case "generating" -> LedgerStatus.GENERATING;
                default -> LedgerStatus.PENDING;
            };
            GenerationFacts g = generation.get(id);
            Map<String, JsonNode> extra = new java.util.LinkedHashMap<>();
            if (g != null) extra.put(GENERATION_FIELD, g.toJson());
            desired.add(new LedgerEntry("scene-" + sceneId, era, g == null ? null : g.prompt(), s.outputVideoPath(),
                    status, s.createdAt(), status.isFinished() ? s.updatedAt() : null,
                    status == LedgerStatus.FAILED ? "the catalog marks segment " + id + " as failed" : null,
                    new LedgerEntry.CatalogLink(projectId, sceneId, id), extra));
        }
        return desired;
    }

    /** The field of a mirrored entry that holds the segment's generation facts. */
    public static final String GENERATION_FIELD = "generation";

    /** Makes the scene's mirrored entries equal {@code desired}; counts[0..2] += added, updated, removed. */
    private static void applyScene(List<LedgerEntry> entries, long sceneId, List<LedgerEntry> desired, int[] counts) {
        Map<Long, EntryKey> keyOf = new HashMap<>();
        for (LedgerEntry d : desired) keyOf.put(d.catalog().segmentId(), d.key());
        counts[2] += removeIf(entries, e -> e.catalog() != null && e.catalog().sceneId() == sceneId
                && !e.key().equals(keyOf.get(e.catalog().segmentId())));
        for (LedgerEntry d : desired) {
            int i = indexOf(entries, d.key());
            if (i < 0) {
                entries.add(d);
                counts[0]++;
                continue;
            }
            LedgerEntry old = entries.get(i);
            Instant completed = d.status().isFinished() && old.status() == d.status() && old.completedAt() != null
                    ? old.completedAt() : d.completedAt();
            String error = d.status() == LedgerStatus.FAILED && old.status() == LedgerStatus.FAILED && old.error() != null
                    ? old.error() : d.error();
            // the facts' prompt wins; without known facts a prompt typed by hand is kept
            JsonNode facts = d.extra().get(GENERATION_FIELD);
            boolean known = facts != null && !"none".equals(facts.path("generation_source").asText());
            Map<String, JsonNode> extra = new java.util.LinkedHashMap<>(old.extra());
            if (facts != null) extra.put(GENERATION_FIELD, facts);
            LedgerEntry merged = new LedgerEntry(d.spotId(), d.eraId(), known ? d.prompt() : old.prompt(), d.localPath(), d.status(),
                    old.createdAt(), completed, error, d.catalog(), extra);
            if (!merged.equals(old)) {
                entries.set(i, merged);
                counts[1]++;
            }
        }
    }

    private CatalogService requireCatalog() {
        if (catalog == null) throw Conflict.of("the catalog is not available to this ledger service");
        return catalog;
    }

    // ---- helpers ----

    private static int indexOf(List<LedgerEntry> entries, EntryKey key) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).hasKey(key)) return i;
        }
        return -1;
    }

    private static int removeIf(List<LedgerEntry> entries, java.util.function.Predicate<LedgerEntry> p) {
        int before = entries.size();
        entries.removeIf(p);
        return before - entries.size();
    }

    private DomainException notFound(EntryKey key) {
        return new NotFound("not_found", null, "no ledger entry with " + keys().first() + " '" + key.spotId()
                + "' and " + keys().second() + " '" + key.eraId() + "'");
    }

    private Instant now() {
        return clock.instant();
    }

    /** Inside the data directory: relative with '/' separators; elsewhere absolute. */
    private String stored(Path video) {
        Path abs = video.toAbsolutePath().normalize();
        if (!abs.startsWith(dataDir)) return abs.toString();
        return dataDir.relativize(abs).toString().replace('\\', '/');
    }

    static String checkPrompt(String prompt) {
        if (prompt == null) throw InvalidInput.field("prompt", "is required");
        if (prompt.isBlank()) throw InvalidInput.field("prompt", "must not be blank");
        if (prompt.length() > MAX_PROMPT) throw InvalidInput.field("prompt", "must be at most " + MAX_PROMPT + " characters");
        if (prompt.indexOf('\0') >= 0) throw InvalidInput.field("prompt", "must not contain NUL");
        return prompt;
    }

    static String checkPath(String path) {
        if (path == null) return null;
        if (path.isBlank()) throw InvalidInput.field("localPath", "must not be blank (omit it or use null)");
        if (path.length() > MAX_PATH) throw InvalidInput.field("localPath", "must be at most " + MAX_PATH + " characters");
        if (path.indexOf('\0') >= 0) throw InvalidInput.field("localPath", "must not contain NUL");
        return path;
    }

    static String checkError(String error) {
        if (error == null || error.isBlank()) throw InvalidInput.field("error", "is required");
        if (error.length() > MAX_ERROR) throw InvalidInput.field("error", "must be at most " + MAX_ERROR + " characters");
        return error;
    }

    private static String messageOf(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static String truncate(String s) {
        return s.length() > 2000 ? s.substring(0, 1997) + "..." : s;
    }
}
