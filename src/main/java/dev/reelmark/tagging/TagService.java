package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.footage.SegmentFacts;
import dev.reelmark.db.Database;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.errors.Conflict;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobService;
import dev.reelmark.jobs.JobStatus;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaRoots;
import dev.reelmark.tagging.TagRecords.Backup;
import dev.reelmark.tagging.TagRecords.NewItem;
import dev.reelmark.tagging.TagRecords.Operation;
import dev.reelmark.tagging.TagRecords.OperationItem;
import dev.reelmark.tagging.TagRecords.PlanEdit;
import dev.reelmark.tagging.TagRecords.PlanItem;
import dev.reelmark.tagging.TagRecords.SegmentPerson;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The tagging feature's public service: segment people, the plan (with filters, edits and export), dry runs, write
 * and rollback operations (background jobs of kind {@value TagWriteJob#KIND}), history and backup clean-up.
 */
public final class TagService {
    private final CatalogService catalog;
    private final JobService jobs;
    private final TagStore store;
    private final TagWriter writer;
    private final TagPlanner planner;
    private final TagConfig config;

    /** {@code facts} gives the plan's provenance view (generation facts with their source); null leaves it out. */
    public TagService(Database db, CatalogService catalog, SegmentFacts facts, JobService jobs, MediaRoots roots,
                      Supplier<FfmpegTools> tools, TagConfig config) {
        this.catalog = catalog;
        this.jobs = jobs;
        this.store = new TagStore(db);
        this.config = config;
        this.writer = new TagWriter(tools, config.operationTimeout());
        this.planner = new TagPlanner(catalog, facts, store, writer, roots, config);
    }

    public TagConfig config() {
        return config;
    }

    private volatile int maxConcurrentWrites = -1;

    /** Files one write operation writes at once: {@link TagConfig#maxConcurrentWrites} unless a test or benchmark set it. */
    int maxConcurrentWrites() {
        int n = maxConcurrentWrites;
        return n > 0 ? n : config.maxConcurrentWrites();
    }

    /** What {@code REELMARK_METADATA_MAX_CONCURRENT_WRITES} sets, for the operations started after (tests, benchmarks). */
    void setMaxConcurrentWrites(int n) {
        if (n < 1 || n > 16) throw new IllegalArgumentException("max concurrent writes must be 1 to 16, got " + n);
        maxConcurrentWrites = n;
    }

    TagStore store() {
        return store;
    }

    TagWriter writer() {
        return writer;
    }

    // ---- segment people ----

    public List<SegmentPerson> people(long segmentId) {
        catalog.reads().requireSegment(segmentId);
        return store.people(segmentId);
    }

    public SegmentPerson addPerson(long segmentId, String name) {
        catalog.reads().requireSegment(segmentId);
        String problem = PeopleComment.nameProblem(name);
        if (problem != null) throw InvalidInput.field("name", problem);
        if (store.personByName(segmentId, name).isPresent()) {
            throw Conflict.of("name", "'" + name + "' is already assigned to segment " + segmentId);
        }
        return store.addPerson(segmentId, name);
    }

    public void removePerson(long segmentId, long personId) {
        catalog.reads().requireSegment(segmentId);
        if (!store.deletePerson(segmentId, personId)) throw NotFound.of("segment person", personId);
    }

    // ---- plan ----

    /** Filters, search, sort and page of a plan request. Null means "any". */
    public record PlanQuery(Long projectId, Set<String> fileHashes, Set<String> risk, Set<String> fileType,
                            Integer minTags, Integer maxTags, Set<String> conflict, String q, String person, String path,
                            String sort, boolean descending, boolean includeBlocked, int page, int perPage) {
        public static PlanQuery all() {
            return new PlanQuery(null, null, null, null, null, null, null, null, null, null, "name", false, true, 1, 1_000_000);
        }
    }

    @com.fasterxml.jackson.databind.annotation.JsonNaming(com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PlanPage(List<PlanItem> items, TagRecords.PlanStatistics statistics, Map<String, List<String>> categories,
                           int page, int perPage, int totalItems, int totalPages, long generatedInMs, int cacheHits,
                           int probed, int ffprobeCalls) {
    }

    public PlanPage plan(PlanQuery q) {
        if (q.projectId() != null) catalog.reads().requireProject(q.projectId());
        TagPlanner.Plan plan = planner.plan(q.projectId());
        List<PlanItem> items = plan.items().stream().filter(i -> matches(i, q)).toList();
        items = new ArrayList<>(items);
        items.sort(comparator(q.sort(), q.descending()));
        int total = items.size();
        int pages = Math.max(1, (total + q.perPage() - 1) / q.perPage());
        int from = Math.min(total, (q.page() - 1) * q.perPage());
        int to = Math.min(total, from + q.perPage());
        return new PlanPage(List.copyOf(items.subList(from, to)), plan.statistics(), plan.categories(), q.page(), q.perPage(),
                total, pages, plan.millis(), plan.cacheHits(), plan.probed(), plan.ffprobeCalls());
    }

    private static boolean matches(PlanItem i, PlanQuery q) {
        if (q.fileHashes() != null && !q.fileHashes().contains(i.fileHash())) return false;
        if (!q.includeBlocked() && !i.canUpdate()) return false;
        if (q.risk() != null && !q.risk().contains(i.riskLevel())) return false;
        if (q.fileType() != null && !q.fileType().contains(i.fileType())) return false;
        if (q.minTags() != null && i.tagCount() < q.minTags()) return false;
        if (q.maxTags() != null && i.tagCount() > q.maxTags()) return false;
        if (q.conflict() != null && !q.conflict().contains(i.conflictType())) return false;
        if (q.person() != null && !hasPerson(i, q.person())) return false;
        if (q.path() != null && !i.filePath().toLowerCase(Locale.ROOT).contains(q.path().toLowerCase(Locale.ROOT))) return false;
        if (q.q() != null) {
            String s = q.q().toLowerCase(Locale.ROOT);
            if (!i.fileName().toLowerCase(Locale.ROOT).contains(s) && !i.filePath().toLowerCase(Locale.ROOT).contains(s)
                    && !hasPerson(i, q.q())) return false;
        }
        return true;
    }

    private static boolean hasPerson(PlanItem i, String person) {
        String p = person.toLowerCase(Locale.ROOT);
        for (List<String> names : List.of(i.dbPeople(), i.existingPeople(), i.resultPeople())) {
            for (String n : names) if (n.toLowerCase(Locale.ROOT).contains(p)) return true;
        }
        return false;
    }

    static final List<String> SORTS = List.of("name", "path", "risk", "tags", "mtime", "size");
    static final List<String> RISKS = List.of("safe", "warning", "danger", "blocked");
    static final List<String> CONFLICTS = List.of("none", "custom_comment", "provenance", "tag_removal");

    private static Comparator<PlanItem> comparator(String sort, boolean desc) {
        Comparator<PlanItem> byName = Comparator.comparing((PlanItem i) -> i.fileName().toLowerCase(Locale.ROOT))
                .thenComparing(PlanItem::filePath);
        Comparator<PlanItem> c = switch (sort == null ? "name" : sort) {
            case "path" -> Comparator.comparing(PlanItem::filePath);
            case "risk" -> Comparator.comparingInt((PlanItem i) -> RISKS.indexOf(i.riskLevel()));
            case "tags" -> Comparator.comparingInt(PlanItem::tagCount);
            case "mtime" -> Comparator.comparing(PlanItem::modifiedAt, Comparator.nullsFirst(Comparator.naturalOrder()));
            case "size" -> Comparator.comparingLong(PlanItem::sizeBytes);
            default -> byName;
        };
        if (desc) c = c.reversed();
        return c.thenComparing(byName);
    }

    /** One plan item by file hash (404 when no planned file has it). */
    public PlanItem planItem(String fileHash) {
        // Identical copies share a fingerprint (and so their edits); the one that can be written answers.
        return planner.plan(null).items().stream().filter(i -> i.fileHash().equals(fileHash))
                .min(Comparator.comparing((PlanItem i) -> !i.canUpdate()))
                .orElseThrow(() -> NotFound.of("plan item", fileHash));
    }

    /**
     * Changes the plan of one file: {@code result_people} (an array; null resets to the merged list), {@code skip},
     * {@code preserve_comment} (null: the default, which preserves a ComfyUI comment), or {@code reset: true}.
     */
    public PlanItem edit(String fileHash, ObjectNode body) {
        if (!config.enableInlineEdit()) throw Conflict.of("inline editing is disabled (REELMARK_METADATA_ENABLE_INLINE_EDIT=false)");
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("result_people", "skip", "preserve_comment", "reset").contains(f)) {
                throw InvalidInput.field(f, "unknown field (allowed: result_people, skip, preserve_comment, reset)");
            }
        }
        PlanItem item = planItem(fileHash);
        if (fileHash.startsWith("path:")) {
            throw Conflict.of("file_hash", "the file cannot be read (" + String.join("; ", item.issues()) + "), so it has no plan to edit");
        }
        PlanEdit current = store.edits().getOrDefault(fileHash, new PlanEdit(fileHash, null, false, null));
        if (body.path("reset").asBoolean(false)) {
            store.deleteEdit(fileHash);
            return planItem(fileHash);
        }
        List<String> people = current.resultPeople();
        if (body.has("result_people")) {
            JsonNode arr = body.get("result_people");
            if (arr.isNull()) {
                people = null;
            } else if (!arr.isArray()) {
                throw InvalidInput.field("result_people", "must be an array of names or null");
            } else {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < arr.size(); i++) {
                    JsonNode n = arr.get(i);
                    if (!n.isTextual()) throw InvalidInput.field("result_people[" + i + "]", "must be a string");
                    String problem = PeopleComment.nameProblem(n.asText());
                    if (problem != null) throw InvalidInput.field("result_people[" + i + "]", problem);
                    if (names.stream().noneMatch(x -> x.equalsIgnoreCase(n.asText()))) names.add(n.asText());
                }
                people = names;
            }
        }
        boolean skip = current.skip();
        if (body.has("skip")) {
            if (!body.get("skip").isBoolean()) throw InvalidInput.field("skip", "must be true or false");
            skip = body.get("skip").booleanValue();
        }
        Boolean preserve = current.preserveComment();
        if (body.has("preserve_comment")) {
            JsonNode p = body.get("preserve_comment");
            if (!p.isNull() && !p.isBoolean()) throw InvalidInput.field("preserve_comment", "must be true, false or null");
            preserve = p.isNull() ? null : p.booleanValue();
        }
        store.saveEdit(new PlanEdit(fileHash, people, skip, preserve));
        return planItem(fileHash);
    }

    // ---- write and dry run ----

    /**
     * What to write: {@code itemKeys} (a plan item's path + fingerprint identity: exactly those files), or
     * {@code fileHashes} (every planned file with that content, identical copies included), or {@code all}.
     */
    public record WriteRequest(Set<String> fileHashes, boolean all, boolean dryRun, boolean confirmDanger, String note,
                               Long projectId, Set<String> itemKeys, boolean background) {
        public WriteRequest(Set<String> fileHashes, boolean all, boolean dryRun, boolean confirmDanger, String note, Long projectId) {
            this(fileHashes, all, dryRun, confirmDanger, note, projectId, null, false);
        }
    }

    /** The dry run's answer, or the started operation. */
    public ObjectNode write(WriteRequest req) {
        boolean byKey = req.itemKeys() != null && !req.itemKeys().isEmpty();
        if ((req.fileHashes() == null || req.fileHashes().isEmpty()) && !req.all() && !byKey) {
            throw InvalidInput.field("file_hashes", "list the files to write (item_keys or file_hashes, or send all: true for every ready file)");
        }
        TagPlanner.Plan plan = planner.plan(req.projectId());
        Map<String, List<PlanItem>> byHash = new LinkedHashMap<>();
        plan.items().forEach(i -> byHash.computeIfAbsent(i.fileHash(), k -> new ArrayList<>()).add(i));
        List<PlanItem> chosen = new ArrayList<>();
        if (req.all()) {
            plan.items().stream().filter(i -> i.canUpdate() && !i.skipped() && i.hasChanges()).forEach(chosen::add);
        } else if (byKey) {
            Map<String, PlanItem> byItem = new LinkedHashMap<>();
            plan.items().forEach(i -> byItem.put(i.itemKey(), i));
            for (String k : req.itemKeys()) {
                PlanItem found = byItem.get(k);
                if (found == null) throw InvalidInput.field("item_keys", "no planned file has item key '" + k + "' (the file changed? make a new plan)");
                chosen.add(found);
            }
        } else {
            for (String h : req.fileHashes()) {
                List<PlanItem> found = byHash.get(h);
                if (found == null) throw InvalidInput.field("file_hashes", "no planned file has hash '" + h + "' (the file changed? make a new plan)");
                // Identical copies share the hash: write those that can be written, else report the blocked ones.
                List<PlanItem> writable = found.stream().filter(PlanItem::canUpdate).toList();
                chosen.addAll(writable.isEmpty() ? found : writable);
            }
        }
        List<PlanItem> danger = chosen.stream().filter(i -> "danger".equals(i.riskLevel()) && !i.skipped()).toList();
        if (!danger.isEmpty() && !req.confirmDanger() && !req.dryRun()) {
            throw Conflict.of("confirm_danger", danger.size() + " high-risk file(s) would lose their comment text ("
                    + danger.stream().limit(3).map(PlanItem::fileName).reduce((a, b) -> a + ", " + b).orElse("")
                    + (danger.size() > 3 ? ", ..." : "") + "): confirm with confirm_danger: true, or preserve the comments");
        }
        if (req.dryRun() && !req.background()) return dryRun(chosen);
        if (!req.dryRun()) checkNotBusy(chosen.stream().map(PlanItem::filePath).toList());
        List<NewItem> items = new ArrayList<>();
        for (PlanItem i : chosen) {
            String why = !i.canUpdate() ? "blocked: " + String.join("; ", i.issues())
                    : i.skipped() ? "skipped in the plan" : !i.hasChanges() ? "nothing to change" : null;
            items.add(new NewItem(i.fileHash(), i.filePath(), why == null ? "pending" : "skipped", i.existingComment(),
                    i.resultComment(), i.tagsToAdd(), i.tagsToRemove(), null, why, i.peopleTarget(), i.existingPeopleKey(),
                    i.resultPeopleKey()));
        }
        // A background dry run is an operation of its own: a job that checks one file at a time, with progress.
        long opId = store.createOperation(req.dryRun() ? DRY_RUN : "write", null, req.note(), items);
        return started(opId);
    }

    /** 409 when a file is still to be written by an unfinished operation: two writers must never race on one file. */
    private void checkNotBusy(List<String> paths) {
        for (Operation op : store.unfinished()) operation(op.id());
        Map<String, Long> busy = store.busyPaths();
        for (String p : paths) {
            Long op = busy.get(p);
            if (op != null) {
                throw Conflict.of("file_hashes", p + " is still to be written by operation " + op
                        + ", which has not finished: resume or cancel it first");
            }
        }
    }

    private ObjectNode started(long opId) {
        Job job = jobs.submit(TagWriteJob.KIND, Json.object().put("operation_id", opId));
        store.setJob(opId, job.id());
        ObjectNode out = Json.object();
        out.put("operation_id", opId);
        out.put("job_id", job.id());
        out.put("events_url", "/api/jobs/" + job.id() + "/events");
        out.set("operation", Json.MAPPER.valueToTree(operation(opId)));
        return out;
    }

    private ObjectNode dryRun(List<PlanItem> chosen) {
        ObjectNode out = Json.object().put("dry_run", true);
        ArrayNode arr = out.putArray("items");
        int ok = 0, failed = 0, skipped = 0;
        ExecutorService pool = Executors.newFixedThreadPool(config.probeThreads());
        try {
            List<Future<ObjectNode>> futures = new ArrayList<>();
            for (PlanItem i : chosen) {
                futures.add(pool.submit(() -> {
                    ObjectNode r = Json.object().put("file_hash", i.fileHash()).put("file_path", i.filePath());
                    if (i.skipped() || !i.hasChanges()) {
                        r.put("status", "skipped").put("reason", i.skipped() ? "skipped in the plan" : "nothing to change");
                        return r;
                    }
                    List<TagWriter.Check> checks = writer.validate(Path.of(i.filePath()), i.existingComment(), i.resultComment(),
                            config.maxCommentBytes(), isKeyTarget(i.peopleTarget()), i.existingPeopleKey());
                    List<String> errors = new ArrayList<>(i.issues());
                    checks.stream().filter(c -> !c.ok()).forEach(c -> errors.add(c.detail()));
                    r.put("status", errors.isEmpty() ? "ok" : "error");
                    r.set("checks", Json.MAPPER.valueToTree(checks));
                    r.set("errors", Json.MAPPER.valueToTree(new ArrayList<>(new LinkedHashSet<>(errors))));
                    r.put("risk_level", i.riskLevel());
                    r.put("result_comment", i.resultComment());
                    return r;
                }));
            }
            for (Future<ObjectNode> f : futures) {
                ObjectNode r = f.get();
                switch (r.get("status").asText()) {
                    case "ok" -> ok++;
                    case "error" -> failed++;
                    default -> skipped++;
                }
                arr.add(r);
            }
        } catch (Exception e) {
            throw new IllegalStateException("dry run failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        out.put("ok_count", ok).put("error_count", failed).put("skipped_count", skipped).put("files_written", 0);
        return out;
    }

    // ---- operations ----

    /** The operation, its status brought in line with its job (paused, cancelled or failed while not running). */
    public Operation operation(long id) {
        Operation op = store.operation(id).orElseThrow(() -> NotFound.of("metadata operation", id));
        if (op.jobId() == null || isFinal(op.status())) return op;
        Job job = jobs.find(op.jobId()).orElse(null);
        if (job == null) return op;
        if (job.status() == JobStatus.CANCELLED && job.claimedBy() != null) {
            // The worker finishes the file it is on (all or nothing per file) before it stops.
            return new Operation(op.id(), op.operationType(), "cancelling", op.jobId(), op.rollbackOf(), op.fileCount(),
                    op.successCount(), op.failureCount(), op.skippedCount(), op.errorMessage(), op.userNote(), op.startedAt(),
                    op.completedAt(), op.updatedAt());
        }
        String status = switch (job.status()) {
            case PAUSED -> "paused";
            case CANCELLED -> "cancelled";
            case FAILED -> "failed";
            case RUNNING, QUEUED -> op.status().equals("paused") ? "in_progress" : op.status();
            default -> op.status();
        };
        if (!status.equals(op.status())) {
            boolean done = job.status().isTerminal();
            if (job.status() == JobStatus.CANCELLED) store.skipPending(id, "cancelled");
            if (done) store.recount(id);
            store.setStatus(id, status, done, job.status() == JobStatus.FAILED ? job.error() : null);
            op = store.operation(id).orElseThrow();
        }
        return op;
    }

    static boolean isFinal(String status) {
        return Set.of("completed", "completed_with_errors", "failed", "cancelled", "rolled_back", "partially_rolled_back").contains(status);
    }

    public List<OperationItem> items(long opId) {
        return store.items(opId);
    }

    /** Status, items and progress of an operation. */
    public ObjectNode status(long opId) {
        Operation op = operation(opId);
        ObjectNode out = Json.object();
        out.set("operation", Json.MAPPER.valueToTree(op));
        List<OperationItem> items = store.items(opId);
        out.set("items", Json.MAPPER.valueToTree(items));
        ObjectNode progress = out.putObject("progress");
        long done = items.stream().filter(i -> !i.status().equals("pending") && !i.status().equals("writing")).count();
        progress.put("done", done).put("total", items.size());
        items.stream().filter(i -> i.status().equals("writing")).findFirst().ifPresent(i -> progress.put("current_item", i.filePath()));
        if (op.jobId() != null) {
            out.put("events_url", config.enableSse() ? "/api/jobs/" + op.jobId() + "/events" : null);
            jobs.find(op.jobId()).ifPresent(j -> out.set("job", Json.MAPPER.valueToTree(j)));
        }
        return out;
    }

    public Operation pause(long opId) {
        Operation op = operation(opId);
        if (op.jobId() == null) throw Conflict.of("status", "operation " + opId + " has no job");
        jobs.pause(op.jobId());
        return operation(opId);
    }

    public Operation resume(long opId) {
        Operation op = operation(opId);
        if (op.jobId() == null) throw Conflict.of("status", "operation " + opId + " has no job");
        jobs.resume(op.jobId());
        store.setStatus(opId, "in_progress", false, null);
        return operation(opId);
    }

    public Operation cancel(long opId) {
        Operation op = operation(opId);
        if (op.jobId() == null) throw Conflict.of("status", "operation " + opId + " has no job");
        jobs.cancel(op.jobId());
        return operation(opId);
    }

    /** Waits until the operation's job ends (CLI and tests). */
    public Operation await(long opId, Duration timeout) throws InterruptedException {
        Operation op = operation(opId);
        if (op.jobId() != null) jobs.await(op.jobId(), j -> j.isTerminal() && j.claimedBy() == null, timeout);
        return operation(opId);
    }

    // ---- history ----

    public record HistoryQuery(Instant start, Instant end, String status, String type, String file, String person,
                               int page, int perPage) {
    }

    public ObjectNode history(HistoryQuery q) {
        // Bring unfinished operations in line with their jobs first, so a status filter sees the truth.
        for (Operation op : store.unfinished()) operation(op.id());
        TagStore.HistoryPage page = store.history(new TagStore.HistoryFilter(q.start(), q.end(), q.status(), q.type(),
                q.file(), q.person()), q.page(), q.perPage());
        ObjectNode out = Json.object();
        out.set("items", Json.MAPPER.valueToTree(page.items()));
        out.put("page", q.page()).put("per_page", q.perPage()).put("total", page.total())
                .put("total_pages", Math.max(1, (page.total() + q.perPage() - 1) / q.perPage()));
        return out;
    }

    public ObjectNode details(long opId) {
        ObjectNode out = status(opId);
        ArrayNode backups = out.putArray("backups");
        for (OperationItem i : store.items(opId)) {
            store.backupOf(i.id()).ifPresent(b -> backups.addObject().put("operation_item_id", b.operationItemId())
                    .put("file_hash", b.fileHash()).put("backup_timestamp", b.backupTimestamp().toString())
                    .put("original_comment", b.originalComment()).put("metadata_bytes", b.originalMetadataJson().length()));
        }
        return out;
    }

    /** The full probe JSON saved before an item was written. */
    public Backup backup(long itemId) {
        return store.backupOf(itemId).orElseThrow(() -> NotFound.of("backup of operation item", itemId));
    }

    // ---- rollback ----

    /**
     * Restores the original comment of every file the operation wrote, as an operation of its own. A file is rolled
     * back only when it exists, its backup exists and its comment is still what Reelmark wrote; otherwise it is a
     * conflict and left alone.
     */
    public ObjectNode rollback(long opId) {
        return rollback(opId, false);
    }

    /**
     * {@link #rollback(long)}; with {@code background} no file is read in the request: the job checks each file (a
     * comment or key changed since Reelmark wrote it is a conflict item) with per-file progress, and the answer lists
     * only what the database knows (a missing backup).
     */
    public ObjectNode rollback(long opId, boolean background) {
        Operation op = operation(opId);
        if (!op.operationType().equals("write")) throw Conflict.of("operation_id", "only write operations can be rolled back");
        if (!isFinal(op.status()) || op.status().equals("rolled_back")) {
            throw Conflict.of("status", "operation " + opId + " is " + op.status() + ": only a finished write that was not rolled back can be rolled back");
        }
        List<NewItem> items = new ArrayList<>();
        ArrayNode conflicts = Json.MAPPER.createArrayNode();
        int feasible = 0;
        for (OperationItem i : store.items(opId)) {
            if (!i.status().equals("success")) continue;
            Path path = Path.of(i.filePath());
            String reason = null;
            Backup b = store.backupOf(i.id()).orElse(null);
            String fp = i.fileHashAfter() == null ? i.fileHash() : i.fileHashAfter();
            if (b == null) reason = "backup missing (removed by the retention clean-up?)";
            if (reason == null && !background) {
                List<String> access = TagWriter.accessProblems(path);
                if (!access.isEmpty()) reason = String.join("; ", access);
            }
            if (reason == null && !background) {
                TagWriter.LightProbe p = writer.probeLight(path);
                if (p.error() != null) {
                    reason = p.error();
                } else if (!Objects.equals(p.comment(), i.newComment())) {
                    reason = "conflict: the comment changed since Reelmark wrote it; left as it is";
                } else if (isKeyTarget(i.peopleTarget()) && !Objects.equals(p.peopleKey(), i.newPeople())) {
                    reason = "conflict: the people key changed since Reelmark wrote it; left as it is";
                } else {
                    try {
                        fp = Fingerprint.of(path);
                    } catch (IOException e) {
                        reason = "unreadable: " + e.getMessage();
                    }
                }
            }
            if (reason == null) {
                feasible++;
                items.add(new NewItem(fp, i.filePath(), "pending", i.newComment(), b.originalComment(), i.tagsRemoved(),
                        i.tagsAdded(), i.id(), null, i.peopleTarget(), i.newPeople(), i.previousPeople()));
            } else {
                conflicts.addObject().put("item_id", i.id()).put("file_path", i.filePath()).put("reason", reason);
                items.add(new NewItem(fp, i.filePath(), "conflict", i.newComment(), b == null ? null : b.originalComment(),
                        List.of(), List.of(), i.id(), reason, i.peopleTarget(), i.newPeople(), i.previousPeople()));
            }
        }
        if (items.isEmpty()) throw Conflict.of("operation_id", "operation " + opId + " wrote no file, there is nothing to roll back");
        checkNotBusy(items.stream().filter(i -> i.status().equals("pending")).map(NewItem::filePath).toList());
        long rbId = store.createOperation("rollback", opId, "rollback of operation " + opId, items);
        ObjectNode out = feasible > 0 ? started(rbId) : Json.object().put("operation_id", rbId);
        if (feasible == 0) {
            store.recount(rbId);
            store.setStatus(rbId, "failed", true, "no file could be rolled back");
            out.set("operation", Json.MAPPER.valueToTree(operation(rbId)));
        }
        out.put("feasible", feasible);
        out.set("conflicts", conflicts);
        return out;
    }

    static final String DRY_RUN = "dry_run";

    /** The dry-run checks of one operation item (what {@link #dryRun} answers per file). */
    List<TagWriter.Check> check(OperationItem item) {
        boolean keyTarget = isKeyTarget(item.peopleTarget());
        return writer.validate(Path.of(item.filePath()), item.previousComment(), item.newComment(), config.maxCommentBytes(),
                keyTarget, item.previousPeople());
    }

    static boolean isKeyTarget(String target) {
        return target != null && !target.equals(PeopleComment.Target.COMMENT.label);
    }

    // ---- retention ----

    /** Removes backups older than {@code days} (null: the configured retention); returns how many. */
    public int cleanupBackups(Integer days) {
        int d = days == null ? config.backupRetentionDays() : days;
        if (d < 0) throw InvalidInput.field("retention_days", "must be 0 or more");
        return store.deleteBackupsBefore(Instant.now().minus(Duration.ofDays(d)));
    }

    /**
     * The "re-read" action: forgets what the planner read from the given files (all when {@code paths} is empty), so
     * the next plan reads them again; returns the fresh plan items of those files.
     */
    public List<PlanItem> reread(List<String> paths) {
        if (paths == null || paths.isEmpty()) {
            store.clearCache();
            return planner.plan(null).items();
        }
        List<String> real = new ArrayList<>();
        for (String p : paths) {
            if (p == null || p.isBlank()) throw InvalidInput.field("paths", "must not contain empty paths");
            real.add(Path.of(p).toAbsolutePath().normalize().toString());
        }
        store.forget(real);
        return planner.plan(null).items().stream().filter(i -> real.contains(i.filePath())).toList();
    }

    /** Forgets what the planner read from files, so the next plan probes every file again (cold plan). */
    public void clearPlanCache() {
        store.clearCache();
    }
}
