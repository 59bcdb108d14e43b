package dev.reelmark.provenance;

import dev.reelmark.events.ChangeEvent;
import dev.reelmark.events.ChangePublisher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.Asset;
import dev.reelmark.catalog.Image;
import dev.reelmark.catalog.Segment;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.db.Database;
import dev.reelmark.db.Timestamps;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.errors.Conflict;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobService;
import dev.reelmark.media.MediaIdentity;
import dev.reelmark.media.MediaRoots;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Generation provenance: immutable receipts, forward and reverse provenance, staleness (computed at query time,
 * never stored) and targeted regeneration. Catalog rows are read by this feature's SQL (read-only JOINs on segments,
 * scenes, characters, assets and images, needed for indexed provenance queries); every catalog write goes through
 * {@link CatalogService}.
 */
public final class ProvenanceService {
    public static final String REGENERATE_KIND = "provenance.regenerate";
    public static final int PROMPT_MAX = 100_000;
    public static final int PARAMS_MAX = 65_536;
    public static final double LORA_WEIGHT_LIMIT = 10.0;
    public static final int MAX_LORAS = 32;
    /** additional_params keys that announce an import's model, file and graph rows (the database checks them). */
    static final List<String> IMPORT_PARAMS = List.of("model_count", "source_image_count", "prompt_graph_sha256", "comfy_format");

