package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.Segment;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.db.Database;
import dev.reelmark.db.Vendor;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobService;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Targeted regeneration that settles. A draft is a pending new segment with its planned inputs; it records the
 * segment it replaces (id, place, output path, status, receipt) so it outlives that segment. A draft is
 * <b>open</b> while its new segment has no receipt and has not failed or been rejected, <b>settled</b> once the new
 * segment has a receipt (the replaced segment is then <b>superseded</b>: not stale, counted apart), and
 * <b>abandoned</b> when the new segment failed or was rejected without a receipt. All of it is computed by query.
 * A segment with an open draft is never queued again. Drafts are written set-based, a batch at a time: a few
 * statements per batch, whatever its size.
 */
final class Regenerations {
    /** Segments per transaction of the job. */
    static final int BATCH = 500;

    /** The new segment of an open draft: no receipt yet, not given up. */
    static final String OPEN = " NOT EXISTS (SELECT 1 FROM generation_receipts nr WHERE nr.segment_id = d.new_segment_id)"
            + " AND EXISTS (SELECT 1 FROM segments ns WHERE ns.id = d.new_segment_id AND ns.status NOT IN ('failed', 'rejected'))";
    /** The new segment of a settled draft has a receipt. */
    static final String SETTLED = " EXISTS (SELECT 1 FROM generation_receipts nr WHERE nr.segment_id = d.new_segment_id)";

    private static final String DRAFT_SELECT = "SELECT d.id, d.job_id, d.replaces_segment_id, d.replaces_scene_id,"
            + " d.replaces_sequence_index, d.replaces_output_video_path, d.replaces_status, d.replaces_receipt_id,"
            + " d.replaces_inputs_hash, d.new_segment_id, ns.status AS new_segment_status, d.planned_inputs_hash,"
            + " d.planned_inputs, d.created_at,"
            + " (SELECT max(nr.id) FROM generation_receipts nr WHERE nr.segment_id = d.new_segment_id) AS settled_by_receipt_id,"
            + " CASE WHEN EXISTS (SELECT 1 FROM segments os WHERE os.id = d.replaces_segment_id) THEN 1 ELSE 0 END AS replaces_exists"
            + " FROM regeneration_drafts d JOIN segments ns ON ns.id = d.new_segment_id";

    private final Database db;
    private final Jdbi jdbi;
    private final CatalogService catalog;
    private final JobService jobs;
    private final ProvenanceService provenance;

    Regenerations(Database db, CatalogService catalog, JobService jobs, ProvenanceService provenance) {
        this.db = db;
        this.jdbi = db.jdbi();
        this.catalog = catalog;
        this.jobs = jobs;
        this.provenance = provenance;
    }

    // ------------------------------------------------------------------ reads

    /** A draft as the API shows it: what it replaces, its state and its full planned inputs. */
    static ObjectNode draftJson(ObjectNode row, boolean withInputs) {
        ObjectNode n = Json.object();
        n.put("id", row.get("id").longValue()).put("job_id", row.get("job_id").longValue());
        Long settledBy = ProvenanceService.idOrNull(row, "settled_by_receipt_id");
        String newStatus = row.get("new_segment_status").asText();
        String state = settledBy != null ? "settled" : newStatus.equals("failed") || newStatus.equals("rejected") ? "abandoned" : "open";
        n.put("state", state);
        ObjectNode replaces = n.putObject("replaces");
        replaces.put("segment_id", row.get("replaces_segment_id").longValue())
                .put("exists", row.get("replaces_exists").asInt() == 1)
                .put("scene_id", row.get("replaces_scene_id").longValue())
                .put("sequence_index", row.get("replaces_sequence_index").intValue())
                .put("output_video_path", ProvenanceService.textOrNull(row.get("replaces_output_video_path")))
                .put("status", row.get("replaces_status").asText())
                .put("receipt_id", row.get("replaces_receipt_id").longValue())
                .put("inputs_hash", row.get("replaces_inputs_hash").asText());
        n.put("replaces_segment_id", row.get("replaces_segment_id").longValue());
        n.put("new_segment_id", row.get("new_segment_id").longValue()).put("new_segment_status", newStatus);
        if (settledBy == null) n.putNull("settled_by_receipt_id"); else n.put("settled_by_receipt_id", settledBy);
        n.put("planned_inputs_hash", row.get("planned_inputs_hash").asText());
        if (withInputs) n.set("planned_inputs", row.get("planned_inputs"));
        n.put("created_at", row.get("created_at").asText());
        return n;
    }

