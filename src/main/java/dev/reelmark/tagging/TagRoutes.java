package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.db.Timestamps;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.json.Json;
import dev.reelmark.http.Requests;
import io.javalin.http.Context;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.reelmark.http.ApiRouter.arrayOf;
import static dev.reelmark.http.ApiRouter.objectOf;
import static dev.reelmark.http.ApiRouter.ref;
import static dev.reelmark.http.ApiRouter.type;

/**
 * The tag writing endpoints (tag {@code tagging}): the seed's section 3 under {@code /api/metadata/...} (plan, edit,
 * export, write with dry run, operation status and control, history, details, rollback, backup clean-up) and the
 * people assigned to a segment under {@code /api/segments/{id}/people}.
 */
public final class TagRoutes {
    private static final String TAG = "tagging";
    private final TagService tags;

    public TagRoutes(TagService tags) {
        this.tags = tags;
    }

    private static ObjectNode nullable(String t) {
        return Json.object().set("type", Json.MAPPER.createArrayNode().add(t).add("null"));
    }

    private static ObjectNode strings() {
        return arrayOf(type("string"));
    }

    /** An object schema whose listed properties are all optional. */
    private static ObjectNode optionalObjectOf(Object... nameSchemaPairs) {
        ObjectNode node = objectOf(nameSchemaPairs);
        node.remove("required");
        return node;
    }