    /** Generation receipts of a project's segments (what a project delete takes with it). */
    public long receiptCountForProject(long projectId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM generation_receipts r "
                + "JOIN segments s ON s.id = r.segment_id JOIN scenes sc ON sc.id = s.scene_id "
                + "JOIN characters c ON c.id = sc.character_id WHERE c.project_id = :p")
                .bind("p", projectId).mapTo(Long.class).one());
    }

    private final Database db;
    private final Jdbi jdbi;
    private final CatalogService catalog;
    private final JobService jobs;
    private volatile ChangePublisher changes = ChangePublisher.NONE;
    /** Where segment videos and images are read from to hash them; null: output videos are not hashed. */
    private final MediaRoots roots;
    private final MediaIdentity identities = MediaIdentity.shared();
    private final ReceiptVerifier verifier;
    private final Regenerations regenerations;

    /** Without a data directory: receipts record no output hash and {@link #verify} is unavailable. */
    public ProvenanceService(Database db, CatalogService catalog, JobService jobs) {
        this(db, catalog, jobs, null);
    }

    /** {@code dataDir}: where stored media paths are resolved (and confined), to hash output videos and images. */
    public ProvenanceService(Database db, CatalogService catalog, JobService jobs, Path dataDir) {
        this.db = db;
        this.jdbi = db.jdbi();
        this.catalog = catalog;
        this.jobs = jobs;
        this.roots = dataDir == null ? null : MediaRoots.of(dataDir.toAbsolutePath().normalize());
        this.verifier = new ReceiptVerifier(this);
        this.regenerations = new Regenerations(db, catalog, jobs, this);
    }

    Optional<MediaRoots> mediaRoots() {
        return Optional.ofNullable(roots);
    }

    MediaIdentity identities() {
        return identities;
    }

    /** The identity of a segment's output video as it is now, when it has one inside the media roots. */
    Optional<MediaIdentity.Identity> outputIdentity(long segmentId) {
        if (roots == null) return Optional.empty();
        String stored = catalog.reads().segment(segmentId).map(Segment::outputVideoPath).orElse(null);
        if (stored == null) return Optional.empty();
        return roots.resolve(stored).flatMap(f -> identities.find(f, roots));
    }

    /**
     * Which segments' output videos (and source/variant images) no longer match their latest receipt: changed,
     * missing, or with no hash recorded. {@code projectId} null: every project.
     */
    public ReceiptVerifier.Report verify(Long projectId) {
        if (projectId != null) catalog.reads().requireProject(projectId);
        return verifier.verify(projectId);
    }

    /**
     * Records the output video's hash and size on each latest receipt of the project that has none yet and whose
     * video exists (trust on first verification); returns how many receipts were completed so.
     */
    public int recordMissingOutputs(Long projectId) {
        if (projectId != null) catalog.reads().requireProject(projectId);
        return verifier.recordMissing(projectId);
    }

    /** Where new receipts are announced: a receipt changes what is stale (the web UI's event stream). */
    public void publishTo(ChangePublisher publisher) {
        this.changes = publisher;
    }

    /** Tells the web UI that the staleness of these segments may have changed. */
    void announceStaleness(long segmentId, String action) {
        changes.publish(new ChangeEvent(ChangeEvent.STALENESS, "segments", segmentId, action));
    }

    public CatalogService catalog() {
        return catalog;
    }

    public Database database() {
        return db;
    }

    // ------------------------------------------------------------------ receipts

    private static final Set<String> RECEIPT_FIELDS = Set.of("source_image_id", "variant_image_id", "workflow_asset_id",
            "model_asset_id", "loras", "prompt_text", "negative_prompt", "cfg_scale", "seed", "resolution_width",
            "resolution_height", "steps", "sampler", "additional_params", "generation_started_at",
            "generation_completed_at", "generation_duration_ms");

    /** POST /api/segments/{id}/receipts: validates the body, resolves the referenced catalog rows, writes the receipt. */
    public ObjectNode createReceipt(long segmentId, ObjectNode body) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!RECEIPT_FIELDS.contains(f)) throw InvalidInput.field(f, "unknown field; allowed: " + new java.util.TreeSet<>(RECEIPT_FIELDS));
        }
        catalog.reads().requireSegment(segmentId);
        Asset model = requireAsset(body, "model_asset_id", "model", true);
        Asset workflow = requireAsset(body, "workflow_asset_id", "workflow", false);
        Image source = image(body, "source_image_id");
        Image variant = image(body, "variant_image_id");
        List<ReceiptInputs.Lora> loras = new ArrayList<>();
        JsonNode loraNode = body.path("loras");
        if (!loraNode.isMissingNode() && !loraNode.isNull()) {
            if (!loraNode.isArray()) throw InvalidInput.field("loras", "must be an array of {asset_id, weight}");
            if (loraNode.size() > MAX_LORAS) throw InvalidInput.field("loras", "at most " + MAX_LORAS + " LoRAs");
            Set<String> chains = new HashSet<>();
            for (int i = 0; i < loraNode.size(); i++) {
                String p = "loras[" + i + "]";
                JsonNode l = loraNode.get(i);
                if (!l.isObject()) throw InvalidInput.field(p, "must be an object {asset_id, weight}");
                for (Iterator<String> it = l.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (!f.equals("asset_id") && !f.equals("weight")) throw InvalidInput.field(p + "." + f, "unknown field; allowed: asset_id, weight");
                }
                Asset asset = requireAsset((ObjectNode) l, "asset_id", "lora", true, p + ".asset_id");
                double weight = finite(l, "weight", p + ".weight", null);
                if (weight < -LORA_WEIGHT_LIMIT || weight > LORA_WEIGHT_LIMIT) {
                    throw InvalidInput.field(p + ".weight", "must be from -10 to 10, got " + weight);
                }
                if (!chains.add(asset.name())) {
                    throw InvalidInput.field(p + ".asset_id", "duplicate LoRA '" + asset.name() + "' (each LoRA at most once per receipt)");
                }
                loras.add(new ReceiptInputs.Lora(asset.id(), asset.name(), asset.versionLabel(), asset.checksumSha256(), weight));
            }
        }
        String prompt = requiredText(body, "prompt_text", PROMPT_MAX);
        String negative = optionalText(body, "negative_prompt", PROMPT_MAX);
        double cfg = finite(body, "cfg_scale", "cfg_scale", null);
        if (cfg < 0 || cfg > 100) throw InvalidInput.field("cfg_scale", "must be from 0 to 100, got " + cfg);
        long seed = longValue(body, "seed");
        int width = intRange(body, "resolution_width", 1, 16384);
        int height = intRange(body, "resolution_height", 1, 16384);
        int steps = intRange(body, "steps", 1, 10_000);
        String sampler = requiredText(body, "sampler", 200);
        JsonNode params = body.path("additional_params");
        if (params.isMissingNode() || params.isNull()) params = Json.object();
        if (!params.isObject()) throw InvalidInput.field("additional_params", "must be a JSON object");
        for (String reserved : IMPORT_PARAMS) {
            if (params.has(reserved)) throw InvalidInput.field("additional_params." + reserved, "is set only by a ComfyUI import");
        }
        if (Json.write(params).length() > PARAMS_MAX) throw InvalidInput.field("additional_params", "must be at most " + PARAMS_MAX + " characters of JSON");
        Instant started = instant(body, "generation_started_at");
        Instant completed = instant(body, "generation_completed_at");
        Long duration = null;
        if (body.hasNonNull("generation_duration_ms")) {
            JsonNode d = body.get("generation_duration_ms");
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.longValue() < 0) throw InvalidInput.field("generation_duration_ms", "must be a non-negative integer");
            duration = d.longValue();
        }
        ReceiptInputs inputs = new ReceiptInputs(
                source == null ? null : source.id(), source == null ? null : source.contentHash(),
                variant == null ? null : variant.id(), variant == null ? null : variant.contentHash(),
                workflow == null ? null : workflow.id(), workflow == null ? null : workflow.name(),
                workflow == null ? null : workflow.versionLabel(), workflow == null ? null : workflow.checksumSha256(),
                model.id(), model.name(), model.versionLabel(), model.checksumSha256(), loras, prompt, negative, cfg, seed, width, height, steps, sampler, params);
        long id = record(segmentId, inputs, started == null ? Instant.now() : started, completed, duration, "api");
        return receipt(id);
    }

    /**
     * Writes a receipt for already-resolved inputs (importer, demo, regeneration drafts' later receipts). The caller
     * has validated the inputs; the database refuses anything its constraints forbid.
     */
    public long record(long segmentId, ReceiptInputs in, Instant startedAt, Instant completedAt, Long durationMs, String source) {
        return record(segmentId, in, startedAt, completedAt, durationMs, source, null);
    }

    /** The raw ComfyUI graphs an imported receipt was read from, kept with it (write-once, like the receipt). */
    public record ComfyGraphs(String format, JsonNode prompt, JsonNode workflow) {
    }

    /** {@link #record} that also keeps the ComfyUI prompt graph and workflow (null: none), in the same transaction. */
    public long record(long segmentId, ReceiptInputs in, Instant startedAt, Instant completedAt, Long durationMs, String source,
                       ComfyGraphs graphs) {
        String hash = in.inputsHash();
        MediaIdentity.Identity output = outputIdentity(segmentId).orElse(null); // the output video, when it exists already
        long receipt = jdbi.inTransaction(h -> {
            long id = insert(h, segmentId, in, hash, startedAt, completedAt, durationMs, source, output);
            if (graphs != null) {
                h.createUpdate("INSERT INTO receipt_comfy_graphs (receipt_id, format, prompt_graph, workflow) VALUES (:r, :f, :p, :w)")
                        .bind("r", id).bind("f", graphs.format())
                        .bind("p", graphs.prompt() == null ? null : Json.write(graphs.prompt()))
                        .bind("w", graphs.workflow() == null ? null : Json.write(graphs.workflow())).execute();
            }
            return id;
        });
        announceStaleness(segmentId, "receipt_recorded");
        return receipt;
    }

    /** The ComfyUI prompt graph and workflow kept with a receipt, to re-queue the generation; 404 when none was kept. */
    public ObjectNode comfyGraphs(long receiptId) {
        findReceipt(receiptId).orElseThrow(() -> NotFound.of("receipt", receiptId));
        return jdbi.withHandle(h -> h.createQuery("SELECT receipt_id, format, prompt_graph, workflow, created_at FROM receipt_comfy_graphs WHERE receipt_id = :r")
                .bind("r", receiptId).map((rs, ctx) -> rowToJson(rs)).findOne())
                .orElseThrow(() -> new NotFound("not_found", null, "receipt " + receiptId + " has no ComfyUI graph (it was not imported from ComfyUI output)"));
    }

    static long insert(Handle h, long segmentId, ReceiptInputs in, String hash, Instant startedAt, Instant completedAt,
                       Long durationMs, String source) {
        return insert(h, segmentId, in, hash, startedAt, completedAt, durationMs, source, null);
    }

    /** {@code output}: the segment's output video as it is at recording time, or null when there is none yet. */
    static long insert(Handle h, long segmentId, ReceiptInputs in, String hash, Instant startedAt, Instant completedAt,
                       Long durationMs, String source, MediaIdentity.Identity output) {
        long id = h.createUpdate("INSERT INTO generation_receipts (segment_id, source_image_id, source_image_hash,"
                        + " variant_image_id, variant_image_hash, workflow_asset_id, workflow_name, workflow_version, workflow_hash,"
                        + " model_asset_id, model_name, model_version, model_hash, prompt_text, negative_prompt, cfg_scale, seed,"
                        + " resolution_width, resolution_height, steps, sampler, lora_count, additional_params, inputs_hash, source,"
                        + " generation_started_at, generation_completed_at, generation_duration_ms, output_sha256, output_size)"
                        + " VALUES (:segment, :sid, :sh,"
                        + " :vid, :vh, :wid, :wn, :wv, :wh, :mid, :mn, :mv, :mh, :prompt, :neg, :cfg, :seed, :w, :hgt, :steps,"
                        + " :sampler, :loraCount, :params, :hash, :source, :started, :completed, :duration, :outSha, :outSize)")
                .bind("outSha", output == null ? null : output.sha256())
                .bind("outSize", output == null ? null : output.size())
                .bind("loraCount", in.loras().size())
                .bind("segment", segmentId).bind("sid", in.sourceImageId()).bind("sh", in.sourceImageHash())
                .bind("vid", in.variantImageId()).bind("vh", in.variantImageHash())
                .bind("wid", in.workflowAssetId()).bind("wn", in.workflowName()).bind("wv", in.workflowVersion())
                .bind("wh", in.workflowHash()).bind("mid", in.modelAssetId()).bind("mn", in.modelName())
                .bind("mv", in.modelVersion()).bind("mh", in.modelHash()).bind("prompt", in.promptText())
                .bind("neg", in.negativePrompt()).bind("cfg", in.cfgScale()).bind("seed", in.seed())
                .bind("w", in.resolutionWidth()).bind("hgt", in.resolutionHeight()).bind("steps", in.steps())
                .bind("sampler", in.sampler()).bind("params", Json.write(in.additionalParams())).bind("hash", hash)
                .bind("source", source).bind("started", Timestamps.format(startedAt))
                .bind("completed", Timestamps.format(completedAt)).bind("duration", durationMs)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        int pos = 0;
        for (ReceiptInputs.Lora l : in.loras()) {
            h.createUpdate("INSERT INTO receipt_loras (receipt_id, segment_id, position, asset_id, lora_name, version, hash, weight, strength_clip)"
                            + " VALUES (:r, :s, :p, :a, :n, :v, :h, :w, :c)")
                    .bind("r", id).bind("s", segmentId).bind("p", pos++).bind("a", l.assetId()).bind("n", l.name()).bind("v", l.version())
                    .bind("h", l.hash()).bind("w", l.weight()).bind("c", l.strengthClip()).execute();
        }
        pos = 0;
        for (ReceiptInputs.Model m : in.models()) {
            h.createUpdate("INSERT INTO receipt_models (receipt_id, segment_id, position, role, asset_id, model_name, version, hash)"
                            + " VALUES (:r, :s, :p, :role, :a, :n, :v, :h)")
                    .bind("r", id).bind("s", segmentId).bind("p", pos++).bind("role", m.role()).bind("a", m.assetId())
                    .bind("n", m.name()).bind("v", m.version()).bind("h", m.hash()).execute();
        }
        pos = 0;
        for (ReceiptInputs.SourceFile f : in.sourceFiles()) {
            h.createUpdate("INSERT INTO receipt_source_files (receipt_id, position, role, name, path, sha256, image_id)"
                            + " VALUES (:r, :p, :role, :n, :path, :sha, :img)")
                    .bind("r", id).bind("p", pos++).bind("role", f.role()).bind("n", f.name()).bind("path", f.path())
                    .bind("sha", f.sha256()).bind("img", f.imageId()).execute();
        }
        return id;
    }

    /**
     * Sets the completion timing once (NULL → value), and the output video's SHA-256 and size when the receipt has
     * none yet and the video exists now; the database refuses any other change.
     */
    public ObjectNode completeReceipt(long receiptId, Instant completedAt, long durationMs) {
        if (durationMs < 0) throw InvalidInput.field("generation_duration_ms", "must be a non-negative integer");
        MediaIdentity.Identity output = jdbi.withHandle(h -> h.createQuery("SELECT segment_id FROM generation_receipts WHERE id = :id")
                .bind("id", receiptId).mapTo(Long.class).findOne()).flatMap(this::outputIdentity).orElse(null);
        int n = jdbi.withHandle(h -> h.createUpdate("UPDATE generation_receipts SET generation_completed_at = :c,"
                        + " generation_duration_ms = :d, output_sha256 = COALESCE(output_sha256, :outSha),"
                        + " output_size = CASE WHEN output_sha256 IS NULL THEN :outSize ELSE output_size END"
                        + " WHERE id = :id AND generation_completed_at IS NULL AND generation_duration_ms IS NULL")
                .bind("c", Timestamps.format(completedAt)).bind("d", durationMs).bind("id", receiptId)
                .bind("outSha", output == null ? null : output.sha256()).bind("outSize", output == null ? null : output.size())
                .execute());
        if (n == 0) {
            findReceipt(receiptId).orElseThrow(() -> NotFound.of("receipt", receiptId));
            throw Conflict.of("receipt " + receiptId + " is already completed; receipts are immutable");
        }
        return receipt(receiptId);
    }

    public ObjectNode receipt(long id) {
        return findReceipt(id).orElseThrow(() -> NotFound.of("receipt", id));
    }

    public Optional<ObjectNode> findReceipt(long id) {
        return jdbi.withHandle(h -> {
            Optional<ObjectNode> r = h.createQuery("SELECT * FROM generation_receipts WHERE id = :id").bind("id", id)
                    .map((rs, ctx) -> rowToJson(rs)).findOne();
            r.ifPresent(node -> {
                node.set("loras", loras(h, id));
                attachParts(h, Map.of(id, node));
            });
            return r;
        });
    }

    private static ArrayNode loras(Handle h, long receiptId) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        h.createQuery("SELECT * FROM receipt_loras WHERE receipt_id = :r ORDER BY position").bind("r", receiptId)
                .map((rs, ctx) -> rowToJson(rs)).forEach(n -> {
                    n.remove("receipt_id");
                    n.remove("segment_id");
                    n.put("verified", !n.path("asset_id").isNull());
                    arr.add(n);
                });
        return arr;
    }

    /**
     * Adds to each receipt its models (every model with its role; one built from the model columns when the receipt
     * lists none), the image files it loaded, whether its inputs are verified against the catalog, and whether a
     * ComfyUI graph is kept. The receipts' LoRAs must be set already.
     */
    static void attachParts(Handle h, Map<Long, ObjectNode> byReceipt) {
        if (byReceipt.isEmpty()) return;
        List<Long> ids = new ArrayList<>(byReceipt.keySet());
        Map<Long, ArrayNode> models = new HashMap<>(), files = new HashMap<>();
        Set<Long> graphs = new HashSet<>();
        for (int from = 0; from < ids.size(); from += 500) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            h.createQuery("SELECT * FROM receipt_models WHERE receipt_id IN (<ids>) ORDER BY receipt_id, position").bindList("ids", chunk)
                    .map((rs, ctx) -> rowToJson(rs)).forEach(m -> {
                        long r = m.remove("receipt_id").longValue();
                        m.remove("segment_id");
                        m.put("verified", !m.path("asset_id").isNull());
                        models.computeIfAbsent(r, k -> Json.MAPPER.createArrayNode()).add(m);
                    });
            h.createQuery("SELECT * FROM receipt_source_files WHERE receipt_id IN (<ids>) ORDER BY receipt_id, position").bindList("ids", chunk)
                    .map((rs, ctx) -> rowToJson(rs)).forEach(f -> {
                        long r = f.remove("receipt_id").longValue();
                        files.computeIfAbsent(r, k -> Json.MAPPER.createArrayNode()).add(f);
                    });
            h.createQuery("SELECT receipt_id FROM receipt_comfy_graphs WHERE receipt_id IN (<ids>)").bindList("ids", chunk)
                    .mapTo(Long.class).forEach(graphs::add);
        }
        for (Map.Entry<Long, ObjectNode> e : byReceipt.entrySet()) {
            ObjectNode r = e.getValue();
            ArrayNode ms = models.get(e.getKey());
            if (ms == null) {
                ms = Json.MAPPER.createArrayNode();
                ObjectNode m = ms.addObject().put("position", 0).putNull("role");
                m.set("asset_id", r.get("model_asset_id"));
                m.set("model_name", r.get("model_name"));
                m.set("version", r.get("model_version"));
                m.set("hash", r.get("model_hash"));
                m.put("verified", !r.path("model_asset_id").isNull());
            }
            r.set("models", ms);
            r.set("source_files", files.getOrDefault(e.getKey(), Json.MAPPER.createArrayNode()));
            boolean verified = true;
            for (JsonNode m : ms) verified &= m.path("verified").asBoolean();
            for (JsonNode l : r.path("loras")) verified &= !l.path("asset_id").isNull();
            r.put("model_verified", !r.path("model_asset_id").isNull());
            r.put("verified", verified);
            r.put("has_comfy_graph", graphs.contains(e.getKey()));
        }
    }

    /** Rebuilds the inputs of a stored receipt (for re-hashing and regeneration plans). */
    public static ReceiptInputs inputsOf(ObjectNode r) {
        List<ReceiptInputs.Lora> loras = new ArrayList<>();
        for (JsonNode l : r.path("loras")) {
            JsonNode clip = l.get("strength_clip");
            loras.add(new ReceiptInputs.Lora(l.get("asset_id").isNull() ? null : l.get("asset_id").longValue(),
                    l.get("lora_name").asText(), textOrNull(l.get("version")), textOrNull(l.get("hash")), l.get("weight").doubleValue(),
                    clip == null || clip.isNull() ? null : clip.doubleValue()));
        }
        // the receipt's own model rows and file rows (those it announced in additional_params), not the ones shown for display
        List<ReceiptInputs.Model> models = new ArrayList<>();
        if (r.path("additional_params").has("model_count")) {
            for (JsonNode m : r.path("models")) {
                models.add(new ReceiptInputs.Model(textOrNull(m.get("role")), idOrNull(m, "asset_id"), m.get("model_name").asText(),
                        textOrNull(m.get("version")), textOrNull(m.get("hash"))));
            }
        }
        List<ReceiptInputs.SourceFile> files = new ArrayList<>();
        for (JsonNode f : r.path("source_files")) {
            files.add(new ReceiptInputs.SourceFile(textOrNull(f.get("role")), f.get("name").asText(), textOrNull(f.get("path")),
                    textOrNull(f.get("sha256")), idOrNull(f, "image_id")));
        }
        return new ReceiptInputs(idOrNull(r, "source_image_id"), textOrNull(r.get("source_image_hash")),
                idOrNull(r, "variant_image_id"), textOrNull(r.get("variant_image_hash")),
                idOrNull(r, "workflow_asset_id"), textOrNull(r.get("workflow_name")), textOrNull(r.get("workflow_version")),
                textOrNull(r.get("workflow_hash")), idOrNull(r, "model_asset_id"), r.get("model_name").asText(),
                textOrNull(r.get("model_version")), textOrNull(r.get("model_hash")), loras, r.get("prompt_text").asText(),
                textOrNull(r.get("negative_prompt")), r.get("cfg_scale").doubleValue(), r.get("seed").longValue(),
                r.get("resolution_width").intValue(), r.get("resolution_height").intValue(), r.get("steps").intValue(),
                r.get("sampler").asText(), r.get("additional_params"), models, files);
    }

    // ------------------------------------------------------------------ forward / reverse provenance

    /** The newest receipt (with its LoRAs) of each of these segments that has one, by segment id; two queries. */
    public Map<Long, ObjectNode> latestReceipts(java.util.Collection<Long> segmentIds) {
        Map<Long, ObjectNode> bySegment = new HashMap<>();
        if (segmentIds.isEmpty()) return bySegment;
        List<Long> ids = segmentIds.stream().distinct().toList();
        jdbi.useHandle(h -> {
            Map<Long, ObjectNode> byReceipt = new HashMap<>();
            for (int from = 0; from < ids.size(); from += 500) {
                List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
                h.createQuery("SELECT * FROM generation_receipts WHERE id IN (SELECT max(id) FROM generation_receipts"
                                + " WHERE segment_id IN (<ids>) GROUP BY segment_id)")
                        .bindList("ids", chunk).map((rs, ctx) -> rowToJson(rs)).forEach(r -> {
                            r.set("loras", Json.MAPPER.createArrayNode());
                            byReceipt.put(r.get("id").longValue(), r);
                            bySegment.put(r.get("segment_id").longValue(), r);
                        });
            }
            List<Long> receipts = new ArrayList<>(byReceipt.keySet());
            for (int from = 0; from < receipts.size(); from += 500) {
                h.createQuery("SELECT * FROM receipt_loras WHERE receipt_id IN (<ids>) ORDER BY receipt_id, position")
                        .bindList("ids", receipts.subList(from, Math.min(receipts.size(), from + 500)))
                        .map((rs, ctx) -> rowToJson(rs)).forEach(l -> {
                            ArrayNode loras = (ArrayNode) byReceipt.get(l.get("receipt_id").longValue()).get("loras");
                            l.remove("receipt_id");
                            l.remove("segment_id");
                            l.put("verified", !l.path("asset_id").isNull());
                            loras.add(l);
                        });
            }
            attachParts(h, byReceipt);
        });
        return bySegment;
    }

    /** The newest receipt of a segment (highest id), with its LoRAs, or empty when it has none. */
    public Optional<ObjectNode> latestReceipt(long segmentId) {
        Optional<Long> id = jdbi.withHandle(h -> h.createQuery("SELECT id FROM generation_receipts WHERE segment_id = :s ORDER BY id DESC LIMIT 1")
                .bind("s", segmentId).mapTo(Long.class).findOne());
        return id.flatMap(this::findReceipt);
    }


    /** Forward provenance: the segment's latest receipt (highest id), whether it is stale and why, and every receipt. */
    public ObjectNode segmentProvenance(long segmentId) {
        ObjectNode segment = catalog.get(CatalogModel.SEGMENTS, segmentId); // answered as the catalog API shows it
        ObjectNode out = Json.object();
        out.put("segment_id", segmentId);
        out.set("segment", segment);
        List<Long> ids = jdbi.withHandle(h -> h.createQuery("SELECT id FROM generation_receipts WHERE segment_id = :s ORDER BY id DESC")
                .bind("s", segmentId).mapTo(Long.class).list());
        ArrayNode all = out.putArray("receipts");
        if (ids.isEmpty()) {
            out.putNull("latest");
            out.put("stale", false);
            out.putArray("stale_reasons");
            out.putArray("media");
        } else {
            ObjectNode latest = receipt(ids.get(0));
            out.set("latest", latest);
            List<StaleReason> reasons = staleReasonsForReceipt(ids.get(0));
            List<ReceiptVerifier.Check> media = verifier.verifySegment(segmentId).stream()
                    .filter(c -> !ReceiptVerifier.OK.equals(c.status())).toList();
            out.put("stale", !reasons.isEmpty() || media.stream().anyMatch(ReceiptVerifier.Check::makesStale));
            ArrayNode arr = out.putArray("stale_reasons");
            reasons.forEach(r -> arr.add(r.toJson()));
            out.set("media", Json.MAPPER.valueToTree(media));
            jdbi.useHandle(h -> h.createQuery("SELECT id, inputs_hash, model_name, model_version, generation_started_at,"
                            + " generation_completed_at, created_at FROM generation_receipts WHERE segment_id = :s ORDER BY id DESC")
                    .bind("s", segmentId).map((rs, ctx) -> rowToJson(rs)).forEach(all::add));
        }
        // a superseded segment (its replacement has a receipt) is not stale
        ArrayNode replacing = regenerations.replacing(segmentId);
        Optional<Regenerations.Superseded> superseded = Regenerations.supersededBy(segmentId, replacing);
        if (superseded.isPresent()) out.put("stale", false);
        out.set("superseded_by", superseded.map(x -> (JsonNode) x.toJson()).orElse(Json.MAPPER.nullNode()));
        out.set("regenerations", replacing);
        out.set("regenerated_from", regenerations.forNewSegment(segmentId).map(x -> (JsonNode) x).orElse(Json.MAPPER.nullNode()));
        return out;
    }

    /** The regeneration draft (planned inputs) of a segment created by {@code provenance.regenerate}, if any. */
    public Optional<ObjectNode> draftForNewSegment(long newSegmentId) {
        return regenerations.forNewSegment(newSegmentId);
    }

    /**
     * Reverse provenance: receipts that used the asset's chain (any kind: model, LoRA or workflow), newest first,
     * optionally only one version (version label or number). Cursor pagination on receipt id ({@code after}: ids below it).
     */
    public ObjectNode assetUsage(long assetId, String version, int limit, Long after) {
        String kind = catalog.reads().requireAsset(assetId).kind();
        ObjectNode asset = catalog.get(CatalogModel.ASSETS, assetId); // answered as the catalog API shows it
        List<Asset> chain = catalog.reads().assetChain(assetId);
        List<Long> ids = new ArrayList<>();
        for (Asset v : chain) {
            if (version == null || version.equals(v.versionLabel())
                    || version.equals(String.valueOf(v.versionNumber()))) ids.add(v.id());
        }
        if (version != null && ids.isEmpty()) throw InvalidInput.field("version", "asset " + assetId + " has no version '" + version + "'");
        String in = String.join(",", ids.stream().map(String::valueOf).toList());
        // asset_segment_usage (V7) has one row per (asset version, segment): counting is bounded by segments, not receipts
        String countSql = "SELECT coalesce(sum(u.receipts), 0) AS receipts, count(DISTINCT u.segment_id) AS segments"
                + " FROM asset_segment_usage u WHERE u.asset_id IN (" + in + ")";
        ObjectNode out = Json.object();
        out.set("asset", asset);
        ArrayNode items = out.putArray("items");
        jdbi.useHandle(h -> {
            var counts = h.createQuery(countSql).mapToMap().one();
            out.put("total", ((Number) counts.get("receipts")).longValue()).put("segments", ((Number) counts.get("segments")).longValue());
            h.createQuery(usagePageSql(kind, ids, after, limit)).map((rs, ctx) -> rowToJson(rs)).forEach(n -> {
                n.put("is_latest", n.path("is_latest").asInt() == 1);
                if (n.get("weight").isNull()) n.remove("weight");
                items.add(n);
            });
        });
        out.set("next_after", items.size() == limit ? items.get(items.size() - 1).get("receipt_id") : null);
        if (out.get("next_after") == null) out.putNull("next_after");
        return out;
    }

    /**
     * One page of reverse provenance. Each asset version is its own branch, ordered and limited on the
     * (asset_id, receipt_id) index, then merged: an index range per version at any selectivity, never a scan.
     */
    public static String usagePageSql(String kind, List<Long> assetIds, Long after, int limit) {
        List<String> branches = new ArrayList<>();
        for (long id : assetIds) {
            String b = switch (kind) {
                case "lora" -> "SELECT rl.receipt_id AS receipt_id, rl.asset_id AS asset_id, rl.version AS version, rl.weight AS weight"
                        + " FROM receipt_loras rl WHERE rl.asset_id = " + id + (after == null ? "" : " AND rl.receipt_id < " + after)
                        + " ORDER BY rl.receipt_id DESC LIMIT " + limit;
                case "workflow" -> "SELECT r.id AS receipt_id, r.workflow_asset_id AS asset_id, r.workflow_version AS version,"
                        + " CAST(NULL AS DOUBLE PRECISION) AS weight FROM generation_receipts r WHERE r.workflow_asset_id = " + id
                        + (after == null ? "" : " AND r.id < " + after) + " ORDER BY r.id DESC LIMIT " + limit;
                default -> "SELECT r.id AS receipt_id, r.model_asset_id AS asset_id, r.model_version AS version,"
                        + " CAST(NULL AS DOUBLE PRECISION) AS weight FROM generation_receipts r WHERE r.model_asset_id = " + id
                        + (after == null ? "" : " AND r.id < " + after) + " ORDER BY r.id DESC LIMIT " + limit;
            };
            branches.add("SELECT * FROM (" + b + ") b" + branches.size());
        }
        return "SELECT u.receipt_id, u.asset_id, u.version, u.weight, r.segment_id, seg.scene_id, seg.sequence_index,"
                + " r.inputs_hash, r.created_at,"
                + " CASE WHEN r.id = (SELECT max(x.id) FROM generation_receipts x WHERE x.segment_id = r.segment_id)"
                + " THEN 1 ELSE 0 END AS is_latest"
                + " FROM (" + String.join(" UNION ALL ", branches) + ") u JOIN generation_receipts r ON r.id = u.receipt_id"
                + " JOIN segments seg ON seg.id = r.segment_id ORDER BY u.receipt_id DESC LIMIT " + limit;
    }

    // ------------------------------------------------------------------ staleness

    /**
     * Why a segment is stale: one input whose version is no longer the current one of its chain ({@code reason}
     * {@value #NOT_CURRENT}), or a model/LoRA that matched no catalog version by file name or file hash
     * ({@value #UNVERIFIED}: {@code usedId} is null, stale until the asset is catalogued and the clip re-imported).
     */
    public record StaleReason(String assetType, String assetName, Long usedId, String receiptVersion, Long currentId,
                              String currentVersion, String reason) {
        public static final String NOT_CURRENT = "not_current";
        public static final String UNVERIFIED = "unverified";

        public StaleReason(String assetType, String assetName, Long usedId, String receiptVersion, Long currentId, String currentVersion) {
            this(assetType, assetName, usedId, receiptVersion, currentId, currentVersion, NOT_CURRENT);
        }

        public ObjectNode toJson() {
            ObjectNode n = Json.object().put("asset_type", assetType).put("asset_name", assetName);
            n.put("used_id", usedId).put("receipt_version", receiptVersion).put("current_id", currentId).put("current_version", currentVersion);
            n.put("reason", reason);
            return n;
        }
    }

    /** A stale segment: its latest receipt and every reason. */
    public record StaleSegment(long segmentId, long sceneId, int sequenceIndex, long receiptId, List<StaleReason> reasons) {
        public ObjectNode toJson() {
            ObjectNode n = Json.object().put("segment_id", segmentId).put("scene_id", sceneId)
                    .put("sequence_index", sequenceIndex).put("receipt_id", receiptId);
            ArrayNode arr = n.putArray("reasons");
            reasons.forEach(r -> arr.add(r.toJson()));
            return n;
        }
    }

    private static final String NOT_CURRENT_ASSET = " AND a.is_current_version = FALSE"
            + " LEFT JOIN assets cur ON cur.kind = a.kind AND cur.name = a.name AND cur.is_current_version = TRUE";

    /** By content: an older version whose bytes (the receipt's hash) are the current version's is not stale. */
    private static String notSameContent(String receiptHash) {
        return " WHERE (cur.checksum_sha256 IS NULL OR " + receiptHash + " IS NULL OR cur.checksum_sha256 <> " + receiptHash + ")";
    }

    /** An older image version is not stale when a current image of its character and type has the same bytes. */
    private static String imageNotSameContent(String receiptHash) {
        return " WHERE (" + receiptHash + " IS NULL OR NOT EXISTS (SELECT 1 FROM images ci WHERE ci.character_id = i.character_id"
                + " AND ci.image_type = i.image_type AND ci.is_current_version = TRUE AND ci.content_hash = " + receiptHash + "))";
    }
    private static final String ASSET_COLS = " a.id AS used_id, a.name AS asset_name, a.version_label AS receipt_version,"
            + " cur.id AS current_id, cur.version_label AS current_version, 'not_current' AS reason";
    private static final String IMAGE_COLS = " i.id AS used_id, i.filename AS asset_name, CAST(i.version_number AS TEXT) AS receipt_version,"
            + " CAST(NULL AS BIGINT) AS current_id, CAST(NULL AS TEXT) AS current_version, 'not_current' AS reason";
    /** A model or LoRA the receipt names that matched no catalog version: unverified, so never current. */
    private static String unverifiedCols(String name, String version) {
        return " CAST(NULL AS BIGINT) AS used_id, " + name + " AS asset_name, " + version + " AS receipt_version,"
                + " CAST(NULL AS BIGINT) AS current_id, CAST(NULL AS TEXT) AS current_version, 'unverified' AS reason";
    }

    /** The stale-reason rows for the latest receipts in {@code latestSql} (columns segment_id, scene_id, sequence_index, receipt_id). */
    private static String staleSql(String latestSql) {
        String base = " FROM latest l JOIN generation_receipts r ON r.id = l.receipt_id ";
        String head = "SELECT l.segment_id, l.scene_id, l.sequence_index, l.receipt_id, ";
        // MATERIALIZED: the project's latest receipts once, not once per branch (both SQLite 3.35+ and PostgreSQL 12+)
        return "WITH latest AS MATERIALIZED (" + latestSql + ") "
                + head + "'model' AS asset_type," + ASSET_COLS + base + "JOIN assets a ON a.id = r.model_asset_id" + NOT_CURRENT_ASSET
                + notSameContent("r.model_hash")
                + " UNION ALL " + head + "'workflow' AS asset_type," + ASSET_COLS + base + "JOIN assets a ON a.id = r.workflow_asset_id" + NOT_CURRENT_ASSET
                + notSameContent("r.workflow_hash")
                + " UNION ALL " + head + "'lora' AS asset_type," + ASSET_COLS + " FROM latest l JOIN receipt_loras rl ON rl.receipt_id = l.receipt_id"
                + " JOIN assets a ON a.id = rl.asset_id" + NOT_CURRENT_ASSET + notSameContent("rl.hash")
                + " UNION ALL " + head + "'source_image' AS asset_type," + IMAGE_COLS + base
                + "JOIN images i ON i.id = r.source_image_id AND i.is_current_version = FALSE" + imageNotSameContent("r.source_image_hash")
                + " UNION ALL " + head + "'variant_image' AS asset_type," + IMAGE_COLS + base
                + "JOIN images i ON i.id = r.variant_image_id AND i.is_current_version = FALSE" + imageNotSameContent("r.variant_image_hash")
                // further models of the generation (Wan 2.2's low-noise model), then unverified models and LoRAs
                + " UNION ALL " + head + "'model' AS asset_type," + ASSET_COLS + " FROM latest l JOIN receipt_models rm ON rm.receipt_id = l.receipt_id"
                + " AND rm.position > 0 JOIN assets a ON a.id = rm.asset_id" + NOT_CURRENT_ASSET + notSameContent("rm.hash")
                + " UNION ALL " + head + "'model' AS asset_type," + unverifiedCols("r.model_name", "r.model_version") + base
                + "WHERE r.model_asset_id IS NULL"
                + " UNION ALL " + head + "'model' AS asset_type," + unverifiedCols("rm.model_name", "rm.version")
                + " FROM latest l JOIN receipt_models rm ON rm.receipt_id = l.receipt_id AND rm.position > 0 AND rm.asset_id IS NULL"
                + " UNION ALL " + head + "'lora' AS asset_type," + unverifiedCols("rl.lora_name", "rl.version")
                + " FROM latest l JOIN receipt_loras rl ON rl.receipt_id = l.receipt_id AND rl.asset_id IS NULL";
    }

    /** Segments of a project (and their latest receipt id, NULL when none); reads catalog tables, indexed. */
    static String projectLatestSql() {
        return "SELECT seg.id AS segment_id, seg.scene_id AS scene_id, seg.sequence_index AS sequence_index,"
                + " (SELECT max(r.id) FROM generation_receipts r WHERE r.segment_id = seg.id) AS receipt_id"
                + " FROM characters c JOIN scenes sc ON sc.character_id = c.id JOIN segments seg ON seg.scene_id = sc.id"
                + " WHERE c.project_id = :project";
    }

    /** The staleness query of a project, for EXPLAIN in the benchmark. */
    public static String projectStalenessSql() {
        return staleSql(projectLatestSql());
    }

    private List<StaleReason> staleReasonsForReceipt(long receiptId) {
        String latest = "SELECT r.segment_id AS segment_id, seg.scene_id AS scene_id, seg.sequence_index AS sequence_index,"
                + " r.id AS receipt_id FROM generation_receipts r JOIN segments seg ON seg.id = r.segment_id WHERE r.id = :receipt";
        List<StaleSegment> s = collect(jdbi.withHandle(h -> h.createQuery(staleSql(latest)).bind("receipt", receiptId)
                .map((rs, ctx) -> StaleRow.of(rs)).list()), null);
        return s.isEmpty() ? List.of() : s.get(0).reasons();
    }

    /**
     * Stale segments of a project (latest receipt per segment compared with the current versions), optionally only
     * those stale because of one asset's chain ({@code assetId}: any version of it).
     */
    public List<StaleSegment> staleSegments(long projectId, Long assetId) {
        // superseded segments (their replacement has a receipt) are not stale
        return staleSegments(projectId, assetId, regenerations.superseded(projectId).keySet());
    }

    /** {@link #staleSegments(long, Long)} with the project's superseded segments already read (the report needs both). */
    private List<StaleSegment> staleSegments(long projectId, Long assetId, Set<Long> superseded) {
        catalog.reads().requireProject(projectId);
        Asset filter = assetId == null ? null : catalog.reads().requireAsset(assetId);
        // one evaluation of the staleness query per call, mapped by position into typed rows: at 10,000 stale
        // segments the generic row-to-JSON mapping cost more than the (index-only) query itself
        List<StaleRow> rows = jdbi.withHandle(h -> h.createQuery(projectStalenessSql()).bind("project", projectId)
                .map((rs, ctx) -> StaleRow.of(rs)).list());
        List<StaleSegment> stale = collect(rows, filter);
        if (!superseded.isEmpty()) stale.removeIf(s -> superseded.contains(s.segmentId()));
        return stale;
    }

    /** One row of {@link #staleSql}: a segment, its latest receipt and one reason (columns in the query's order). */
    private record StaleRow(long segmentId, long sceneId, int sequenceIndex, long receiptId, String assetType,
                            Long usedId, String assetName, String receiptVersion, Long currentId, String currentVersion,
                            String reason) {
        static StaleRow of(ResultSet rs) throws SQLException {
            return new StaleRow(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getLong(4), rs.getString(5),
                    longOrNull(rs, 6), rs.getString(7), rs.getString(8), longOrNull(rs, 9), rs.getString(10), rs.getString(11));
        }

        private static Long longOrNull(ResultSet rs, int column) throws SQLException {
            long v = rs.getLong(column);
            return rs.wasNull() ? null : v;
        }
    }

    private List<StaleSegment> collect(List<StaleRow> rows, Asset assetFilter) {
        Map<Long, Image> currentImages = new HashMap<>();
        Map<Long, StaleSegment> bySegment = new TreeMap<>();
        for (StaleRow row : rows) {
            String type = row.assetType();
            boolean image = type.endsWith("image");
            if (assetFilter != null) {
                if (image || !assetFilter.name().equals(row.assetName()) || !assetFilter.kind().equals(type)) continue;
            }
            StaleReason reason;
            if (image) {
                long used = row.usedId();
                Image cur = currentImages.computeIfAbsent(used, id -> catalog.reads().currentImageInChain(id));
                reason = new StaleReason(type, row.assetName(), used, "v" + row.receiptVersion(), cur.id(), "v" + cur.versionNumber());
            } else {
                reason = new StaleReason(type, row.assetName(), row.usedId(), row.receiptVersion(), row.currentId(),
                        row.currentVersion(), row.reason() == null ? StaleReason.NOT_CURRENT : row.reason());
            }
            StaleSegment s = bySegment.computeIfAbsent(row.segmentId(), k -> new StaleSegment(row.segmentId(), row.sceneId(),
                    row.sequenceIndex(), row.receiptId(), new ArrayList<>()));
            s.reasons().add(reason);
        }
        return new ArrayList<>(bySegment.values());
    }

    /** The staleness report of a project: stale segments and a summary grouped by asset version. */
    public ObjectNode stalenessReport(long projectId, Long assetId) {
        return stalenessReport(projectId, assetId, Integer.MAX_VALUE, null);
    }

    /**
     * The report with one page of {@code stale_segments}: at most {@code limit} of them, those with a segment id
     * above {@code after}; {@code next_after} names the cursor of the next page (null on the last). The totals and
     * the by-asset summary always describe the whole project, so a page never hides how much is stale.
     */
    public ObjectNode stalenessReport(long projectId, Long assetId, int limit, Long after) {
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1");
        // superseded segments are read once: they leave the stale list and are listed apart
        Map<Long, Regenerations.Superseded> superseded = regenerations.superseded(projectId);
        List<StaleSegment> stale = staleSegments(projectId, assetId, superseded.keySet());
        long[] counts = jdbi.withHandle(h -> {
            var row = h.createQuery("SELECT count(*) AS segments, count(l.receipt_id) AS with_receipt FROM (" + projectLatestSql() + ") l")
                    .bind("project", projectId).mapToMap().one();
            return new long[]{((Number) row.get("segments")).longValue(), ((Number) row.get("with_receipt")).longValue()};
        });
        Map<String, List<StaleSegment>> groups = new LinkedHashMap<>();
        Map<String, StaleReason> groupReason = new LinkedHashMap<>();
        for (StaleSegment s : stale) {
            for (StaleReason r : s.reasons()) {
                String key = r.assetType() + "\u0000" + r.assetName() + "\u0000" + r.usedId();
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
                groupReason.putIfAbsent(key, r);
            }
        }
        Set<Long> scenes = new HashSet<>();
        stale.forEach(s -> scenes.add(s.sceneId()));
        ObjectNode out = Json.object();
        out.put("project_id", projectId);
        if (assetId == null) out.putNull("asset_id"); else out.put("asset_id", assetId);
        out.put("total_segments", counts[0]).put("segments_with_receipts", counts[1])
                .put("segments_without_receipts", counts[0] - counts[1])
                .put("total_stale_segments", stale.size()).put("total_stale_scenes", scenes.size());
        ArrayNode byAsset = out.putArray("by_asset");
        for (var e : groups.entrySet()) {
            StaleReason r = groupReason.get(e.getKey());
            Set<Long> groupScenes = new HashSet<>();
            ArrayNode segIds = Json.MAPPER.createArrayNode();
            for (StaleSegment s : e.getValue()) {
                groupScenes.add(s.sceneId());
                segIds.add(s.segmentId());
            }
            int n = e.getValue().size();
            ObjectNode g = r.toJson();
            g.put("affected_segments", n).put("affected_scenes", groupScenes.size());
            g.set("segment_ids", segIds);
            String across = n + (n == 1 ? " segment" : " segments") + " across " + groupScenes.size()
                    + (groupScenes.size() == 1 ? " scene" : " scenes") + " used ";
            g.put("message", StaleReason.UNVERIFIED.equals(r.reason())
                    ? across + r.assetType() + " " + r.assetName() + " — unverified: no catalog version matches its file name or file hash"
                    : across + r.assetName() + " " + r.receiptVersion() + " — you are on " + r.currentVersion());
            byAsset.add(g);
        }
        Map<Long, List<Long>> regenerated = regeneratedAs(projectId);
        Map<Long, Long> openDrafts = regenerations.openDraftsOfProject(projectId);
        ArrayNode segs = out.putArray("stale_segments");
        long queued = stale.stream().filter(x -> openDrafts.containsKey(x.segmentId())).count();
        int onPage = 0;
        Long nextAfter = null;
        for (StaleSegment s : stale) {
            if (after != null && s.segmentId() <= after) continue;
            if (onPage == limit) {
                nextAfter = segs.get(segs.size() - 1).get("segment_id").longValue();
                break;
            }
            onPage++;
            ObjectNode n = s.toJson();
            ArrayNode as = n.putArray("regenerated_as");
            regenerated.getOrDefault(s.segmentId(), List.of()).forEach(as::add);
            Long open = openDrafts.get(s.segmentId());
            if (open == null) n.putNull("open_draft_id"); else n.put("open_draft_id", open);
            segs.add(n);
        }
        if (nextAfter == null) out.putNull("next_after"); else out.put("next_after", nextAfter);
        out.put("total_queued_segments", queued);
        // superseded: the replacement has a receipt; counted apart, never stale
        out.put("total_superseded_segments", superseded.size());
        ArrayNode sup = out.putArray("superseded_segments");
        superseded.values().forEach(x -> sup.add(x.toJson()));
        // Segments whose files are no longer what their receipt recorded (re-rendered, replaced, missing)
        List<ReceiptVerifier.Check> media = roots == null ? List.of()
                : verifier.verify(projectId).problems().stream().filter(ReceiptVerifier.Check::makesStale).toList();
        out.put("total_media_stale_segments", media.stream().map(ReceiptVerifier.Check::segmentId).distinct().count());
        out.set("media_stale", Json.MAPPER.valueToTree(media));
        return out;
    }

    /**
     * The segments created from each segment of the project by targeted regeneration (old segment id → new segment
     * ids, oldest first), so a report can show which stale segments already have a new take queued.
     */
    private Map<Long, List<Long>> regeneratedAs(long projectId) {
        Map<Long, List<Long>> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT d.replaces_segment_id AS old_id, d.new_segment_id AS new_id FROM regeneration_drafts d"
                        + " JOIN segments seg ON seg.id = d.replaces_segment_id JOIN scenes sc ON sc.id = seg.scene_id"
                        + " JOIN characters c ON c.id = sc.character_id WHERE c.project_id = :project ORDER BY d.id")
                .bind("project", projectId).mapToMap().forEach(row -> out.computeIfAbsent(((Number) row.get("old_id")).longValue(),
                        k -> new ArrayList<>()).add(((Number) row.get("new_id")).longValue())));
        return out;
    }

    // ------------------------------------------------------------------ targeted regeneration (see Regenerations)

    /**
     * Submits one {@code provenance.regenerate} job for the project's stale segments (all, or the selected ones, each
     * of which must be stale); those with an open draft are not queued again and are listed under
     * {@code already_queued}. Returns the job and the segments it covers.
     */
    public ObjectNode regenerateStale(long projectId, List<Long> segmentIds) {
        return regenerations.regenerateStale(projectId, segmentIds);
    }

    /** The inputs a stale receipt would be regenerated with: every stale reference swapped for its chain's current row. */
    public ReceiptInputs plan(ObjectNode receipt) {
        return regenerations.plan(receipt);
    }

    /** A regeneration draft: what it replaces (kept after that segment is deleted), its state and its planned inputs. */
    public ObjectNode draft(long draftId) {
        return regenerations.get(draftId);
    }

    Regenerations regenerations() {
        return regenerations;
    }

    // ------------------------------------------------------------------ demo

    /**
     * Records receipts for a demo project's segments with the demo's assets (model wan2.2-i2v-14b, LoRAs
     * ava-likeness/chloe-likeness/smooth-motion, workflow i2v-chained-segments), using smooth-motion v1 and the
     * model's first version on some segments so they are stale, then "updates one LoRA" (a new chloe-likeness version
     * through {@link CatalogService#createVersion}). Safe to call again: segments with a receipt are skipped and the
     * LoRA is versioned only once. Returns how many receipts were written.
     */
    public int recordDemoReceipts(long projectId) {
        catalog.reads().requireProject(projectId);
        Map<String, List<Asset>> chains = new HashMap<>();
        for (String name : List.of("wan2.2-i2v-14b", "ava-likeness", "chloe-likeness", "smooth-motion", "i2v-chained-segments")) {
            List<Asset> found = catalog.reads().assetsNamed(name);
            if (found.isEmpty()) throw Conflict.of("the demo asset " + name + " is missing; run the demo first");
            chains.put(name, catalog.reads().assetChain(found.get(0).id()));
        }
        List<ObjectNode> rows = jdbi.withHandle(h -> h.createQuery("SELECT seg.id AS segment_id, c.name AS character_name, c.id AS character_id,"
                        + " (SELECT count(*) FROM generation_receipts r WHERE r.segment_id = seg.id) AS receipts"
                        + " FROM characters c JOIN scenes sc ON sc.character_id = c.id JOIN segments seg ON seg.scene_id = sc.id"
                        + " WHERE c.project_id = :p ORDER BY seg.id").bind("p", projectId).map((rs, ctx) -> rowToJson(rs)).list());
        int written = 0;
        int i = 0;
        for (ObjectNode row : rows) {
            int k = i++;
            if (row.get("receipts").longValue() > 0) continue;
            long character = row.get("character_id").longValue();
            List<Image> images = catalog.reads().imagesOf(List.of(character));
            Image source = images.stream().filter(im -> im.imageType().equals("source")).findFirst().orElse(null);
            Image derived = images.stream().filter(im -> im.imageType().equals("derived")).findFirst().orElse(null);
            String cname = row.get("character_name").asText().toLowerCase();
            String likeness = cname.startsWith("chlo") ? "chloe-likeness" : "ava-likeness";
            Asset model = k % 3 == 0 ? chains.get("wan2.2-i2v-14b").get(0) : last(chains.get("wan2.2-i2v-14b"));
            Asset motion = k % 2 == 0 ? chains.get("smooth-motion").get(0) : last(chains.get("smooth-motion"));
            Asset like = last(chains.get(likeness));
            Asset wf = last(chains.get("i2v-chained-segments"));
            List<ReceiptInputs.Lora> loras = List.of(
                    new ReceiptInputs.Lora(like.id(), like.name(), like.versionLabel(), like.checksumSha256(), 0.8),
                    new ReceiptInputs.Lora(motion.id(), motion.name(), motion.versionLabel(), motion.checksumSha256(), 0.45));
            ReceiptInputs in = new ReceiptInputs(source == null ? null : source.id(), source == null ? null : source.contentHash(),
                    derived == null ? null : derived.id(), derived == null ? null : derived.contentHash(),
                    wf.id(), wf.name(), wf.versionLabel(), wf.checksumSha256(),
                    model.id(), model.name(), model.versionLabel(), model.checksumSha256(),
                    loras, demoPrompt(row.get("character_name").asText()), DEMO_NEGATIVE_PROMPT,
                    6.5, demoSeed(row.get("segment_id").longValue()), 832, 480, 30, "euler", Json.object().put("scheduler", "normal").put("frames", 81));
            Instant started = Instant.parse("2026-11-01T10:00:00Z").plusSeconds(90L * k);
            record(row.get("segment_id").longValue(), in, started, started.plusSeconds(75), 75_000L, "demo");
            written++;
        }
        List<Asset> chloe = chains.get("chloe-likeness");
        if (written > 0 && chloe.size() == 1) {
            catalog.createVersion(CatalogModel.ASSETS, chloe.get(0).id(), Json.object().put("version_label", "v2")
                    .put("description", "Retrained on 40 more reference images (added by the provenance demo)"));
        }
        return written;
    }

    /** The demo's positive prompt for a character's segments (the demo clip with a ComfyUI comment carries the same). */
    public static String demoPrompt(String characterName) {
        return characterName + ", cinematic lighting, smooth camera motion";
    }

    public static final String DEMO_NEGATIVE_PROMPT = "blurry, extra fingers, watermark";

    /** The demo's seed of a segment. */
    public static long demoSeed(long segmentId) {
        return 1000L + segmentId;
    }

    private static Asset last(List<Asset> chain) {
        return chain.get(chain.size() - 1);
    }

    // ------------------------------------------------------------------ helpers

    private Asset requireAsset(ObjectNode body, String field, String kind, boolean required) {
        return requireAsset(body, field, kind, required, field);
    }

    private Asset requireAsset(ObjectNode body, String field, String kind, boolean required, String path) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) throw InvalidInput.field(path, "is required (the id of the " + kind + " asset version used)");
            return null;
        }
        if (!n.isIntegralNumber() || n.longValue() <= 0) throw InvalidInput.field(path, "must be a positive integer id");
        Asset asset = catalog.reads().asset(n.longValue())
                .orElseThrow(() -> InvalidInput.field(path, "no asset with id " + n.longValue()));
        if (!kind.equals(asset.kind())) throw InvalidInput.field(path, "asset " + n.longValue() + " is a " + asset.kind() + ", not a " + kind);
        return asset;
    }

    private Image image(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isIntegralNumber() || n.longValue() <= 0) throw InvalidInput.field(field, "must be a positive integer id");
        return catalog.reads().image(n.longValue()).orElseThrow(() -> InvalidInput.field(field, "no image with id " + n.longValue()));
    }

    private static String requiredText(ObjectNode body, String field, int max) {
        String s = optionalText(body, field, max);
        if (s == null || s.isBlank()) throw InvalidInput.field(field, "is required");
        return s;
    }

    private static String optionalText(ObjectNode body, String field, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw InvalidInput.field(field, "must be a string");
        if (n.asText().length() > max) throw InvalidInput.field(field, "must be at most " + max + " characters, got " + n.asText().length());
        return n.asText();
    }

    private static double finite(JsonNode body, String field, String path, Double dflt) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (dflt != null) return dflt;
            throw InvalidInput.field(path, "is required");
        }
        if (n.isTextual() && n.asText().trim().equalsIgnoreCase("nan")) throw InvalidInput.field(path, "must be a finite number, got NaN");
        if (!n.isNumber()) throw InvalidInput.field(path, "must be a number");
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) throw InvalidInput.field(path, "must be a finite number, got " + d);
        return d;
    }

    private static long longValue(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) throw InvalidInput.field(field, "is required");
        if (!n.isIntegralNumber() || !n.canConvertToLong()) throw InvalidInput.field(field, "must be an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
        return n.longValue();
    }

    private static int intRange(ObjectNode body, String field, int min, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) throw InvalidInput.field(field, "is required");
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < min || n.longValue() > max) {
            throw InvalidInput.field(field, "must be an integer from " + min + " to " + max + ", got " + n);
        }
        return n.intValue();
    }

    private static Instant instant(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        try {
            return Timestamps.parse(n.asText());
        } catch (RuntimeException e) {
            throw InvalidInput.field(field, "must be an ISO-8601 timestamp, got '" + n.asText() + "'");
        }
    }

    static String text(ObjectNode row, String field) {
        JsonNode n = row.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    static String textOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    static Long idOrNull(JsonNode row, String field) {
        JsonNode n = row.get(field);
        return n == null || n.isNull() ? null : n.longValue();
    }

    private static final Set<String> TIME_COLUMNS = Set.of("generation_started_at", "generation_completed_at", "created_at");
    private static final Set<String> JSON_COLUMNS = Set.of("additional_params", "planned_inputs", "prompt_graph", "workflow");

    /** A row as JSON, the same on both vendors (ISO timestamps, parsed JSON columns, numbers as numbers). */
    static ObjectNode rowToJson(ResultSet rs) throws SQLException {
        ObjectNode n = Json.object();
        ResultSetMetaData md = rs.getMetaData();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String name = md.getColumnLabel(i).toLowerCase();
            if (TIME_COLUMNS.contains(name)) {
                Instant t = Timestamps.read(rs, name);
                if (t == null) n.putNull(name); else n.put(name, Timestamps.format(t));
                continue;
            }
            Object v = rs.getObject(i);
            if (v == null) n.putNull(name);
            else if (JSON_COLUMNS.contains(name)) n.set(name, Json.parse(v.toString()));
            else if (v instanceof Double || v instanceof Float || v instanceof java.math.BigDecimal) {
                if (name.equals("weight") || name.equals("cfg_scale") || name.equals("strength_clip")) n.put(name, ((Number) v).doubleValue());
                else n.put(name, ((Number) v).longValue());
            } else if (v instanceof Number num) n.put(name, num.longValue());
            else if (v instanceof Boolean b) n.put(name, b);
            else n.put(name, v.toString());
        }
        return n;
    }
}
