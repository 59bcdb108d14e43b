package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.catalog.SegmentContext;
import dev.reelmark.footage.GenerationFacts;
import dev.reelmark.footage.SegmentFacts;
import dev.reelmark.media.MediaRoots;
import dev.reelmark.tagging.PeopleComment.Kind;
import dev.reelmark.tagging.PeopleComment.Parsed;
import dev.reelmark.tagging.TagRecords.CacheRow;
import dev.reelmark.tagging.TagRecords.PlanEdit;
import dev.reelmark.tagging.TagRecords.PlanItem;
import dev.reelmark.tagging.TagRecords.PlanStatistics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds the plan: which people each video file should carry, read against what its comment holds now. The files are
 * the segments' videos; a file's people are the characters of its segments' scenes plus the people assigned to those
 * segments. What a file holds is read with ffprobe in parallel and cached by path, size and mtime (with the content
 * fingerprint), so a plan over unchanged files reads no file.
 */
final class TagPlanner {
    private final CatalogService catalog;
    /** Generation facts of the segments (receipt first, else the comment read here); null plans without them. */
    private final SegmentFacts facts;
    private final TagStore store;
    private final TagWriter writer;
    private final MediaRoots roots;
    private final TagConfig config;

    TagPlanner(CatalogService catalog, SegmentFacts facts, TagStore store, TagWriter writer, MediaRoots roots, TagConfig config) {
        this.catalog = catalog;
        this.facts = facts;
        this.store = store;
        this.writer = writer;
        this.roots = roots;
        this.config = config;
        this.ffprobes = new java.util.concurrent.Semaphore(config.probeThreads());
    }

    /** The whole plan, unfiltered, in file-name order. */
    record Plan(List<PlanItem> items, PlanStatistics statistics, Map<String, List<String>> categories, long millis,
                int cacheHits, int probed, int ffprobeCalls) {
    }

    /** A file to plan (package-private for TagPlannerGoldenTest). */
    record Target(String stored, Path path, List<Long> segmentIds, List<String> people) {
    }

    /**
     * What the read phase learnt of a file: its size and mtime (null when it could not be stat'ed), what the cache
     * holds (or the fresh read), a read error, and the access problems (null: not checked yet). Package-private for
     * TagPlannerGoldenTest.
     */
    record FileState(Long size, Instant modified, CacheRow cache, String error, List<String> access) {
    }