    public void register(ApiRouter router) {
        router.schema("SegmentPerson", objectOf("id", type("integer"), "segment_id", type("integer"), "name", type("string"),
                "created_at", type("string")));
        ObjectNode planItem = objectOf("file_hash", type("string"), "file_path", type("string"), "file_name", type("string"),
                "file_type", type("string"), "size_bytes", type("integer"), "modified_at", nullable("string"),
                "segment_ids", arrayOf(type("integer")), "db_people", strings(), "existing_people", strings(),
                "result_people", strings(), "tags_to_add", strings(), "tags_to_remove", strings(),
                "existing_comment", nullable("string"), "result_comment", nullable("string"),
                "comment_kind", Json.object().put("type", "string").set("enum", Json.MAPPER.valueToTree(List.of("none", "people", "comfyui", "json", "custom"))),
                "provenance", nullable("object"),
                "risk_level", Json.object().put("type", "string").set("enum", Json.MAPPER.valueToTree(TagService.RISKS)),
                "can_update", type("boolean"), "issues", strings(), "warnings", strings(),
                "conflict_type", Json.object().put("type", "string").set("enum", Json.MAPPER.valueToTree(TagService.CONFLICTS)),
                "has_changes", type("boolean"), "edited", type("boolean"), "skipped", type("boolean"),
                "preserve_comment", type("boolean"));
        // always present in answers; not "required" so clients typed before them still compile
        alsoOptional(planItem, "item_key", type("string"),
                "people_target", Json.object().put("type", "string").set("enum", Json.MAPPER.valueToTree(List.of("comment", "mp4_key", "matroska_tag"))),
                "people_locations", strings(), "existing_people_key", nullable("string"), "result_people_key", nullable("string"),
                "has_xmp", type("boolean"));
        router.schema("TagPlanItem", planItem);
        router.schema("TagPlanStatistics", objectOf("total_files", type("integer"), "safe_count", type("integer"),
                "warning_count", type("integer"), "danger_count", type("integer"), "blocked_count", type("integer"),
                "total_tags_to_add", type("integer"), "total_tags_to_remove", type("integer"),
                "will_overwrite_custom", type("integer"), "with_provenance", type("integer"), "unchanged_count", type("integer"),
                "skipped_count", type("integer"), "edited_count", type("integer"), "ready_count", type("integer")));
        router.schema("TagPlan", objectOf("items", arrayOf(ref("TagPlanItem")), "statistics", ref("TagPlanStatistics"),
                "categories", Json.object().put("type", "object").set("additionalProperties", strings()),
                "page", type("integer"), "per_page", type("integer"), "total_items", type("integer"),
                "total_pages", type("integer"), "generated_in_ms", type("integer"), "cache_hits", type("integer"),
                "probed", type("integer"), "ffprobe_calls", type("integer")));
        router.schema("TagOperation", objectOf("id", type("integer"), "operation_type", type("string"), "status", type("string"),
                "job_id", nullable("integer"), "rollback_of", nullable("integer"), "file_count", type("integer"),
                "success_count", type("integer"), "failure_count", type("integer"), "skipped_count", type("integer"),
                "error_message", nullable("string"), "user_note", nullable("string"), "started_at", type("string"),
                "completed_at", nullable("string"), "updated_at", type("string")));
        ObjectNode opItem = objectOf("id", type("integer"), "operation_id", type("integer"), "seq", type("integer"),
                "file_hash", type("string"), "file_hash_after", nullable("string"), "file_path", type("string"),
                "status", type("string"), "previous_comment", nullable("string"), "new_comment", nullable("string"),
                "tags_added", strings(), "tags_removed", strings(), "rollback_item_id", nullable("integer"),
                "error_message", nullable("string"), "processed_at", nullable("string"), "has_backup", type("boolean"),
                "write_path", nullable("string"));
        alsoOptional(opItem, "people_target", nullable("string"), "previous_people", nullable("string"),
                "new_people", nullable("string"), "checks", Json.object().set("type", Json.MAPPER.createArrayNode().add("array").add("null")));
        router.schema("TagOperationItem", opItem);
        ObjectNode opStatus = Json.object().put("type", "object");
        opStatus.putObject("properties").set("operation", ref("TagOperation"));
        ((ObjectNode) opStatus.get("properties")).set("items", arrayOf(ref("TagOperationItem")));
        ((ObjectNode) opStatus.get("properties")).set("progress", objectOf("done", type("integer"), "total", type("integer")));
        ((ObjectNode) opStatus.get("properties")).set("events_url", nullable("string"));
        ((ObjectNode) opStatus.get("properties")).set("job", ref("Job"));
        opStatus.putArray("required").add("operation").add("items").add("progress");
        router.schema("TagOperationStatus", opStatus);
        ObjectNode peopleOrNull = Json.object();
        peopleOrNull.set("type", Json.MAPPER.createArrayNode().add("array").add("null"));
        peopleOrNull.set("items", type("string"));
        router.schema("TagPlanEdit", optionalObjectOf("result_people", peopleOrNull,
                "skip", type("boolean"), "preserve_comment", nullable("boolean"), "reset", type("boolean")));
        router.schema("TagWriteRequest", optionalObjectOf("file_hashes", strings(), "item_keys", strings(), "background", type("boolean"), "all", type("boolean"),
                "dry_run", type("boolean"), "confirm_danger", type("boolean"), "note", nullable("string"),
                "project_id", type("integer")));
        router.schema("TagDryRunItem", optionalObjectOf("file_hash", type("string"), "file_path", type("string"),
                "status", Json.object().put("type", "string").set("enum", Json.MAPPER.valueToTree(List.of("ok", "error", "skipped"))),
                "reason", type("string"), "checks", arrayOf(Json.object().put("type", "object")), "errors", strings(),
                "risk_level", type("string"), "result_comment", nullable("string")));
        router.schema("TagWriteAnswer", optionalObjectOf("operation_id", type("integer"), "job_id", type("integer"),
                "events_url", type("string"), "operation", ref("TagOperation"), "dry_run", type("boolean"),
                "items", arrayOf(ref("TagDryRunItem")), "ok_count", type("integer"), "error_count", type("integer"),
                "skipped_count", type("integer"), "files_written", type("integer")));
        router.schema("TagRollbackAnswer", optionalObjectOf("operation_id", type("integer"), "job_id", type("integer"),
                "events_url", type("string"), "operation", ref("TagOperation"), "feasible", type("integer"),
                "conflicts", arrayOf(objectOf("item_id", type("integer"), "file_path", type("string"), "reason", type("string")))));

        // ---- segment people ----
        router.get("/api/segments/{id}/people").tag(TAG).summary("People assigned to a segment")
                .description("Besides the characters of its scene, these people are written into the segment video's comment.")
                .pathParam("id", "integer", "segment id")
                .response(objectOf("segment_id", type("integer"), "items", arrayOf(ref("SegmentPerson"))))
                .errors(400, 404)
                .handle(ctx -> {
                    long id = Requests.pathId(ctx, "id");
                    ObjectNode out = Json.object().put("segment_id", id);
                    out.set("items", Json.MAPPER.valueToTree(tags.people(id)));
                    ctx.json(out);
                });
        router.post("/api/segments/{id}/people").tag(TAG).summary("Assign a person to a segment")
                .description("A name is one line of at most " + PeopleComment.MAX_NAME_LENGTH + " characters without commas "
                        + "(commas separate names in `People: A, B`).")
                .pathParam("id", "integer", "segment id")
                .request(objectOf("name", type("string")))
                .response(201, ref("SegmentPerson")).errors(400, 404, 409)
                .handle(ctx -> {
                    long id = Requests.pathId(ctx, "id");
                    ObjectNode body = Requests.jsonObject(ctx);
                    JsonNode name = body.get("name");
                    if (name == null || !name.isTextual()) throw InvalidInput.field("name", "is required (a string)");
                    ctx.status(201).json(tags.addPerson(id, name.asText()));
                });
        router.delete("/api/segments/{id}/people/{personId}").tag(TAG).summary("Remove a person from a segment")
                .pathParam("id", "integer", "segment id").pathParam("personId", "integer", "segment person id")
                .response(204, null).errors(400, 404)
                .handle(ctx -> {
                    tags.removePerson(Requests.pathId(ctx, "id"), Requests.pathId(ctx, "personId"));
                    ctx.status(204);
                });

        // ---- plan ----
        router.get("/api/metadata/plan").tag(TAG).summary("Plan the people tags of every video file")
                .description("Probes each segment video's comment (cached by path, size and mtime), merges the people found "
                        + "with the catalog's, and computes tags to add/remove, the result comment, the risk (safe, warning, "
                        + "danger; blocked with reasons) and statistics. Filters, search, sort and pagination apply to `items`; "
                        + "statistics and categories cover the whole plan.")
                .query("project_id", "integer", "only this project's segments")
                .query("page", "integer", "page, from 1").query("per_page", "integer", "items per page (default REELMARK_METADATA_PREVIEW_PAGE_SIZE, 50)")
                .query("risk", "string", "comma-separated: safe, warning, danger, blocked")
                .query("file_type", "string", "comma-separated extensions, e.g. mp4,mkv")
                .query("min_tags", "integer", "at least this many people in the result")
                .query("max_tags", "integer", "at most this many people in the result")
                .query("conflict", "string", "comma-separated: none, custom_comment, provenance, tag_removal")
                .query("q", "string", "search file name, path and people")
                .query("person", "string", "only files with this person (substring)")
                .query("path", "string", "only files whose path contains this")
                .query("sort", "string", "name, path, risk, tags, mtime or size")
                .query("order", "string", "asc or desc")
                .query("include_blocked", "boolean", "default true")
                .query("file_hashes", "string", "comma-separated: only these files")
                .response(ref("TagPlan")).errors(400, 404)
                .handle(ctx -> ctx.json(tags.plan(query(ctx, null))));
        router.post("/api/metadata/plan").tag(TAG).summary("Plan the people tags of chosen files")
                .description("As GET, with the same fields in a JSON body; `file_hashes` is an array.")
                .request(Json.object().put("type", "object"))
                .response(ref("TagPlan")).errors(400, 404)
                .handle(ctx -> ctx.json(tags.plan(query(ctx, Requests.jsonObject(ctx, true)))));
        router.get("/api/metadata/plan/export").tag(TAG).summary("Export the whole plan as a JSON file")
                .query("project_id", "integer", "only this project's segments")
                .response(ref("TagPlan")).errors(400)
                .handle(ctx -> {
                    Long project = Requests.queryLong(ctx, "project_id");
                    TagService.PlanQuery all = TagService.PlanQuery.all();
                    var plan = tags.plan(new TagService.PlanQuery(project, null, null, null, null, null, null, null, null,
                            null, "name", false, true, 1, all.perPage()));
                    ctx.header("Content-Disposition", "attachment; filename=\"reelmark-tag-plan.json\"");
                    ctx.json(plan);
                });
        router.post("/api/metadata/plan/{fileHash}/edit").tag(TAG).summary("Edit one file's plan")
                .description("`result_people` replaces the planned list (null: back to the merged list); `skip` leaves the "
                        + "file out of writes; `preserve_comment` appends the People line to the existing comment text instead "
                        + "of replacing it (null: the default, which preserves a ComfyUI comment); `reset: true` drops every edit. "
                        + "The risk is recomputed.")
                .pathParam("fileHash", "string", "the file's content fingerprint")
                .request(ref("TagPlanEdit"))
                .response(ref("TagPlanItem")).errors(400, 404, 409)
                .handle(ctx -> ctx.json(tags.edit(ctx.pathParam("fileHash"), Requests.jsonObject(ctx))));

        // ---- write ----
        router.post("/api/metadata/write").tag(TAG).summary("Write the planned tags (background job), or dry-run")
                .description("Body: `item_keys` (array: exactly these plan items, path + content), `file_hashes` (array: "
                        + "every planned copy with that content) or `all: true` (every ready file), `dry_run`, `background`, "
                        + "`confirm_danger` (required when a chosen file would lose comment text), `note`, `project_id`. A dry "
                        + "run checks access, disk space, metadata format and size, encoding and that the comment and people "
                        + "key are what the plan read, and writes nothing. Otherwise a `" + TagWriteJob.KIND + "` job starts; "
                        + "follow it with GET /api/metadata/operations/{id} or the job's SSE stream (`events_url`). A dry run "
                        + "answers 200 with `dry_run`, `items` and the counts; with `background: true` it is an operation of "
                        + "type `dry_run` (202, like a write) whose items carry their `checks`, with per-file progress.")
                .request(ref("TagWriteRequest"))
                .response(202, ref("TagWriteAnswer")).errors(400, 409)
                .handle(ctx -> {
                    ObjectNode body = Requests.jsonObject(ctx);
                    for (var it = body.fieldNames(); it.hasNext(); ) {
                        String f = it.next();
                        if (!Set.of("file_hashes", "item_keys", "background", "all", "dry_run", "confirm_danger", "note", "project_id").contains(f)) {
                            throw InvalidInput.field(f, "unknown field");
                        }
                    }
                    Set<String> hashes = null;
                    if (body.has("file_hashes")) {
                        JsonNode arr = body.get("file_hashes");
                        if (!arr.isArray()) throw InvalidInput.field("file_hashes", "must be an array of file hashes");
                        hashes = new LinkedHashSet<>();
                        for (JsonNode h : arr) {
                            if (!h.isTextual()) throw InvalidInput.field("file_hashes", "must be an array of strings");
                            hashes.add(h.asText());
                        }
                    }
                    Set<String> keys = null;
                    if (body.has("item_keys")) {
                        JsonNode arr = body.get("item_keys");
                        if (!arr.isArray()) throw InvalidInput.field("item_keys", "must be an array of plan item keys");
                        keys = new LinkedHashSet<>();
                        for (JsonNode k : arr) {
                            if (!k.isTextual()) throw InvalidInput.field("item_keys", "must be an array of strings");
                            keys.add(k.asText());
                        }
                    }
                    boolean dry = bool(body, "dry_run");
                    JsonNode note = body.get("note");
                    Long project = body.has("project_id") ? Requests.positiveLong("project_id", body.get("project_id").asText()) : null;
                    ObjectNode out = tags.write(new TagService.WriteRequest(hashes, bool(body, "all"), dry,
                            bool(body, "confirm_danger"), note == null || note.isNull() ? null : note.asText(), project, keys,
                            bool(body, "background")));
                    ctx.status(dry && !bool(body, "background") ? 200 : 202).json(out);
                });
        router.get("/api/metadata/operations/{id}").tag(TAG).summary("Status of a write or rollback operation")
                .description("The operation, every item with its status, and progress. For live updates follow `events_url` "
                        + "(the job's Server-Sent Events); polling this endpoint is the fallback.")
                .pathParam("id", "integer", "operation id")
                .response(ref("TagOperationStatus")).errors(400, 404)
                .handle(ctx -> ctx.json(tags.status(Requests.pathId(ctx, "id"))));
        router.post("/api/metadata/operations/{id}/pause").tag(TAG).summary("Pause an operation (after the current file)")
                .pathParam("id", "integer", "operation id").response(ref("TagOperation")).errors(400, 404, 409)
                .handle(ctx -> ctx.json(tags.pause(Requests.pathId(ctx, "id"))));
        router.post("/api/metadata/operations/{id}/resume").tag(TAG).summary("Resume a paused operation")
                .pathParam("id", "integer", "operation id").response(ref("TagOperation")).errors(400, 404, 409)
                .handle(ctx -> ctx.json(tags.resume(Requests.pathId(ctx, "id"))));
        router.post("/api/metadata/operations/{id}/cancel").tag(TAG).summary("Cancel an operation (files already written stay written)")
                .pathParam("id", "integer", "operation id").response(ref("TagOperation")).errors(400, 404, 409)
                .handle(ctx -> ctx.json(tags.cancel(Requests.pathId(ctx, "id"))));

        // ---- history ----
        router.get("/api/metadata/history").tag(TAG).summary("Operation history")
                .query("page", "integer", "from 1").query("per_page", "integer", "default 50")
                .query("start_date", "string", "ISO date or timestamp (inclusive)").query("end_date", "string", "ISO date or timestamp (inclusive)")
                .query("status", "string", "operation status").query("type", "string", "write, rollback or dry_run")
                .query("file", "string", "file hash or part of the path").query("person", "string", "a person added or removed")
                .response(objectOf("items", arrayOf(ref("TagOperation")), "page", type("integer"), "per_page", type("integer"),
                        "total", type("integer"), "total_pages", type("integer")))
                .errors(400)
                .handle(ctx -> ctx.json(tags.history(new TagService.HistoryQuery(date(ctx, "start_date", false),
                        date(ctx, "end_date", true), text(ctx, "status"), text(ctx, "type"), text(ctx, "file"), text(ctx, "person"),
                        Requests.queryInt(ctx, "page", 1, 1, 1_000_000), Requests.queryInt(ctx, "per_page", 50, 1, 500)))));
        router.get("/api/metadata/history/{id}").tag(TAG).summary("Details of an operation")
                .description("As the operation status, plus the backups taken before each file was written.")
                .pathParam("id", "integer", "operation id")
                .response(ref("TagOperationStatus")).errors(400, 404)
                .handle(ctx -> ctx.json(tags.details(Requests.pathId(ctx, "id"))));
        router.get("/api/metadata/backups/{itemId}").tag(TAG).summary("The original metadata saved before an item was written")
                .pathParam("itemId", "integer", "operation item id")
                .response(objectOf("operation_item_id", type("integer"), "file_hash", type("string"),
                        "backup_timestamp", type("string"), "original_comment", nullable("string"), "original_metadata", type("object")))
                .errors(400, 404)
                .handle(ctx -> {
                    var b = tags.backup(Requests.pathId(ctx, "itemId"));
                    ObjectNode out = Json.object().put("operation_item_id", b.operationItemId()).put("file_hash", b.fileHash())
                            .put("backup_timestamp", b.backupTimestamp().toString()).put("original_comment", b.originalComment());
                    out.set("original_metadata", Json.parse(b.originalMetadataJson()));
                    ctx.json(out);
                });
        router.post("/api/metadata/history/{id}/rollback").tag(TAG).summary("Roll back a write operation")
                .description("Checks each written file (exists, backup exists, comment still what Reelmark wrote: otherwise a "
                        + "conflict, never overwritten) and restores the original comments as an operation of its own.")
                .pathParam("id", "integer", "operation id")
                .query("background", "boolean", "true: read no file in the request; the job checks each file (conflicts "
                        + "become items of the rollback operation) with per-file progress")
                .response(202, ref("TagRollbackAnswer")).errors(400, 404, 409)
                .handle(ctx -> {
                    String bg = ctx.queryParam("background");
                    if (bg != null && !bg.equals("true") && !bg.equals("false")) throw InvalidInput.field("background", "must be true or false");
                    ctx.status(202).json(tags.rollback(Requests.pathId(ctx, "id"), "true".equals(bg)));
                });
        router.post("/api/metadata/plan/reread").tag(TAG).summary("Re-read files for the plan")
                .description("Forgets what the planner cached for `paths` (an array of file paths; every file when absent or "
                        + "empty) and reads them again: after an edit the cache could not see. Answers the fresh plan items of "
                        + "those files.")
                .request(optionalObjectOf("paths", strings()))
                .response(objectOf("items", arrayOf(ref("TagPlanItem")))).errors(400)
                .handle(ctx -> {
                    ObjectNode body = Requests.jsonObject(ctx, true);
                    for (var it = body.fieldNames(); it.hasNext(); ) {
                        String f = it.next();
                        if (!f.equals("paths")) throw InvalidInput.field(f, "unknown field (allowed: paths)");
                    }
                    List<String> paths = new java.util.ArrayList<>();
                    if (body.has("paths")) {
                        JsonNode arr = body.get("paths");
                        if (!arr.isArray()) throw InvalidInput.field("paths", "must be an array of file paths");
                        for (JsonNode p : arr) {
                            if (!p.isTextual()) throw InvalidInput.field("paths", "must be an array of strings");
                            paths.add(p.asText());
                        }
                    }
                    ObjectNode out = Json.object();
                    out.set("items", Json.MAPPER.valueToTree(tags.reread(paths)));
                    ctx.json(out);
                });
        router.post("/api/metadata/backups/cleanup").tag(TAG).summary("Remove old backups")
                .description("Deletes metadata_history rows older than `retention_days` (default REELMARK_METADATA_BACKUP_RETENTION_DAYS, 90). "
                        + "Operations whose backups are gone can no longer be rolled back.")
                .request(Json.object().put("type", "object"))
                .response(objectOf("removed", type("integer"), "retention_days", type("integer"))).errors(400)
                .handle(ctx -> {
                    ObjectNode body = Requests.jsonObject(ctx, true);
                    Integer days = null;
                    if (body.has("retention_days")) {
                        if (!body.get("retention_days").canConvertToInt()) throw InvalidInput.field("retention_days", "must be an integer");
                        days = body.get("retention_days").intValue();
                    }
                    int removed = tags.cleanupBackups(days);
                    ctx.json(Json.object().put("removed", removed).put("retention_days", days == null ? tags.config().backupRetentionDays() : days));
                });
    }