    Optional<ObjectNode> find(long draftId) {
        return jdbi.withHandle(h -> h.createQuery(DRAFT_SELECT + " WHERE d.id = :id").bind("id", draftId)
                .map((rs, ctx) -> ProvenanceService.rowToJson(rs)).findOne()).map(r -> draftJson(r, true));
    }

    ObjectNode get(long draftId) {
        return find(draftId).orElseThrow(() -> NotFound.of("regeneration draft", draftId));
    }

    /** The draft that planned this segment (the segment is its new take), if any. */
    Optional<ObjectNode> forNewSegment(long newSegmentId) {
        return jdbi.withHandle(h -> h.createQuery(DRAFT_SELECT + " WHERE d.new_segment_id = :s").bind("s", newSegmentId)
                .map((rs, ctx) -> ProvenanceService.rowToJson(rs)).findOne()).map(r -> draftJson(r, true));
    }

    /** Drafts that replace this segment, oldest first, without their inputs (each is readable by id). */
    ArrayNode replacing(long segmentId) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        jdbi.useHandle(h -> h.createQuery(DRAFT_SELECT + " WHERE d.replaces_segment_id = :s ORDER BY d.id").bind("s", segmentId)
                .map((rs, ctx) -> ProvenanceService.rowToJson(rs)).forEach(r -> arr.add(draftJson(r, false))));
        return arr;
    }

    /** One superseded segment: its newest settled draft, the new take and the take's latest receipt. */
    record Superseded(long segmentId, long sceneId, int sequenceIndex, long draftId, long supersededBy, long receiptId) {
        ObjectNode toJson() {
            return Json.object().put("segment_id", segmentId).put("scene_id", sceneId).put("sequence_index", sequenceIndex)
                    .put("draft_id", draftId).put("superseded_by", supersededBy).put("receipt_id", receiptId);
        }
    }

    /** The project's segments that still exist and whose replacement has a receipt, by segment id. */
    Map<Long, Superseded> superseded(long projectId) {
        String sql = "SELECT d.replaces_segment_id AS segment_id, d.replaces_scene_id AS scene_id,"
                + " d.replaces_sequence_index AS sequence_index, d.id AS draft_id, d.new_segment_id AS new_segment_id,"
                + " (SELECT max(nr.id) FROM generation_receipts nr WHERE nr.segment_id = d.new_segment_id) AS receipt_id"
                + " FROM regeneration_drafts d JOIN scenes sc ON sc.id = d.replaces_scene_id JOIN characters c ON c.id = sc.character_id"
                + " WHERE c.project_id = :project AND" + SETTLED
                + " AND EXISTS (SELECT 1 FROM segments os WHERE os.id = d.replaces_segment_id) ORDER BY d.id";
        Map<Long, Superseded> out = new java.util.TreeMap<>();
        jdbi.useHandle(h -> h.createQuery(sql).bind("project", projectId).map((rs, ctx) -> ProvenanceService.rowToJson(rs))
                .forEach(r -> out.put(r.get("segment_id").longValue(), new Superseded(r.get("segment_id").longValue(),
                        r.get("scene_id").longValue(), r.get("sequence_index").intValue(), r.get("draft_id").longValue(),
                        r.get("new_segment_id").longValue(), r.get("receipt_id").longValue())))); // newest draft wins
        return out;
    }

    /** Whether a segment is superseded, from the drafts that replace it ({@link #replacing}): its newest settled one. */
    static Optional<Superseded> supersededBy(long segmentId, ArrayNode replacing) {
        for (int i = replacing.size() - 1; i >= 0; i--) {
            JsonNode d = replacing.get(i);
            if (!d.get("settled_by_receipt_id").isNull()) {
                return Optional.of(new Superseded(segmentId, d.get("replaces").get("scene_id").longValue(),
                        d.get("replaces").get("sequence_index").intValue(), d.get("id").longValue(),
                        d.get("new_segment_id").longValue(), d.get("settled_by_receipt_id").longValue()));
            }
        }
        return Optional.empty();
    }

    /** An open draft of a segment: the draft and its pending new take. */
    record OpenDraft(long segmentId, long draftId, long newSegmentId) {
        ObjectNode toJson() {
            return Json.object().put("segment_id", segmentId).put("draft_id", draftId).put("new_segment_id", newSegmentId);
        }
    }

    /** The open draft (newest) of each of these segments that has one. */
    Map<Long, OpenDraft> openDrafts(Collection<Long> segmentIds) {
        Map<Long, OpenDraft> out = new HashMap<>();
        List<Long> ids = segmentIds.stream().distinct().toList();
        jdbi.useHandle(h -> {
            for (int from = 0; from < ids.size(); from += BATCH) {
                h.createQuery("SELECT d.replaces_segment_id, d.id, d.new_segment_id FROM regeneration_drafts d"
                                + " WHERE d.replaces_segment_id IN (<ids>) AND" + OPEN + " ORDER BY d.id")
                        .bindList("ids", ids.subList(from, Math.min(ids.size(), from + BATCH)))
                        .map((rs, ctx) -> new OpenDraft(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                        .forEach(o -> out.put(o.segmentId(), o));
            }
        });
        return out;
    }

    /** Old segment id → open draft id, for every segment of the project that has an open draft. */
    Map<Long, Long> openDraftsOfProject(long projectId) {
        Map<Long, Long> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT d.replaces_segment_id, d.id FROM regeneration_drafts d"
                        + " JOIN scenes sc ON sc.id = d.replaces_scene_id JOIN characters c ON c.id = sc.character_id"
                        + " WHERE c.project_id = :project AND" + OPEN + " ORDER BY d.id")
                .bind("project", projectId).map((rs, ctx) -> new long[]{rs.getLong(1), rs.getLong(2)})
                .forEach(r -> out.put(r[0], r[1])));
        return out;
    }

    // ------------------------------------------------------------------ queueing

    /**
     * Submits one {@code provenance.regenerate} job for the project's stale segments (all, or the selected ones, each
     * of which must be stale). Stale segments that already have an open draft are not queued again: the answer lists
     * them under {@code already_queued} with their drafts.
     */
    ObjectNode regenerateStale(long projectId, List<Long> segmentIds) {
        List<ProvenanceService.StaleSegment> stale = provenance.staleSegments(projectId, null);
        Set<Long> staleIds = new HashSet<>();
        stale.forEach(s -> staleIds.add(s.segmentId()));
        List<Long> chosen = new ArrayList<>();
        if (segmentIds == null) {
            stale.forEach(s -> chosen.add(s.segmentId()));
        } else {
            Map<Long, Superseded> superseded = null;
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < segmentIds.size(); i++) {
                long id = segmentIds.get(i);
                if (!seen.add(id)) throw InvalidInput.field("segment_ids[" + i + "]", "duplicate segment id " + id);
                if (!staleIds.contains(id)) {
                    if (superseded == null) superseded = superseded(projectId);
                    Superseded s = superseded.get(id);
                    throw InvalidInput.field("segment_ids[" + i + "]", s != null
                            ? "segment " + id + " is superseded by segment " + s.supersededBy() + " (draft " + s.draftId() + " has a receipt)"
                            : "segment " + id + " is not a stale segment of project " + projectId);
                }
                chosen.add(id);
            }
        }
        Map<Long, OpenDraft> open = openDrafts(chosen);
        ArrayNode ids = Json.MAPPER.createArrayNode();
        ArrayNode already = Json.MAPPER.createArrayNode();
        int queued = 0;
        for (long id : chosen) {
            OpenDraft o = open.get(id);
            if (o != null) already.add(o.toJson());
            else {
                ids.add(id);
                queued++;
            }
        }
        ObjectNode out = Json.object();
        String alreadyText = already.isEmpty() ? "" : "; " + already.size() + " already queued (open drafts)";
        if (queued == 0) {
            out.putNull("job");
            out.set("segment_ids", ids);
            out.set("already_queued", already);
            out.put("message", chosen.isEmpty() ? "nothing to regenerate: no stale segments"
                    : "nothing to regenerate: every selected stale segment is already queued (open drafts)");
            return out;
        }
        ObjectNode params = Json.object().put("project_id", projectId);
        params.set("segment_ids", ids);
        Job job = jobs.submit(ProvenanceService.REGENERATE_KIND, params);
        out.set("job", Json.MAPPER.valueToTree(job));
        out.set("segment_ids", ids);
        out.set("already_queued", already);
        out.put("message", queued + " segment(s) queued for regeneration with the current asset versions" + alreadyText);
        return out;
    }

    // ------------------------------------------------------------------ the job's batches

    /** What one batch did: drafts written, segments left alone because they have an open draft, and skipped ones. */
    record BatchResult(int regenerated, List<OpenDraft> alreadyQueued, List<ObjectNode> skipped) {
    }

    /**
     * Regenerates a batch of segments for job {@code jobId} in one transaction: new pending takes through the catalog
     * (one INSERT ... SELECT), their plans (current versions, resolved for the whole batch in two queries) and the
     * drafts (one batched INSERT). Idempotent per (job, segment), so a resumed job redoes nothing. Concurrent jobs on
     * the same segments are serialized (row locks on PostgreSQL, the write lock on SQLite), so each draft is
     * created once.
     */
    BatchResult regenerateBatch(long jobId, List<Long> batch) {
        return jdbi.inTransaction(h -> {
            List<Long> ids = batch.stream().distinct().sorted().toList();
            if (ids.isEmpty()) return new BatchResult(0, List.of(), List.of());
            if (db.vendor() == Vendor.POSTGRESQL) {
                h.createQuery("SELECT id FROM segments WHERE id IN (<ids>) ORDER BY id FOR UPDATE").bindList("ids", ids).mapTo(Long.class).list();
            }
            Set<Long> done = new HashSet<>(h.createQuery("SELECT replaces_segment_id FROM regeneration_drafts WHERE job_id = :j"
                    + " AND replaces_segment_id IN (<ids>)").bind("j", jobId).bindList("ids", ids).mapTo(Long.class).list());
            Map<Long, Segment> olds = catalog.reads().segments(ids);
            List<Long> todo = new ArrayList<>();
            List<ObjectNode> skipped = new ArrayList<>();
            for (long id : ids) {
                if (done.contains(id)) continue;
                if (!olds.containsKey(id)) skipped.add(skip(id, "missing", "the segment was deleted"));
                else todo.add(id);
            }
            Map<Long, OpenDraft> open = openDrafts(todo);
            Set<Long> superseded = new HashSet<>(h.createQuery("SELECT d.replaces_segment_id FROM regeneration_drafts d"
                    + " WHERE d.replaces_segment_id IN (<ids>) AND" + SETTLED).bindList("ids", ids).mapTo(Long.class).list());
            List<OpenDraft> already = new ArrayList<>();
            List<Long> go = new ArrayList<>();
            for (long id : todo) {
                if (open.containsKey(id)) already.add(open.get(id));
                else if (superseded.contains(id)) skipped.add(skip(id, "superseded", "its replacement already has a receipt"));
                else go.add(id);
            }
            Map<Long, ObjectNode> latest = provenance.latestReceipts(go);
            List<Long> planned = new ArrayList<>();
            List<ObjectNode> receipts = new ArrayList<>();
            for (long id : go) {
                ObjectNode r = latest.get(id);
                if (r == null) skipped.add(skip(id, "no_receipt", "the segment has no receipt to regenerate from"));
                else {
                    planned.add(id);
                    receipts.add(r);
                }
            }
            if (planned.isEmpty()) return new BatchResult(0, already, skipped);
            List<ReceiptInputs> plans = planAll(h, receipts);
            Map<Long, Long> takes = catalog.createPendingTakes(planned);
            PreparedBatch insert = h.prepareBatch("INSERT INTO regeneration_drafts (job_id, replaces_segment_id, replaces_scene_id,"
                    + " replaces_sequence_index, replaces_output_video_path, replaces_status, replaces_receipt_id, replaces_inputs_hash,"
                    + " new_segment_id, planned_inputs, planned_inputs_hash) VALUES (:j, :o, :scene, :seq, :path, :status, :r, :rh, :n, :p, :h)");
            for (int i = 0; i < planned.size(); i++) {
                long id = planned.get(i);
                Segment old = olds.get(id);
                ObjectNode r = receipts.get(i);
                ObjectNode plan = plans.get(i).toJson(); // carries its inputs_hash
                insert.bind("j", jobId).bind("o", id).bind("scene", old.sceneId())
                        .bind("seq", old.sequenceIndex())
                        .bind("path", old.outputVideoPath())
                        .bind("status", old.status()).bind("r", r.get("id").longValue())
                        .bind("rh", r.get("inputs_hash").asText()).bind("n", takes.get(id))
                        .bind("p", Json.write(plan)).bind("h", plan.get("inputs_hash").asText()).add();
            }
            insert.execute();
            return new BatchResult(planned.size(), already, skipped);
        });
    }

    private static ObjectNode skip(long id, String reason, String message) {
        return Json.object().put("segment_id", id).put("reason", reason).put("message", message);
    }

    /** Every draft of a job, compact (for its result), in old-segment order. */
    ArrayNode draftsOfJob(long jobId) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        jdbi.useHandle(h -> h.createQuery("SELECT id, replaces_segment_id, new_segment_id, planned_inputs_hash FROM regeneration_drafts"
                        + " WHERE job_id = :j ORDER BY replaces_segment_id").bind("j", jobId)
                .map((rs, ctx) -> Json.object().put("draft_id", rs.getLong(1)).put("old_segment_id", rs.getLong(2))
                        .put("new_segment_id", rs.getLong(3)).put("planned_inputs_hash", rs.getString(4)))
                .forEach(arr::add));
        return arr;
    }

    // ------------------------------------------------------------------ plans

    /** The inputs a stale receipt would be regenerated with: every stale reference swapped for its chain's current row. */
    ReceiptInputs plan(ObjectNode receipt) {
        return jdbi.withHandle(h -> planAll(h, List.of(receipt)).get(0));
    }

    /**
     * Plans for many receipts at once: the current version of every asset they used in one query (a chain is its
     * kind and name, with one current row), of every image in one recursive query along previous_version_id.
     */
    List<ReceiptInputs> planAll(Handle h, List<ObjectNode> receipts) {
        List<ReceiptInputs> inputs = receipts.stream().map(ProvenanceService::inputsOf).toList();
        Set<Long> assetIds = new HashSet<>();
        Set<Long> imageIds = new HashSet<>();
        for (ReceiptInputs in : inputs) {
            if (in.modelAssetId() != null) assetIds.add(in.modelAssetId());
            if (in.workflowAssetId() != null) assetIds.add(in.workflowAssetId());
            in.loras().forEach(l -> { if (l.assetId() != null) assetIds.add(l.assetId()); });
            in.models().forEach(m -> { if (m.assetId() != null) assetIds.add(m.assetId()); });
            if (in.sourceImageId() != null) imageIds.add(in.sourceImageId());
            if (in.variantImageId() != null) imageIds.add(in.variantImageId());
        }
        Map<Long, ObjectNode> currentAsset = new HashMap<>();
        if (!assetIds.isEmpty()) {
            h.createQuery("SELECT a.id AS used_id, cur.id AS id, cur.name AS name, cur.version_label AS version_label,"
                            + " cur.checksum_sha256 AS checksum_sha256 FROM assets a JOIN assets cur ON cur.kind = a.kind"
                            + " AND cur.name = a.name AND cur.is_current_version = TRUE WHERE a.id IN (<ids>)")
                    .bindList("ids", new ArrayList<>(assetIds)).map((rs, ctx) -> ProvenanceService.rowToJson(rs))
                    .forEach(r -> currentAsset.put(r.get("used_id").longValue(), r));
        }
        Map<Long, ObjectNode> currentImage = new HashMap<>();
        if (!imageIds.isEmpty()) {
            h.createQuery("WITH RECURSIVE chain(start_id, id, depth) AS (SELECT id, id, 0 FROM images WHERE id IN (<ids>)"
                            + " UNION ALL SELECT c.start_id, i.id, c.depth + 1 FROM chain c JOIN images i ON i.previous_version_id = c.id"
                            + " WHERE c.depth < 10000)"
                            + " SELECT c.start_id AS used_id, i.id AS id, i.content_hash AS content_hash FROM chain c"
                            + " JOIN images i ON i.id = c.id WHERE i.is_current_version = TRUE")
                    .bindList("ids", new ArrayList<>(imageIds)).map((rs, ctx) -> ProvenanceService.rowToJson(rs))
                    .forEach(r -> currentImage.putIfAbsent(r.get("used_id").longValue(), r));
            // a current version before the used one (flag moved back by hand): ask the catalog's chain walk
            for (long id : imageIds) {
                if (!currentImage.containsKey(id)) currentImage.put(id, currentImageByChain(id));
            }
        }
        List<ReceiptInputs> out = new ArrayList<>(inputs.size());
        for (ReceiptInputs in : inputs) {
            ObjectNode m = in.modelAssetId() == null ? null : currentAsset.get(in.modelAssetId());
            if (m != null) in = in.withModel(m.get("id").longValue(), m.get("name").asText(), m.get("version_label").asText(), ProvenanceService.text(m, "checksum_sha256"));
            ObjectNode w = in.workflowAssetId() == null ? null : currentAsset.get(in.workflowAssetId());
            if (w != null) in = in.withWorkflow(w.get("id").longValue(), w.get("name").asText(), w.get("version_label").asText(), ProvenanceService.text(w, "checksum_sha256"));
            List<ReceiptInputs.Lora> loras = new ArrayList<>();
            for (ReceiptInputs.Lora l : in.loras()) {
                ObjectNode cur = l.assetId() == null ? null : currentAsset.get(l.assetId());
                loras.add(cur == null ? l : new ReceiptInputs.Lora(cur.get("id").longValue(), cur.get("name").asText(),
                        cur.get("version_label").asText(), ProvenanceService.text(cur, "checksum_sha256"), l.weight(), l.strengthClip()));
            }
            in = in.withLoras(loras);
            // further models (Wan 2.2's low-noise model) move to their chain's current version too; the first is the model above
            List<ReceiptInputs.Model> models = new ArrayList<>();
            for (int i = 0; i < in.models().size(); i++) {
                ReceiptInputs.Model mod = in.models().get(i);
                ObjectNode cur = mod.assetId() == null ? null : currentAsset.get(mod.assetId());
                if (i == 0) {
                    models.add(new ReceiptInputs.Model(mod.role(), in.modelAssetId(), in.modelName(), in.modelVersion(), in.modelHash()));
                } else {
                    models.add(cur == null ? mod : new ReceiptInputs.Model(mod.role(), cur.get("id").longValue(), cur.get("name").asText(),
                            cur.get("version_label").asText(), ProvenanceService.text(cur, "checksum_sha256")));
                }
            }
            in = in.withModels(models);
            ObjectNode src = in.sourceImageId() == null ? null : currentImage.get(in.sourceImageId());
            ObjectNode var = in.variantImageId() == null ? null : currentImage.get(in.variantImageId());
            in = in.withImages(src == null ? in.sourceImageId() : (Long) src.get("id").longValue(),
                    src == null ? in.sourceImageHash() : ProvenanceService.text(src, "content_hash"),
                    var == null ? in.variantImageId() : (Long) var.get("id").longValue(),
                    var == null ? in.variantImageHash() : ProvenanceService.text(var, "content_hash"));
            out.add(in);
        }
        return out;
    }

    private ObjectNode currentImageByChain(long id) {
        dev.reelmark.catalog.Image cur = catalog.reads().currentImageInChain(id);
        return Json.object().put("id", cur.id()).put("content_hash", cur.contentHash());
    }

    /** For tests and the benchmark: how many drafts replace each of these segments (open or not). */
    Map<Long, Integer> draftCounts(Collection<Long> segmentIds) {
        Map<Long, Integer> out = new LinkedHashMap<>();
        if (segmentIds.isEmpty()) return out;
        jdbi.useHandle(h -> h.createQuery("SELECT replaces_segment_id, count(*) FROM regeneration_drafts WHERE replaces_segment_id IN (<ids>)"
                        + " GROUP BY replaces_segment_id").bindList("ids", new ArrayList<>(segmentIds))
                .map((rs, ctx) -> new long[]{rs.getLong(1), rs.getLong(2)}).forEach(r -> out.put(r[0], (int) r[1])));
        return out;
    }
}
