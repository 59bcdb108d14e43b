package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.http.ApiError;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.http.Json;
import dev.reelmark.http.Requests;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.reelmark.http.ApiRouter.arrayOf;
import static dev.reelmark.http.ApiRouter.objectOf;
import static dev.reelmark.http.ApiRouter.ref;
import static dev.reelmark.http.ApiRouter.type;

/** The provenance endpoints (tag {@code provenance}). */
public final class ProvenanceRoutes {
    private static final String TAG = "provenance";
    private final ProvenanceService provenance;
    private final ProvenanceImporter importer;

    public ProvenanceRoutes(ProvenanceService provenance, ProvenanceImporter importer) {
        this.provenance = provenance;
        this.importer = importer;
    }

    private static ObjectNode nullable(String t) {
        return Json.object().set("type", Json.MAPPER.createArrayNode().add(t).add("null"));
    }

    public void register(ApiRouter router) {
        ObjectNode lora = objectOf("asset_id", type("integer"), "weight", type("number"));
        ObjectNode input = Json.object().put("type", "object");
        ObjectNode props = input.putObject("properties");
        props.set("model_asset_id", type("integer"));
        props.set("workflow_asset_id", nullable("integer"));
        props.set("source_image_id", nullable("integer"));
        props.set("variant_image_id", nullable("integer"));
        props.set("loras", arrayOf(lora));
        props.set("prompt_text", type("string"));
        props.set("negative_prompt", nullable("string"));
        props.set("cfg_scale", type("number"));
        props.set("seed", type("integer"));
        props.set("resolution_width", type("integer"));
        props.set("resolution_height", type("integer"));
        props.set("steps", type("integer"));
        props.set("sampler", type("string"));
        props.set("additional_params", type("object"));
        props.set("generation_started_at", Json.object().put("type", "string").put("format", "date-time"));
        props.set("generation_completed_at", Json.object().put("type", "string").put("format", "date-time"));
        props.set("generation_duration_ms", type("integer"));
        input.putArray("required").add("model_asset_id").add("prompt_text").add("cfg_scale").add("seed")
                .add("resolution_width").add("resolution_height").add("steps").add("sampler");
        router.schema("ReceiptInput", input);
        ObjectNode receipt = Json.object().put("type", "object").put("description",
                "An immutable generation receipt: every column of generation_receipts plus its loras (asset_id, lora_name, version, hash, weight)");
        receipt.putObject("properties").set("inputs_hash", type("string"));
        router.schema("GenerationReceipt", receipt);
        router.schema("StalenessReport", Json.object().put("type", "object").put("description",
                "total_segments, total_stale_segments, total_stale_scenes, by_asset[{asset_type, asset_name, receipt_version, current_version, affected_segments, affected_scenes, segment_ids, message}], stale_segments[{segment_id, scene_id, receipt_id, reasons}]"));

        router.post("/api/segments/{id}/receipts").tag(TAG).summary("Record a generation receipt for a segment")
                .description("Writes an immutable receipt of every input of one generation. Asset and image ids are the exact "
                        + "versions used; their names, versions and hashes are copied from the catalog. inputs_hash is SHA-256 "
                        + "of the canonical encoding v1 (see the provenance package docs).")
                .request(ref("ReceiptInput")).response(201, ref("GenerationReceipt")).errors(400, 404)
                .handle(ctx -> {
                    long id = Requests.pathId(ctx, "id");
                    ctx.status(201).json(provenance.createReceipt(id, Requests.jsonObject(ctx)));
                });

        router.post("/api/receipts/{id}/complete").tag(TAG).summary("Set a receipt's completion timing (once)")
                .description("The only change a receipt accepts: generation_completed_at (default now) and generation_duration_ms, once.")
                .request(objectOf("generation_duration_ms", type("integer"))).response(ref("GenerationReceipt")).errors(400, 404, 409)
                .handle(ctx -> {
                    long id = Requests.pathId(ctx, "id");
                    ObjectNode body = Requests.jsonObject(ctx);
                    JsonNode d = body.get("generation_duration_ms");
                    if (d == null || !d.isIntegralNumber() || d.longValue() < 0) throw ApiError.badField("generation_duration_ms", "must be a non-negative integer");
                    Instant at = body.hasNonNull("generation_completed_at") ? dev.reelmark.db.Timestamps.parse(body.get("generation_completed_at").asText()) : Instant.now();
                    ctx.json(provenance.completeReceipt(id, at, d.longValue()));
                });

        router.get("/api/segments/{id}/provenance").tag(TAG).summary("Forward provenance of a segment")
                .description("The latest receipt (highest id) with its staleness reasons, every receipt of the segment (newest first), and regeneration drafts made from it.")
                .response(objectOf("segment_id", type("integer"), "latest", ref("GenerationReceipt"), "stale", type("boolean"),
                        "stale_reasons", arrayOf(type("object")), "receipts", arrayOf(type("object")), "regenerations", arrayOf(type("object"))))
                .errors(400, 404)
                .handle(ctx -> ctx.json(provenance.segmentProvenance(Requests.pathId(ctx, "id"))));

        router.get("/api/assets/{id}/usage").tag(TAG).summary("Reverse provenance: segments generated with an asset")
                .description("Receipts that used any version of the asset's chain (model, LoRA or workflow), newest first; `version` narrows to one version (label or number).")
                .query("version", "string", "a version label (e.g. v1) or version number")
                .query("limit", "integer", "page size, 1..5000 (default 500)")
                .query("after", "integer", "receipt id cursor: only receipts below it")
                .response(objectOf("asset", type("object"), "total", type("integer"), "segments", type("integer"),
                        "items", arrayOf(type("object")), "next_after", nullable("integer")))
                .errors(400, 404)
                .handle(ctx -> {
                    String v = ctx.queryParam("version");
                    ctx.json(provenance.assetUsage(Requests.pathId(ctx, "id"), v == null || v.isBlank() ? null : v.trim(),
                            Requests.queryInt(ctx, "limit", 500, 1, 5000), Requests.queryLong(ctx, "after")));
                });

        router.get("/api/projects/{id}/staleness-report").tag(TAG).summary("Staleness report of a project")
                .description("Computed at query time: a segment is stale when its latest receipt's model, a LoRA, the workflow or a source/variant image is no longer the current version of its chain. Grouped by asset version.")
                .query("asset_id", "integer", "only staleness caused by this asset's chain")
                .response(ref("StalenessReport")).errors(400, 404)
                .handle(ctx -> ctx.json(provenance.stalenessReport(Requests.pathId(ctx, "id"), Requests.queryLong(ctx, "asset_id"))));

        router.post("/api/projects/{id}/regenerate-stale").tag(TAG).summary("Queue targeted regeneration of stale segments")
                .description("Submits a provenance.regenerate job for all stale segments of the project, or the selected segment_ids "
                        + "(each must be stale). The job creates a NEW pending segment per stale one (same scene and sequence_index; "
                        + "the old segment is kept for comparison) with the planned inputs (current versions) stored as a draft. "
                        + "No generator is run by Reelmark.")
                .request(Json.object().put("type", "object").set("properties", Json.object().set("segment_ids", arrayOf(type("integer")))))
                .response(202, objectOf("job", type("object"), "segment_ids", arrayOf(type("integer")), "message", type("string")))
                .errors(400, 404)
                .handle(ctx -> {
                    long project = Requests.pathId(ctx, "id");
                    ObjectNode body = Requests.jsonObject(ctx, true);
                    List<Long> ids = null;
                    for (var it = body.fieldNames(); it.hasNext(); ) {
                        String f = it.next();
                        if (!f.equals("segment_ids")) throw ApiError.badField(f, "unknown field; allowed: segment_ids");
                    }
                    JsonNode s = body.get("segment_ids");
                    if (s != null && !s.isNull()) {
                        if (!s.isArray()) throw ApiError.badField("segment_ids", "must be an array of segment ids");
                        ids = new ArrayList<>();
                        for (int i = 0; i < s.size(); i++) {
                            if (!s.get(i).isIntegralNumber() || s.get(i).longValue() <= 0) throw ApiError.badField("segment_ids[" + i + "]", "must be a positive integer");
                            ids.add(s.get(i).longValue());
                        }
                    }
                    ctx.status(202).json(provenance.regenerateStale(project, ids));
                });

        router.post("/api/provenance/import").tag(TAG).summary("Import receipts from ComfyUI output files")
                .description("Reads the ComfyUI prompt/workflow JSON from each video's comment tag or PNG's text chunks and records a receipt for the segment whose output_video_path is the file. Paths are relative to the data directory unless absolute.")
                .request(objectOf("paths", arrayOf(type("string"))))
                .response(objectOf("imported", type("integer"), "total", type("integer"), "items", arrayOf(type("object"))))
                .errors(400)
                .handle(ctx -> {
                    ObjectNode body = Requests.jsonObject(ctx);
                    JsonNode p = body.get("paths");
                    if (p == null || !p.isArray()) throw ApiError.badField("paths", "must be an array of file paths");
                    List<String> paths = new ArrayList<>();
                    for (int i = 0; i < p.size(); i++) {
                        if (!p.get(i).isTextual()) throw ApiError.badField("paths[" + i + "]", "must be a string");
                        paths.add(p.get(i).asText());
                    }
                    ctx.json(importer.importPaths(paths));
                });
    }
}
