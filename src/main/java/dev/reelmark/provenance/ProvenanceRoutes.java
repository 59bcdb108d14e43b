package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.json.Json;
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

    private static ObjectNode dateTime() {
        return Json.object().put("type", "string").put("format", "date-time");
    }

    private static ObjectNode nullableDateTime() {
        return nullable("string").put("format", "date-time");
    }

    /** A schema or null (OpenAPI 3.1). */
    private static ObjectNode orNull(ObjectNode schema) {
        ObjectNode n = Json.object();
        n.putArray("oneOf").add(schema).add(type("null"));
        return n;
    }

    private static ObjectNode reasonEnum() {
        ObjectNode e = Json.object().put("type", "string");
        e.putArray("enum").add("not_current").add("unverified");
        return e;
    }

    private static ObjectNode described(ObjectNode schema, String description) {
        return schema.put("description", description);
    }

    /** The response schemas, matching what {@link ProvenanceService} returns (every property is always present). */
    private static void registerResponseSchemas(ApiRouter router) {
        router.schema("ReceiptLora", objectOf(
                "position", type("integer"),
                "asset_id", described(nullable("integer"), "the asset version used (null once that version is gone)"),
                "lora_name", type("string"),
                "version", nullable("string"),
                "hash", described(nullable("string"), "the LoRA file's SHA-256 when the catalog knew it"),
                "weight", described(type("number"), "the LoRA's model strength"),
                "strength_clip", described(nullable("number"), "the LoRA's CLIP strength (null for model-only loaders and API receipts)"),
                "verified", described(type("boolean"), "false when no catalog version matched the LoRA's file name or file hash (asset_id null)")));
        router.schema("ReceiptModel", objectOf(
                "position", described(type("integer"), "sampler-chain order; 0 is the model of the receipt's model_* fields"),
                "role", described(nullable("string"), "base, high_noise, low_noise, refiner, stage_N; null for API receipts"),
                "asset_id", nullable("integer"),
                "model_name", type("string"),
                "version", nullable("string"),
                "hash", nullable("string"),
                "verified", described(type("boolean"), "false when no catalog version matched (asset_id null)")));
        router.schema("ReceiptSourceFile", objectOf(
                "position", type("integer"),
                "role", described(nullable("string"), "the input the image fed, e.g. start_image, image"),
                "name", described(type("string"), "the file name as the graph's LoadImage node gives it"),
                "path", described(nullable("string"), "where it was found in the media roots (relative to the data directory)"),
                "sha256", described(nullable("string"), "SHA-256 of the file when it was found"),
                "image_id", described(nullable("integer"), "the catalog image with that content, if any")));
        ObjectNode receipt = objectOf(
                "id", type("integer"),
                "segment_id", type("integer"),
                "source_image_id", nullable("integer"),
                "source_image_hash", nullable("string"),
                "variant_image_id", nullable("integer"),
                "variant_image_hash", nullable("string"),
                "workflow_asset_id", nullable("integer"),
                "workflow_name", nullable("string"),
                "workflow_version", nullable("string"),
                "workflow_hash", nullable("string"),
                "model_asset_id", nullable("integer"),
                "model_name", type("string"),
                "model_version", nullable("string"),
                "model_hash", nullable("string"),
                "prompt_text", type("string"),
                "negative_prompt", nullable("string"),
                "cfg_scale", type("number"),
                "seed", type("integer"),
                "resolution_width", type("integer"),
                "resolution_height", type("integer"),
                "steps", type("integer"),
                "sampler", type("string"),
                "lora_count", type("integer"),
                "additional_params", Json.object().put("type", "object").put("additionalProperties", true),
                "inputs_hash", described(type("string"), "SHA-256 (hex) of the canonical encoding (v1, or v2 for several models, CLIP strengths or loaded files; docs/inputs-hash.md)"),
                "source", described(type("string"), "who recorded it: api, import, demo"),
                "generation_started_at", dateTime(),
                "generation_completed_at", nullableDateTime(),
                "generation_duration_ms", nullable("integer"),
                "created_at", dateTime(),
                "output_sha256", described(nullable("string"), "SHA-256 of the output video once it existed (set once)"),
                "output_size", described(nullable("integer"), "size in bytes of that output video"),
                "loras", arrayOf(ref("ReceiptLora")),
                "models", described(arrayOf(ref("ReceiptModel")), "every model, in sampler-chain order (one for API receipts)"),
                "source_files", described(arrayOf(ref("ReceiptSourceFile")), "image files the generation loaded (ComfyUI LoadImage)"),
                "model_verified", type("boolean"),
                "verified", described(type("boolean"), "every model and LoRA matched a catalog version"),
                "has_comfy_graph", described(type("boolean"), "the ComfyUI prompt graph/workflow is kept: GET /api/receipts/{id}/comfy"));
        router.schema("ReceiptComfyGraphs", objectOf(
                "receipt_id", type("integer"),
                "format", described(type("string"), "the graph the inputs were read from: api (prompt) or ui (workflow)"),
                "prompt_graph", described(orNull(Json.object().put("type", "object").put("additionalProperties", true)),
                        "the API-format prompt as ComfyUI ran it; POST it as {\"prompt\": ...} to ComfyUI's /prompt to queue the generation again"),
                "workflow", described(orNull(Json.object().put("type", "object").put("additionalProperties", true)), "the UI-format workflow"),
                "created_at", dateTime()));
        router.schema("GenerationReceipt", described(receipt,
                "An immutable generation receipt: the exact asset/image versions (ids, names, versions, hashes), prompt and sampling of one generation"));
        router.schema("ReceiptSummary", objectOf(
                "id", type("integer"),
                "inputs_hash", type("string"),
                "model_name", type("string"),
                "model_version", nullable("string"),
                "generation_started_at", dateTime(),
                "generation_completed_at", nullableDateTime(),
                "created_at", dateTime()));
        ObjectNode assetType = Json.object().put("type", "string");
        assetType.putArray("enum").add("model").add("workflow").add("lora").add("source_image").add("variant_image");
        Object[] reasonFields = {
                "asset_type", assetType,
                "asset_name", described(type("string"), "asset name, or the image filename"),
                "used_id", described(nullable("integer"), "the asset/image version the receipt used (null when unverified)"),
                "receipt_version", nullable("string"),
                "current_id", nullable("integer"),
                "current_version", nullable("string"),
                "reason", described(reasonEnum(), "not_current: a newer version is current; unverified: the name/file matched no catalog version")};
        router.schema("StaleReason", described(objectOf(reasonFields), "One input whose version is no longer the current one of its chain, or that is unverified"));
        Object[] groupFields = java.util.Arrays.copyOf(reasonFields, reasonFields.length + 8);
        int n = reasonFields.length;
        groupFields[n] = "affected_segments";
        groupFields[n + 1] = type("integer");
        groupFields[n + 2] = "affected_scenes";
        groupFields[n + 3] = type("integer");
        groupFields[n + 4] = "segment_ids";
        groupFields[n + 5] = arrayOf(type("integer"));
        groupFields[n + 6] = "message";
        groupFields[n + 7] = described(type("string"), "e.g. \"5 segments across 2 scenes used chloe-likeness v1 — you are on v2\"");
        router.schema("StaleAssetGroup", objectOf(groupFields));
        router.schema("StaleSegment", objectOf(
                "segment_id", type("integer"),
                "scene_id", type("integer"),
                "sequence_index", type("integer"),
                "receipt_id", described(type("integer"), "the segment's latest receipt"),
                "reasons", arrayOf(ref("StaleReason")),
                "regenerated_as", described(arrayOf(type("integer")),
                        "segments already created from this one by targeted regeneration (oldest first); empty when none"),
                "open_draft_id", described(nullable("integer"),
                        "the open regeneration draft of this segment (its new take has no receipt yet): it is not queued again")));
        router.schema("SupersededSegment", described(objectOf(
                "segment_id", type("integer"),
                "scene_id", type("integer"),
                "sequence_index", type("integer"),
                "draft_id", type("integer"),
                "superseded_by", described(type("integer"), "the new take, which has a receipt"),
                "receipt_id", described(type("integer"), "the new take's latest receipt")),
                "A segment whose regeneration has a receipt: replaced, not stale"));
        ObjectNode role = Json.object().put("type", "string");
        role.putArray("enum").add(ReceiptVerifier.OUTPUT_VIDEO).add(ReceiptVerifier.SOURCE_IMAGE).add(ReceiptVerifier.VARIANT_IMAGE);
        ObjectNode status = Json.object().put("type", "string");
        status.putArray("enum").add(ReceiptVerifier.OK).add(ReceiptVerifier.CHANGED).add(ReceiptVerifier.MISSING).add(ReceiptVerifier.NO_HASH);
        router.schema("ReceiptMediaCheck", described(objectOf(
                "segment_id", type("integer"),
                "scene_id", type("integer"),
                "receipt_id", described(type("integer"), "the segment's latest receipt"),
                "role", role,
                "ref_id", described(type("integer"), "the segment id (output_video) or the image id"),
                "path", nullable("string"),
                "status", status,
                "reason", described(nullable("string"), "media_changed or media_missing when the file makes the segment stale"),
                "recorded_sha256", nullable("string"),
                "recorded_size", nullable("integer"),
                "current_sha256", described(nullable("string"), "null when the file is missing"),
                "current_size", nullable("integer"),
                "message", nullable("string")), "One file a receipt vouches for, compared by SHA-256 with the file on disk"));
        router.schema("ProvenanceVerifyReport", objectOf(
                "project_id", nullable("integer"),
                "segments_checked", described(type("integer"), "segments with a receipt"),
                "files_checked", type("integer"),
                "ok", type("integer"),
                "changed", type("integer"),
                "missing", type("integer"),
                "no_hash_recorded", type("integer"),
                "segments_not_matching", type("integer"),
                "problems", described(arrayOf(ref("ReceiptMediaCheck")), "every check that is not ok, by segment id")));
        router.schema("StalenessReport", described(objectOf(
                "project_id", type("integer"),
                "asset_id", described(nullable("integer"), "the asset filter, when given"),
                "total_segments", type("integer"),
                "segments_with_receipts", type("integer"),
                "segments_without_receipts", type("integer"),
                "total_stale_segments", type("integer"),
                "total_stale_scenes", type("integer"),
                "total_queued_segments", described(type("integer"), "stale segments with an open regeneration draft"),
                "total_superseded_segments", described(type("integer"), "segments whose replacement has a receipt (not counted as stale)"),
                "by_asset", arrayOf(ref("StaleAssetGroup")),
                "stale_segments", described(arrayOf(ref("StaleSegment")), "one page, by segment id (see limit and after)"),
                "next_after", described(nullable("integer"), "pass as after for the next page of stale_segments; null on the last page"),
                "total_media_stale_segments", type("integer"),
                "media_stale", described(arrayOf(ref("ReceiptMediaCheck")),
                        "files that are no longer what the latest receipt recorded (changed or missing)"),
                "superseded_segments", arrayOf(ref("SupersededSegment"))),
                "Computed at query time; stale_segments and superseded_segments are ordered by segment id"));
        ObjectNode draftState = Json.object().put("type", "string").put("description",
                "open: the new segment has no receipt yet (the replaced one is not queued again); settled: it has one (the replaced "
                        + "segment is superseded); abandoned: it failed or was rejected without a receipt");
        draftState.putArray("enum").add("open").add("settled").add("abandoned");
        ObjectNode replaces = described(objectOf(
                "segment_id", type("integer"),
                "exists", described(type("boolean"), "false once the replaced segment was deleted; the draft stays"),
                "scene_id", type("integer"),
                "sequence_index", type("integer"),
                "output_video_path", nullable("string"),
                "status", type("string"),
                "receipt_id", described(type("integer"), "the receipt the plan was made from"),
                "inputs_hash", type("string")), "The segment this draft replaces, as it was when the draft was made");
        Object[] draftFields = {
                "id", type("integer"),
                "job_id", type("integer"),
                "state", draftState,
                "replaces", replaces,
                "replaces_segment_id", type("integer"),
                "new_segment_id", type("integer"),
                "new_segment_status", type("string"),
                "settled_by_receipt_id", described(nullable("integer"), "the new segment's latest receipt, once it has one"),
                "planned_inputs_hash", type("string"),
                "created_at", dateTime()};
        router.schema("RegenerationDraft", described(objectOf(draftFields), "A regeneration draft (its planned inputs: GET /api/provenance/drafts/{id})"));
        Object[] fullFields = java.util.Arrays.copyOf(draftFields, draftFields.length + 2);
        fullFields[draftFields.length] = "planned_inputs";
        fullFields[draftFields.length + 1] = described(ref("PlannedInputs"), "every input the new segment is to be generated with");
        router.schema("PlannedInputs", objectOf(
                "source_image_id", nullable("integer"), "source_image_hash", nullable("string"),
                "variant_image_id", nullable("integer"), "variant_image_hash", nullable("string"),
                "workflow_asset_id", nullable("integer"), "workflow_name", nullable("string"),
                "workflow_version", nullable("string"), "workflow_hash", nullable("string"),
                "model_asset_id", nullable("integer"), "model_name", type("string"),
                "model_version", nullable("string"), "model_hash", nullable("string"),
                "loras", arrayOf(objectOf("asset_id", nullable("integer"), "name", type("string"), "version", nullable("string"),
                        "hash", nullable("string"), "weight", type("number"))),
                "prompt_text", type("string"), "negative_prompt", nullable("string"), "cfg_scale", type("number"),
                "seed", type("integer"), "resolution_width", type("integer"), "resolution_height", type("integer"),
                "steps", type("integer"), "sampler", type("string"),
                "additional_params", Json.object().put("type", "object").put("additionalProperties", true),
                "inputs_hash", described(type("string"), "the inputs hash a receipt generated with exactly these inputs will have")));
        router.schema("RegenerationDraftWithInputs", described(objectOf(fullFields),
                "A regeneration draft with its full planned inputs"));
        router.schema("SegmentProvenance", objectOf(
                "segment_id", type("integer"),
                "segment", ref("Segment"),
                "latest", orNull(ref("GenerationReceipt")),
                "stale", type("boolean"),
                "stale_reasons", arrayOf(ref("StaleReason")),
                "media", described(arrayOf(ref("ReceiptMediaCheck")),
                        "the latest receipt's files that do not match it (changed or missing make the segment stale)"),
                "receipts", described(arrayOf(ref("ReceiptSummary")), "every receipt of the segment, newest first"),
                "superseded_by", described(orNull(ref("SupersededSegment")), "set when a regeneration of this segment has a receipt (then it is not stale)"),
                "regenerations", described(arrayOf(ref("RegenerationDraft")), "segments created from this one by targeted regeneration"),
                "regenerated_from", described(orNull(ref("RegenerationDraftWithInputs")), "the draft that planned this segment, when targeted regeneration made it")));
        ObjectNode usageItem = objectOf(
                "receipt_id", type("integer"),
                "asset_id", described(type("integer"), "the version of the chain the receipt used"),
                "version", nullable("string"),
                "weight", described(type("number"), "LoRA weight (LoRA assets only; absent otherwise)"),
                "segment_id", type("integer"),
                "scene_id", type("integer"),
                "sequence_index", type("integer"),
                "inputs_hash", type("string"),
                "created_at", dateTime(),
                "is_latest", described(type("boolean"), "whether this is the segment's latest receipt"));
        // weight is the only optional property (LoRA usage only)
        var required = (com.fasterxml.jackson.databind.node.ArrayNode) usageItem.get("required");
        for (int i = required.size() - 1; i >= 0; i--) if (required.get(i).asText().equals("weight")) required.remove(i);
        router.schema("AssetUsageItem", usageItem);
        router.schema("AssetUsage", objectOf(
                "asset", ref("Asset"),
                "total", described(type("integer"), "receipts (of the version, or of the whole chain)"),
                "segments", described(type("integer"), "distinct segments among them"),
                "items", arrayOf(ref("AssetUsageItem")),
                "next_after", nullable("integer")));
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
        registerResponseSchemas(router);

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
                    if (d == null || !d.isIntegralNumber() || d.longValue() < 0) throw InvalidInput.field("generation_duration_ms", "must be a non-negative integer");
                    Instant at = body.hasNonNull("generation_completed_at") ? dev.reelmark.db.Timestamps.parse(body.get("generation_completed_at").asText()) : Instant.now();
                    ctx.json(provenance.completeReceipt(id, at, d.longValue()));
                });

        router.get("/api/segments/{id}/provenance").tag(TAG).summary("Forward provenance of a segment")
                .description("The latest receipt (highest id) with its staleness reasons, every receipt of the segment (newest first), and regeneration drafts made from it.")
                .response(ref("SegmentProvenance"))
                .errors(400, 404)
                .handle(ctx -> ctx.json(provenance.segmentProvenance(Requests.pathId(ctx, "id"))));

        router.get("/api/assets/{id}/usage").tag(TAG).summary("Reverse provenance: segments generated with an asset")
                .description("Receipts that used any version of the asset's chain (model, LoRA or workflow), newest first; `version` narrows to one version (label or number).")
                .query("version", "string", "a version label (e.g. v1) or version number")
                .query("limit", "integer", "page size, 1..5000 (default 500)")
                .query("after", "integer", "receipt id cursor: only receipts below it")
                .response(ref("AssetUsage"))
                .errors(400, 404)
                .handle(ctx -> {
                    String v = ctx.queryParam("version");
                    ctx.json(provenance.assetUsage(Requests.pathId(ctx, "id"), v == null || v.isBlank() ? null : v.trim(),
                            Requests.queryInt(ctx, "limit", 500, 1, 5000), Requests.queryLong(ctx, "after")));
                });

        router.get("/api/projects/{id}/staleness-report").tag(TAG).summary("Staleness report of a project")
                .description("Computed at query time: a segment is stale when its latest receipt's model, a LoRA, the workflow or a source/variant image is no longer the current version of its chain. Grouped by asset version.")
                .query("asset_id", "integer", "only staleness caused by this asset's chain")
                .query("limit", "integer", "stale segments in this page (1-10000, default 1000); the totals and by_asset cover the whole project")
                .query("after", "integer", "the next_after of the previous page: stale segments with a higher segment id")
                .response(ref("StalenessReport")).errors(400, 404)
                .handle(ctx -> ctx.json(provenance.stalenessReport(Requests.pathId(ctx, "id"), Requests.queryLong(ctx, "asset_id"),
                        Requests.queryInt(ctx, "limit", 1000, 1, 10_000), Requests.queryLong(ctx, "after"))));

        router.post("/api/projects/{id}/regenerate-stale").tag(TAG).summary("Queue targeted regeneration of stale segments")
                .description("Submits a provenance.regenerate job for all stale segments of the project, or the selected segment_ids "
                        + "(each must be stale). The job creates a NEW pending segment per stale one (same scene and sequence_index; "
                        + "the old segment is kept for comparison) with the planned inputs (current versions) stored as a draft. "
                        + "A stale segment with an open draft is not queued again (listed under already_queued); once the new "
                        + "segment has a receipt the old one is superseded, not stale. No generator is run by Reelmark.")
                .request(Json.object().put("type", "object").set("properties", Json.object().set("segment_ids", arrayOf(type("integer")))))
                .response(202, objectOf("job", orNull(ref("Job")),
                        "segment_ids", described(arrayOf(type("integer")), "the segments the job will regenerate"),
                        "already_queued", described(arrayOf(objectOf("segment_id", type("integer"), "draft_id", type("integer"),
                                "new_segment_id", type("integer"))), "stale segments left out because they have an open draft"),
                        "message", type("string")))
                .errors(400, 404)
                .handle(ctx -> {
                    long project = Requests.pathId(ctx, "id");
                    ObjectNode body = Requests.jsonObject(ctx, true);
                    List<Long> ids = null;
                    for (var it = body.fieldNames(); it.hasNext(); ) {
                        String f = it.next();
                        if (!f.equals("segment_ids")) throw InvalidInput.field(f, "unknown field; allowed: segment_ids");
                    }
                    JsonNode s = body.get("segment_ids");
                    if (s != null && !s.isNull()) {
                        if (!s.isArray()) throw InvalidInput.field("segment_ids", "must be an array of segment ids");
                        ids = new ArrayList<>();
                        for (int i = 0; i < s.size(); i++) {
                            if (!s.get(i).isIntegralNumber() || s.get(i).longValue() <= 0) throw InvalidInput.field("segment_ids[" + i + "]", "must be a positive integer");
                            ids.add(s.get(i).longValue());
                        }
                    }
                    ctx.status(202).json(provenance.regenerateStale(project, ids));
                });

        router.get("/api/provenance/verify").tag(TAG).summary("Verify segment files against their receipts")
                .description("Hashes (SHA-256, cached by real path, size and mtime) each segment's output video and the source/variant "
                        + "images of its latest receipt and reports every file that no longer matches: changed, missing, or no hash recorded.")
                .query("project_id", "integer", "only this project's segments (default: every project)")
                .response(ref("ProvenanceVerifyReport")).errors(400, 404)
                .handle(ctx -> ctx.json(provenance.verify(Requests.queryLong(ctx, "project_id"))));

        router.get("/api/provenance/drafts/{id}").tag(TAG).summary("A regeneration draft with its planned inputs")
                .description("What the draft replaces (kept after that segment is deleted), its state (open, settled, abandoned) "
                        + "and every planned input, as a generator needs them.")
                .response(ref("RegenerationDraftWithInputs")).errors(400, 404)
                .handle(ctx -> ctx.json(provenance.draft(Requests.pathId(ctx, "id"))));

        router.get("/api/segments/{id}/regeneration-draft").tag(TAG).summary("The regeneration draft that planned a segment")
                .description("For a segment created by targeted regeneration: its draft with the planned inputs. 404 for any other segment.")
                .response(ref("RegenerationDraftWithInputs")).errors(400, 404)
                .handle(ctx -> {
                    long id = Requests.pathId(ctx, "id");
                    ctx.json(provenance.draftForNewSegment(id).orElseThrow(() -> NotFound.of("regeneration draft of segment", id)));
                });

        router.get("/api/receipts/{id}/comfy").tag(TAG).summary("The ComfyUI graph a receipt was imported from")
                .description("The raw API-format prompt graph and UI workflow kept with an imported receipt (write-once), so the generation can be queued again. 404 when the receipt was not imported from ComfyUI output.")
                .response(ref("ReceiptComfyGraphs")).errors(400, 404)
                .handle(ctx -> ctx.json(provenance.comfyGraphs(Requests.pathId(ctx, "id"))));

        ObjectNode importItem = objectOf("path", type("string"), "status", described(type("string"), "imported, unchanged or error"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) importItem.get("properties")).set("message", described(type("string"), "why the file was not imported"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) importItem.get("properties")).set("receipt_id", type("integer"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) importItem.get("properties")).set("segment_id", type("integer"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) importItem.get("properties")).set("inputs_hash", type("string"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) importItem.get("properties")).set("asset_matches", arrayOf(Json.object().put("type", "object")));
        ((com.fasterxml.jackson.databind.node.ObjectNode) importItem.get("properties")).set("warnings", arrayOf(type("string")));
        ObjectNode importNow = objectOf("imported", type("integer"), "total", type("integer"), "items", arrayOf(importItem));
        ObjectNode importQueued = objectOf("job", ref("Job"), "total", type("integer"), "message", type("string"));
        ObjectNode importAnswer = Json.object();
        importAnswer.putArray("oneOf").add(importNow).add(importQueued);
        router.post("/api/provenance/import").tag(TAG).summary("Import receipts from ComfyUI output files")
                .description("Reads the ComfyUI prompt/workflow JSON from each video's comment tag or PNG's text chunks and records a receipt for the segment whose output_video_path is the file. "
                        + "Paths are relative to the data directory unless absolute, and must be files inside the media roots (symlinks resolved); a bad path is a 400 naming paths[i] before anything is imported. "
                        + "Up to " + ProvenanceImporter.SYNC_LIMIT + " paths are imported in the request (200, one item per file); more answer 202 with a " + ProvenanceImporter.IMPORT_KIND
                        + " job whose result lists every per-file failure. A file whose graph cannot be read (no sampler, a cycle, over 16 MiB of metadata) is a per-file error; nothing of it is written.")
                .request(objectOf("paths", arrayOf(type("string"))))
                .response(importAnswer)
                .errors(400)
                .handle(ctx -> {
                    ObjectNode body = Requests.jsonObject(ctx);
                    JsonNode p = body.get("paths");
                    if (p == null || !p.isArray()) throw InvalidInput.field("paths", "must be an array of file paths");
                    List<String> paths = new ArrayList<>();
                    for (int i = 0; i < p.size(); i++) {
                        if (!p.get(i).isTextual()) throw InvalidInput.field("paths[" + i + "]", "must be a string");
                        paths.add(p.get(i).asText());
                    }
                    ProvenanceImporter.Submitted done = importer.submit(paths);
                    ctx.status(done.queued() ? 202 : 200).json(done.body());
                });
    }
}