    Plan plan(Long projectId) {
        long start = System.nanoTime();
        // Reading a file's header in Java is I/O-bound: more threads than ffprobe processes, which a semaphore limits.
        // The same bounded pool resolves the stored paths and builds the items.
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(8, config.probeThreads()), r -> {
            Thread t = new Thread(r, "tag-plan-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Target> targets = targets(projectId, pool);
            Map<String, CacheRow> cache = store.cache();
            Map<String, PlanEdit> edits = store.edits();
            Map<String, FileState> states = new ConcurrentHashMap<>();
            Map<Path, Boolean> folders = new ConcurrentHashMap<>();
            List<CacheRow> fresh = Collections.synchronizedList(new ArrayList<>());
            int[] hits = {0, 0};
            List<Future<?>> futures = new ArrayList<>();
            for (Target t : targets) {
                if (t.path() == null) continue;
                futures.add(pool.submit(() -> states.put(t.path().toString(), read(t.path(), cache, fresh, hits, folders))));
            }
            for (Future<?> f : futures) f.get();
            store.saveCache(fresh);
            // ComfyUI graphs are read from comments: one that holds no '{' holds no graph, so it is not handed over
            // (the segment's receipt is still looked up).
            Map<Long, String> comments = new java.util.HashMap<>();
            for (Target t : targets) {
                FileState st = t.path() == null ? null : states.get(t.path().toString());
                String comment = st == null || st.cache() == null ? null : st.cache().comment();
                if (comment != null && comment.indexOf('{') < 0) comment = null;
                for (long id : t.segmentIds()) comments.put(id, comment);
            }
            Map<Long, GenerationFacts> generation = facts == null ? Map.of() : facts.generation(comments);
            List<Future<PlanItem>> built = new ArrayList<>();
            for (Target t : targets) {
                FileState st = t.path() == null ? null : states.get(t.path().toString());
                PlanEdit edit = st != null && st.cache() != null ? edits.get(st.cache().fingerprint()) : null;
                built.add(pool.submit(() -> item(t, st, edit, provenance(t, generation))));
            }
            List<PlanItem> items = new ArrayList<>(built.size());
            for (Future<PlanItem> f : built) items.add(f.get());
            items.sort((x, y) -> x.fileName().compareToIgnoreCase(y.fileName()) != 0
                    ? x.fileName().compareToIgnoreCase(y.fileName()) : x.filePath().compareTo(y.filePath()));
            return new Plan(items, statistics(items), categories(items), (System.nanoTime() - start) / 1_000_000,
                    hits[0], fresh.size(), hits[1]);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            throw new IllegalStateException("planning failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("planning interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private final java.util.concurrent.Semaphore ffprobes;

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;

    /**
     * One {@code lstat} of the file (size, mtime, ctime, mode); a regular file is then opened once and its first
     * and last 64 KiB give both the fingerprint and the container's comment. Anything else (missing, a directory,
     * a link, a platform without the unix view) takes {@link #readSlow}, the general path.
     */
    private FileState read(Path path, Map<String, CacheRow> cache, List<CacheRow> fresh, int[] hits, Map<Path, Boolean> folders) {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(path, "unix:mode,size,lastModifiedTime,ctime", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return readSlow(path, cache, fresh, hits);
        }
        int mode = (Integer) a.get("mode");
        if ((mode & S_IFMT) != S_IFREG) return readSlow(path, cache, fresh, hits);
        long size = (Long) a.get("size");
        java.nio.file.attribute.FileTime mt = (java.nio.file.attribute.FileTime) a.get("lastModifiedTime");
        long mtime = mt.toMillis();
        long ctime = ((java.nio.file.attribute.FileTime) a.get("ctime")).toMillis();
        boolean writable = Files.isWritable(path) && (mode & 0222) != 0;
        List<String> access = TagWriter.regularFileProblems(path, writable, dir -> folders.computeIfAbsent(dir, TagWriter::writable));
        Instant modified = mt.toInstant();
        CacheRow cached = cache.get(path.toString());
        // ctime too: exiftool -P (and touch -r) keep the mtime of a same-size edit, but no tool can keep the ctime
        if (cached != null && cached.sizeBytes() == size && cached.mtimeMs() == mtime && cached.ctimeMs() == ctime) {
            synchronized (hits) {
                hits[0]++;
            }
            return new FileState(size, modified, cached, null, access);
        }
        boolean container = TagWriter.MUXERS.containsKey(TagWriter.extension(path));
        ContainerComments.Read r;
        try {
            r = ContainerComments.readWithFingerprint(path, container && config.nativeReader());
        } catch (IOException e) {
            return new FileState(size, modified, null, "unreadable: " + e.getMessage(), access);
        }
        CacheRow row = container ? probed(path, size, mtime, ctime, r.fingerprint(), r.probe().orElse(null), hits)
                : new CacheRow(path.toString(), size, mtime, r.fingerprint(), null, null, null, null, false, ctime);
        fresh.add(row);
        return new FileState(size, modified, row, null, access);
    }

    /** The cache row of a container file: the Java reader's answer, else ffprobe's (bounded by the semaphore). */
    private CacheRow probed(Path path, long size, long mtime, long ctime, String fp, TagWriter.LightProbe p, int[] hits) {
        if (p == null) {
            ffprobes.acquireUninterruptibly();
            try {
                p = writer.probeLight(path);
            } finally {
                ffprobes.release();
            }
            synchronized (hits) {
                hits[1]++;
            }
        }
        return new CacheRow(path.toString(), size, mtime, fp, p.formatName(), p.comment(), p.error(),
                p.peopleKey(), p.hasXmp(), ctime);
    }

    /** The general read (what every file took before the one-lstat path): anything but a plain regular file. */
    private FileState readSlow(Path path, Map<String, CacheRow> cache, List<CacheRow> fresh, int[] hits) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return new FileState(null, null, null, null, null);
        } catch (IOException e) {
            return new FileState(null, null, null, "unreadable: " + e.getMessage(), null);
        }
        Long size = attrs.size();
        Instant modified = attrs.lastModifiedTime().toInstant();
        if (!attrs.isRegularFile()) return new FileState(size, modified, null, null, null);
        long mtime = attrs.lastModifiedTime().toMillis();
        long ctime = ctimeMs(path);
        CacheRow cached = cache.get(path.toString());
        if (cached != null && cached.sizeBytes() == attrs.size() && cached.mtimeMs() == mtime && cached.ctimeMs() == ctime) {
            synchronized (hits) {
                hits[0]++;
            }
            return new FileState(size, modified, cached, null, null);
        }
        String fp;
        try {
            fp = Fingerprint.of(path);
        } catch (IOException e) {
            return new FileState(size, modified, null, "unreadable: " + e.getMessage(), null);
        }
        CacheRow row;
        if (!TagWriter.MUXERS.containsKey(TagWriter.extension(path))) {
            row = new CacheRow(path.toString(), attrs.size(), mtime, fp, null, null, null, null, false, ctime);
        } else {
            TagWriter.LightProbe p = config.nativeReader() ? ContainerComments.read(path).orElse(null) : null;
            row = probed(path, attrs.size(), mtime, ctime, fp, p, hits);
        }
        fresh.add(row);
        return new FileState(size, modified, row, null, null);
    }

    /** The file's status-change time in ms (0 where the file system does not say). */
    static long ctimeMs(Path path) {
        try {
            Object c = Files.getAttribute(path, "unix:ctime");
            return c instanceof java.nio.file.attribute.FileTime t ? t.toMillis() : 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 0;
        }
    }

    private List<Target> targets(Long projectId, ExecutorService pool) throws InterruptedException, java.util.concurrent.ExecutionException {
        Map<Long, List<String>> assigned = store.peopleBySegment();
        List<SegmentContext> places = catalog.reads().allContexts(projectId);
        // Each stored path is resolved (symbolic links followed, confined to the roots) once, in parallel: it costs
        // an lstat per path component.
        Map<String, Future<java.util.Optional<Path>>> resolved = new LinkedHashMap<>();
        for (SegmentContext place : places) {
            String stored = place.segment().outputVideoPath();
            if (stored == null || stored.isBlank()) continue;
            resolved.computeIfAbsent(stored, k -> pool.submit(() -> roots.resolve(k)));
        }
        Map<String, Target> byPath = new LinkedHashMap<>();
        for (SegmentContext place : places) {
            String stored = place.segment().outputVideoPath();
            if (stored == null || stored.isBlank()) continue;
            // Tags are written into the file itself: a stored path that is a symbolic link is followed to its target,
            // which must be inside the roots (else no path: refused); the link itself stays a link.
            Path path = resolved.get(stored).get().orElse(null);
            String key = path == null ? "stored:" + stored : path.toString();
            Target t = byPath.computeIfAbsent(key, k -> new Target(stored, path, new ArrayList<>(), new ArrayList<>()));
            long segId = place.segmentId();
            t.segmentIds().add(segId);
            List<String> names = new ArrayList<>();
            names.add(place.character().name());
            names.addAll(assigned.getOrDefault(segId, List.of()));
            for (String n : names) {
                if (t.people().stream().noneMatch(x -> x.equalsIgnoreCase(n))) t.people().add(n);
            }
        }
        return new ArrayList<>(byPath.values());
    }

    /** The facts of the file's first segment that has any, as the plan shows them (with their source), or null. */
    private static ObjectNode provenance(Target t, Map<Long, GenerationFacts> generation) {
        for (long id : t.segmentIds()) {
            GenerationFacts g = generation.get(id);
            if (g != null && g.source() != GenerationFacts.Source.NONE) return g.toJson().put("segment_id", id);
        }
        return null;
    }

    /** The plan item of one file from what was read of it (package-private for TagPlannerGoldenTest). */
    PlanItem item(Target t, FileState st, PlanEdit edit, ObjectNode provenance) {
        List<String> issues = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Path path = t.path();
        String fileHash;
        long size = 0;
        Instant modified = null;
        String existing = null;
        if (path == null) {
            issues.add("path outside the media roots: " + t.stored());
            fileHash = "path:" + hash(t.stored());
        } else {
            issues.addAll(st != null && st.access() != null ? st.access() : TagWriter.accessProblems(path));
            if (st != null && st.error() != null) issues.add(st.error());
            CacheRow row = st == null ? null : st.cache();
            fileHash = row == null ? "path:" + hash(path.toString()) : row.fingerprint();
            if (st != null && st.size() != null) {
                size = st.size();
                modified = st.modified();
            }
            if (row != null) {
                existing = row.comment();
                if (row.probeError() != null) {
                    issues.add(row.probeError());
                } else if (row.formatName() != null) {
                    String fp = TagWriter.formatProblem(path, row.formatName());
                    if (fp != null && issues.stream().noneMatch(i -> i.startsWith("unsupported container"))) issues.add(fp);
                }
            }
        }
        Parsed parsed = PeopleComment.parse(existing);
        CacheRow cached = path == null || st == null ? null : st.cache();
        String existingKey = cached == null ? null : cached.peopleKey();
        boolean hasXmp = cached != null && cached.hasXmp();
        List<String> db = new ArrayList<>();
        for (String n : t.people()) {
            String problem = PeopleComment.nameProblem(n);
            if (problem != null) {
                issues.add("cannot write a person's name: " + problem);
            } else {
                db.add(n);
            }
        }
        boolean jsonComment = parsed.kind() == Kind.COMFYUI || parsed.kind() == Kind.JSON;
        Boolean preserveEdit = edit != null ? edit.preserveComment() : null;
        String ext = path != null ? TagWriter.extension(path) : "";
        // A JSON comment stays byte-identical (the people get a key of their own) unless the user chose to replace it.
        boolean keyTarget = TagWriter.MUXERS.containsKey(ext) && ((jsonComment && !Boolean.FALSE.equals(preserveEdit))
                || existingKey != null);
        PeopleComment.Target target = keyTarget ? PeopleComment.Target.keyFor(ext) : PeopleComment.Target.COMMENT;
        List<String> existingPeople = keyTarget && existingKey != null ? PeopleComment.keyPeople(existingKey) : parsed.people();
        List<String> result = edit != null && edit.resultPeople() != null ? edit.resultPeople() : PeopleComment.merge(existingPeople, db);
        boolean preserve = preserveEdit != null ? preserveEdit : jsonComment;
        String resultComment;
        String resultKey = existingKey;
        boolean restoresJson = false;
        if (keyTarget) {
            resultKey = PeopleComment.keyValue(result);
            // a People line appended to the JSON before people had their own key is taken out: the JSON is valid again
            restoresJson = jsonComment && parsed.hasPeopleLine();
            resultComment = restoresJson ? parsed.rest() : existing;
        } else {
            resultComment = PeopleComment.compose(existing, parsed, result, preserve);
        }
        String commentProblem = TagWriter.commentProblem(resultComment, config.maxCommentBytes());
        if (commentProblem != null) issues.add(commentProblem);
        if (resultKey != null) {
            String keyProblem = TagWriter.commentProblem(resultKey, config.maxCommentBytes());
            if (keyProblem != null) issues.add(keyProblem);
        }
        List<String> add = PeopleComment.minus(result, existingPeople);
        List<String> remove = PeopleComment.minus(existingPeople, result);
        boolean hasChanges = !Objects.equals(resultComment, existing) || !Objects.equals(resultKey, existingKey);
        boolean otherText = parsed.kind() == Kind.CUSTOM || jsonComment;
        boolean destroys = !keyTarget && hasChanges && otherText && !parsed.hasPeopleLine() && !preserve;
        String conflict = parsed.kind() == Kind.COMFYUI ? "provenance" : parsed.kind() == Kind.CUSTOM || parsed.kind() == Kind.JSON
                ? "custom_comment" : !remove.isEmpty() ? "tag_removal" : "none";
        String what = parsed.kind() == Kind.COMFYUI ? "ComfyUI's prompt/workflow JSON" : "the JSON comment";
        if (destroys) {
            warnings.add(parsed.kind() == Kind.COMFYUI
                    ? "replaces ComfyUI's prompt/workflow JSON (generation provenance) with the People line"
                    : "replaces the existing comment text with the People line");
        } else if (keyTarget && restoresJson) {
            warnings.add("takes the People line out of " + what + " (valid JSON again); the people go to " + target.location());
        } else if (keyTarget && hasChanges && jsonComment) {
            // a notice, not a risk: players show the comment, and the people are not in it
            warnings.add("keeps " + what + " byte-identical; the people go to " + target.location()
                    + " (players show the comment, not this key)");
        } else if (hasChanges && otherText && !keyTarget) {
            warnings.add("keeps the existing comment text and " + (parsed.hasPeopleLine() ? "updates its People line" : "appends the People line"));
        }
        if (!remove.isEmpty()) warnings.add("removes " + String.join(", ", remove));
        List<String> locations = new ArrayList<>();
        locations.add(target.location());
        if (hasXmp) locations.add("xmp:Iptc4xmpExt:PersonInImage");
        boolean canUpdate = issues.isEmpty();
        String risk = !canUpdate ? "blocked" : destroys ? "danger"
                : hasChanges && (!remove.isEmpty() || otherText) ? "warning" : "safe";
        String name = path != null ? path.getFileName().toString() : Path.of(t.stored()).getFileName().toString();
        return new PlanItem(fileHash, path != null ? path.toString() : t.stored(), name,
                path != null ? TagWriter.extension(path) : "", size, modified, List.copyOf(t.segmentIds()), db,
                existingPeople, result, add, remove, existing, resultComment, parsed.kind().value(), provenance,
                risk, canUpdate, issues, warnings, conflict, hasChanges, edit != null && (edit.resultPeople() != null
                || edit.preserveComment() != null), edit != null && edit.skip(), preserve,
                itemKey(path != null ? path.toString() : t.stored(), fileHash), target.label, List.copyOf(locations),
                existingKey, resultKey, hasXmp);
    }

    static PlanStatistics statistics(List<PlanItem> items) {
        int safe = 0, warning = 0, danger = 0, blocked = 0, add = 0, remove = 0, overwrite = 0, provenance = 0,
                unchanged = 0, skipped = 0, edited = 0, ready = 0;
        for (PlanItem i : items) {
            switch (i.riskLevel()) {
                case "safe" -> safe++;
                case "warning" -> warning++;
                case "danger" -> danger++;
                default -> blocked++;
            }
            if (i.provenance() != null) provenance++;
            if (i.skipped()) skipped++;
            if (i.edited()) edited++;
            if (!i.hasChanges()) unchanged++;
            if (i.canUpdate() && !i.skipped() && i.hasChanges()) {
                ready++;
                add += i.tagsToAdd().size();
                remove += i.tagsToRemove().size();
                if ("danger".equals(i.riskLevel())) overwrite++;
            }
        }
        return new PlanStatistics(items.size(), safe, warning, danger, blocked, add, remove, overwrite, provenance,
                unchanged, skipped, edited, ready);
    }

    static Map<String, List<String>> categories(List<PlanItem> items) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String c : List.of("safe", "warning", "danger", "blocked", "ready", "new_tags", "tag_removal", "no_change",
                "provenance", "custom_comment", "edited", "skipped")) {
            out.put(c, new ArrayList<>());
        }
        for (PlanItem i : items) {
            out.get(i.riskLevel()).add(i.fileHash());
            if (i.canUpdate() && !i.skipped() && i.hasChanges()) out.get("ready").add(i.fileHash());
            if (!i.tagsToAdd().isEmpty()) out.get("new_tags").add(i.fileHash());
            if (!i.tagsToRemove().isEmpty()) out.get("tag_removal").add(i.fileHash());
            if (!i.hasChanges()) out.get("no_change").add(i.fileHash());
            if (i.provenance() != null) out.get("provenance").add(i.fileHash());
            if ("custom".equals(i.commentKind())) out.get("custom_comment").add(i.fileHash());
            if (i.edited()) out.get("edited").add(i.fileHash());
            if (i.skipped()) out.get("skipped").add(i.fileHash());
        }
        return out;
    }

    /** A plan item's identity: its path plus its content fingerprint. */
    static String itemKey(String path, String fingerprint) {
        return hash(path + "\u0000" + fingerprint);
    }

    static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)), 0, 12);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
