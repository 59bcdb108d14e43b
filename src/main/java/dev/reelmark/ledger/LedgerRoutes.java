package dev.reelmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.Conflict;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.json.Json;
import dev.reelmark.http.Requests;
import dev.reelmark.jobs.JobService;
import io.javalin.http.Context;

import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static dev.reelmark.http.ApiRouter.arrayOf;
import static dev.reelmark.http.ApiRouter.objectOf;
import static dev.reelmark.http.ApiRouter.ref;
import static dev.reelmark.http.ApiRouter.type;

/**
 * The ledger endpoints (tag {@code ledger}): list, read, add-or-update, mark failed, generate (a background job),
 * reset, and mirror a project's segments. Path parameters {@code {spotId}}/{@code {eraId}} are the first and second
 * key values whatever the configured key names; bodies use the configured names. A corrupt ledger file answers 409
 * ({@code ledger_corrupt}) with the line and column of the problem.
 */
public final class LedgerRoutes {
    private static final String TAG = "ledger";
    private final LedgerService ledger;
    private final JobService jobs;

    /** {@code jobs} may be null when no job service is wired (then POST /api/ledger/generate answers 409). */
    public LedgerRoutes(LedgerService ledger, JobService jobs) {
        this.ledger = ledger;
        this.jobs = jobs;
    }