    /** Adds properties to a declared schema without making them required. */
    private static void alsoOptional(ObjectNode schema, Object... nameSchemaPairs) {
        ObjectNode props = (ObjectNode) schema.get("properties");
        for (int i = 0; i < nameSchemaPairs.length; i += 2) props.set((String) nameSchemaPairs[i], (JsonNode) nameSchemaPairs[i + 1]);
    }

    private static boolean bool(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) throw InvalidInput.field(field, "must be true or false");
        return v.booleanValue();
    }

    private static String text(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static Instant date(Context ctx, String name, boolean endOfDay) {
        String v = text(ctx, name);
        if (v == null) return null;
        try {
            if (v.length() == 10) {
                LocalDate d = LocalDate.parse(v);
                return (endOfDay ? d.plusDays(1).atStartOfDay().minusNanos(1_000_000) : d.atStartOfDay()).toInstant(ZoneOffset.UTC);
            }
            return Timestamps.parse(v);
        } catch (RuntimeException e) {
            throw InvalidInput.field(name, "must be an ISO date (2026-11-23) or timestamp, got '" + v + "'");
        }
    }

    /** Reads the plan query from the query string, or from a JSON body when {@code body} is not null. */
    TagService.PlanQuery query(Context ctx, ObjectNode body) {
        java.util.function.Function<String, String> get = body == null ? name -> text(ctx, name)
                : name -> {
                    JsonNode v = body.get(name);
                    if (v == null || v.isNull()) return null;
                    if (v.isArray()) {
                        return java.util.stream.StreamSupport.stream(v.spliterator(), false).map(JsonNode::asText).collect(Collectors.joining(","));
                    }
                    return v.asText();
                };
        int perPage = intOf(get.apply("per_page"), "per_page", tags.config().pageSize(), 1, 1000);
        int page = intOf(get.apply("page"), "page", 1, 1, 1_000_000);
        String project = get.apply("project_id");
        String sort = get.apply("sort");
        if (sort != null && !TagService.SORTS.contains(sort)) throw InvalidInput.field("sort", "must be one of " + TagService.SORTS);
        String order = get.apply("order");
        if (order != null && !order.equals("asc") && !order.equals("desc")) throw InvalidInput.field("order", "must be asc or desc");
        String ib = get.apply("include_blocked");
        if (ib != null && !ib.equals("true") && !ib.equals("false")) throw InvalidInput.field("include_blocked", "must be true or false");
        Integer min = get.apply("min_tags") == null ? null : intOf(get.apply("min_tags"), "min_tags", 0, 0, 100_000);
        Integer max = get.apply("max_tags") == null ? null : intOf(get.apply("max_tags"), "max_tags", 0, 0, 100_000);
        return new TagService.PlanQuery(project == null ? null : Requests.positiveLong("project_id", project),
                set(get.apply("file_hashes"), null, "file_hashes"), set(get.apply("risk"), TagService.RISKS, "risk"),
                set(get.apply("file_type"), null, "file_type"), min, max, set(get.apply("conflict"), TagService.CONFLICTS, "conflict"),
                get.apply("q"), get.apply("person"), get.apply("path"), sort == null ? "name" : sort, "desc".equals(order),
                !"false".equals(ib), page, perPage);
    }

    private static int intOf(String raw, String field, int def, int min, int max) {
        if (raw == null || raw.isBlank()) return def;
        try {
            int v = Integer.parseInt(raw.trim());
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException ignored) {
            // below
        }
        throw InvalidInput.field(field, "must be an integer from " + min + " to " + max + ", got '" + raw + "'");
    }

    private static Set<String> set(String csv, List<String> allowed, String field) {
        if (csv == null || csv.isBlank()) return null;
        Set<String> out = Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> field.equals("file_hashes") ? s : s.toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(LinkedHashSet::new));
        if (allowed != null) {
            for (String s : out) if (!allowed.contains(s)) throw InvalidInput.field(field, "'" + s + "' is not one of " + allowed);
        }
        return out;
    }
}