    public void register(ApiRouter router) {
        LedgerKeys k = ledger.keys();
        router.schema("LedgerEntry", entrySchema(k));
        router.schema("LedgerEntryInput", inputSchema());
        router.schema("LedgerEntryPatch", patchSchema());
        String keyDoc = "the first key (" + k.first() + ")";
        String eraDoc = "the second key (" + k.second() + ")";

        router.get("/api/ledger").tag(TAG).summary("List the generation ledger")
                .description("Every entry of the ledger file, in file order. A missing file is created as `[]`; a corrupt "
                        + "one answers 409 with the line and column of the problem.")
                .query("status", "string", "only entries with this status: " + LedgerStatus.allValues())
                .response(objectOf("items", arrayOf(ref("LedgerEntry")), "total", type("integer")))
                .errors(400, 409)
                .handle(ctx -> {
                    String raw = ctx.queryParam("status");
                    LedgerStatus status = raw == null || raw.isBlank() ? null : LedgerStatus.parse("status", raw);
                    List<LedgerEntry> entries = ledger.list(status);
                    ObjectNode page = Json.object();
                    ArrayNode items = page.putArray("items");
                    entries.forEach(e -> items.add(ledger.toJson(e)));
                    page.put("total", entries.size());
                    ctx.json(page);
                });

        router.post("/api/ledger/generate").tag(TAG).summary("Generate a video for an entry (background job)")
                .description("Records the entry as pending with the prompt and queues a `" + LedgerGenerateJob.KIND
                        + "` job; the job marks it generating, then ready with its localPath or failed with the error. "
                        + "Follow it with GET /api/jobs/{id}.")
                .request(objectOf(k.first(), type("string"), k.second(), type("string"), "prompt", type("string")))
                .response(202, ref("Job"))
                .errors(400, 409)
                .handle(ctx -> {
                    ObjectNode body = Requests.jsonObject(ctx);
                    onlyFields(body, Set.of(k.first(), k.second(), "prompt"));
                    EntryKey key = EntryKey.of(k, string(body, k.first()), string(body, k.second()));
                    String prompt = string(body, "prompt");
                    if (jobs == null) throw Conflict.of("background jobs are not available in this server");
                    ctx.status(202).json(LedgerGenerateJob.submit(jobs, ledger, key, prompt));
                });

        router.post("/api/ledger/reset").tag(TAG).summary("Start an empty ledger, moving the current file aside")
                .description("The way out of a corrupt ledger file: it is moved to `<file>.corrupt-<timestamp>` (nothing is "
                        + "deleted) and a fresh `[]` starts. A valid ledger is only reset with `{\"force\": true}` (moved to "
                        + "`<file>.reset-<timestamp>`).")
                .request(Json.object().put("type", "object").set("properties", Json.object().set("force", type("boolean"))))
                .response(objectOf("file", type("string"), "moved_to", nullable("string"), "was_corrupt", type("boolean"),
                        "entries_before", type("integer")))
                .errors(400, 409)
                .handle(ctx -> {
                    ObjectNode body = Requests.jsonObject(ctx, true);
                    onlyFields(body, Set.of("force"));
                    boolean force = false;
                    if (body.has("force")) {
                        if (!body.get("force").isBoolean()) throw InvalidInput.field("force", "must be true or false");
                        force = body.get("force").booleanValue();
                    }
                    LedgerStore.ResetResult r = ledger.reset(force);
                    ObjectNode out = Json.object();
                    out.put("file", ledger.store().file().toString());
                    out.put("moved_to", r.movedTo() == null ? null : r.movedTo().toString());
                    out.put("was_corrupt", r.wasCorrupt());
                    out.put("entries_before", r.entriesBefore());
                    ctx.json(out);
                });

        router.get("/api/ledger/{spotId}/{eraId}").tag(TAG).summary("Get one ledger entry")
                .pathParam("spotId", "string", keyDoc).pathParam("eraId", "string", eraDoc)
                .response(ref("LedgerEntry")).errors(400, 404, 409)
                .handle(ctx -> ctx.json(ledger.toJson(ledger.get(pathKey(ctx)))));

        router.put("/api/ledger/{spotId}/{eraId}").tag(TAG).summary("Add or update a ledger entry")
                .description("Sets prompt (required), status (default pending), localPath and, for a failed entry, error. "
                        + "An existing entry keeps its createdAt; completedAt is set by the server when the entry becomes "
                        + "ready or failed.")
                .pathParam("spotId", "string", keyDoc).pathParam("eraId", "string", eraDoc)
                .request(ref("LedgerEntryInput"))
                .response(ref("LedgerEntry")).errors(400, 409)
                .handle(ctx -> {
                    EntryKey key = pathKey(ctx);
                    ObjectNode body = Requests.jsonObject(ctx);
                    onlyFields(body, Set.of("prompt", "status", "localPath", "error", k.first(), k.second()));
                    sameKey(body, k.first(), key.spotId());
                    sameKey(body, k.second(), key.eraId());
                    String status = optionalString(body, "status");
                    var input = new LedgerService.EntryInput(string(body, "prompt"),
                            status == null ? null : LedgerStatus.parse("status", status),
                            optionalString(body, "localPath"), optionalString(body, "error"));
                    ctx.json(ledger.toJson(ledger.put(key, input)));
                });

        router.patch("/api/ledger/{spotId}/{eraId}").tag(TAG).summary("Change some fields of a ledger entry")
                .description("Only the fields in the body change; the others are kept. null clears localPath or error. "
                        + "Leaving failed clears the error; an error is only accepted on an entry that ends up failed. "
                        + "An entry that does not exist yet is added when the body has a prompt (status pending unless "
                        + "given), else 404.")
                .pathParam("spotId", "string", keyDoc).pathParam("eraId", "string", eraDoc)
                .request(ref("LedgerEntryPatch"))
                .response(ref("LedgerEntry")).errors(400, 404, 409)
                .handle(ctx -> {
                    EntryKey key = pathKey(ctx);
                    ObjectNode body = Requests.jsonObject(ctx);
                    sameKey(body, k.first(), key.spotId());
                    sameKey(body, k.second(), key.eraId());
                    ctx.json(ledger.toJson(ledger.update(key, LedgerLines.patch(body, Set.of(k.first(), k.second())))));
                });

        router.post("/api/ledger/{spotId}/{eraId}/fail").tag(TAG).summary("Mark a ledger entry as failed")
                .pathParam("spotId", "string", keyDoc).pathParam("eraId", "string", eraDoc)
                .request(objectOf("error", type("string")))
                .response(ref("LedgerEntry")).errors(400, 404, 409)
                .handle(ctx -> {
                    EntryKey key = pathKey(ctx);
                    ObjectNode body = Requests.jsonObject(ctx);
                    onlyFields(body, Set.of("error"));
                    ctx.json(ledger.toJson(ledger.markFailed(key, string(body, "error"))));
                });

        router.post("/api/projects/{id}/ledger/mirror").tag(TAG).summary("Mirror a project's segments into the ledger")
                .description("Writes one entry per segment (" + k.first() + " `scene-<sceneId>`, " + k.second()
                        + " `segment-<sequenceIndex>`; status complete/approved → ready, failed → failed, generating → "
                        + "generating, else pending; localPath = output_video_path) and removes entries of segments that "
                        + "are gone. `follow` (default true) keeps mirroring the project's later catalog changes; false stops.")
                .request(Json.object().put("type", "object").set("properties", Json.object().set("follow", type("boolean"))))
                .response(objectOf("project_id", type("integer"), "segments", type("integer"), "added", type("integer"),
                        "updated", type("integer"), "removed", type("integer"), "following", type("boolean")))
                .errors(400, 404, 409)
                .handle(ctx -> {
                    long project = Requests.pathId(ctx, "id");
                    ObjectNode body = Requests.jsonObject(ctx, true);
                    onlyFields(body, Set.of("follow"));
                    boolean follow = true;
                    if (body.has("follow")) {
                        if (!body.get("follow").isBoolean()) throw InvalidInput.field("follow", "must be true or false");
                        follow = body.get("follow").booleanValue();
                    }
                    LedgerService.MirrorResult r = ledger.mirrorCatalog(project, follow);
                    ctx.json(Json.object().put("project_id", r.projectId()).put("segments", r.segments())
                            .put("added", r.added()).put("updated", r.updated()).put("removed", r.removed())
                            .put("following", r.following()));
                });
    }

    private EntryKey pathKey(Context ctx) {
        LedgerKeys k = ledger.keys();
        return EntryKey.of(k, pathParam(ctx, "spotId", k.first()), pathParam(ctx, "eraId", k.second()));
    }

    /** Javalin decodes path parameters; an undecodable one is reported under the key's name. */
    private static String pathParam(Context ctx, String param, String field) {
        try {
            return ctx.pathParam(param);
        } catch (IllegalArgumentException e) {
            throw InvalidInput.field(field, "is not a valid URL path segment");
        }
    }

    static ObjectNode entrySchema(LedgerKeys k) {
        ObjectNode s = objectOf(
                k.first(), Json.object().put("type", "string").put("minLength", 1).put("maxLength", EntryKey.MAX_LENGTH),
                k.second(), Json.object().put("type", "string").put("minLength", 1).put("maxLength", EntryKey.MAX_LENGTH),
                "prompt", nullable("string"),
                "localPath", nullable("string"),
                "status", statusSchema(),
                "createdAt", Json.object().put("type", "string").put("format", "date-time"),
                "completedAt", Json.object().<ObjectNode>set("type", Json.MAPPER.createArrayNode().add("string").add("null")).put("format", "date-time"),
                "error", nullable("string"));
        ((ObjectNode) s.get("properties")).set(LedgerEntry.CATALOG_FIELD, objectOf("projectId", type("integer"),
                "sceneId", type("integer"), "segmentId", type("integer"))
                .put("description", "Set on entries mirrored from a catalog segment"));
        s.put("description", "One generated video. The two key fields are named by the server's ledger key "
                + "configuration (default spotId/eraId). Other fields added to the file by hand are kept and shown.");
        s.put("additionalProperties", true);
        return s;
    }

    static ObjectNode inputSchema() {
        ObjectNode s = Json.object().put("type", "object").put("additionalProperties", false);
        ObjectNode props = s.putObject("properties");
        props.set("prompt", Json.object().put("type", "string").put("minLength", 1).put("maxLength", LedgerService.MAX_PROMPT));
        props.set("status", statusSchema());
        props.set("localPath", nullable("string"));
        props.set("error", nullable("string").put("description", "only with status failed"));
        s.putArray("required").add("prompt");
        return s;
    }

    static ObjectNode patchSchema() {
        ObjectNode s = Json.object().put("type", "object").put("additionalProperties", false)
                .put("description", "The fields to change; the others are kept. null clears localPath or error.");
        ObjectNode props = s.putObject("properties");
        props.set("prompt", Json.object().put("type", "string").put("minLength", 1).put("maxLength", LedgerService.MAX_PROMPT));
        props.set("status", statusSchema());
        props.set("localPath", nullable("string"));
        props.set("error", nullable("string").put("description", "only on an entry that ends up failed"));
        return s;
    }

    private static ObjectNode statusSchema() {
        ObjectNode s = Json.object().put("type", "string");
        ArrayNode values = s.putArray("enum");
        for (LedgerStatus st : LedgerStatus.values()) values.add(st.value());
        return s;
    }

    private static ObjectNode nullable(String t) {
        return Json.object().set("type", Json.MAPPER.createArrayNode().add(t).add("null"));
    }

    private static void onlyFields(ObjectNode body, Set<String> allowed) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                boolean managed = Set.of("createdAt", "completedAt", LedgerEntry.CATALOG_FIELD).contains(name);
                throw InvalidInput.field(name, managed ? "is set by the server" : "is not a field here (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static void sameKey(ObjectNode body, String field, String fromPath) {
        JsonNode v = body.get(field);
        if (v != null && !(v.isTextual() && v.asText().equals(fromPath))) {
            throw InvalidInput.field(field, "must match the path ('" + fromPath + "') when given");
        }
    }

    private static String string(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) throw InvalidInput.field(field, "is required");
        if (!v.isTextual()) throw InvalidInput.field(field, "must be a string");
        return v.asText();
    }

    private static String optionalString(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw InvalidInput.field(field, "must be a string or null");
        return v.asText();
    }
}
