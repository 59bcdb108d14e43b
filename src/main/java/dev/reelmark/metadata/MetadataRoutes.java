package dev.reelmark.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.http.ApiError;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.json.Json;
import dev.reelmark.http.Requests;
import dev.reelmark.jobs.JobService;
import io.javalin.http.Context;

import static dev.reelmark.http.ApiRouter.arrayOf;
import static dev.reelmark.http.ApiRouter.objectOf;
import static dev.reelmark.http.ApiRouter.ref;
import static dev.reelmark.http.ApiRouter.type;

/** The metadata endpoints (tag "metadata"): preview, regenerate, staleness, schemas and delivery. */import java.util.ArrayList;
import java.util.List;

public final class MetadataRoutes {
    private static final String TAG = "metadata";

    private final MetadataService metadata;
    private final MetadataDelivery delivery;
    private final JobService jobs;

    public MetadataRoutes(MetadataService metadata, MetadataDelivery delivery, JobService jobs) {
        this.metadata = metadata;
        this.delivery = delivery;
        this.jobs = jobs;
    }

    public void register(ApiRouter router) {
        MetadataSchemas schemas = metadata.schemas();
        router.schema("CharacterMetadata", schemaForOpenApi(schemas.document(MetadataSchemas.CHARACTER)));
        router.schema("VideoMetadata", schemaForOpenApi(schemas.document(MetadataSchemas.VIDEO)));
        router.schema("MetadataFile", generatedSchema());
        router.schema("MetadataStaleness", stalenessSchema());
        router.schema("MetadataDeliveryCheck", checkSchema());

        router.get("/api/characters/{id}/metadata").tag(TAG)
                .summary("Whether a character's character_metadata.json is current")
                .description("generated_at and source_updated_at of the written file (null when never written), the "
                        + "sources' current updated_at, and the reasons it is stale (empty when current): not_generated, "
                        + "source_changed, file_missing, file_modified, schema_version_changed, path_changed (written under older "
                        + "names: regenerating moves it), and for the segment videos "
                        + "and images it was built from (by content hash) media_changed, media_missing, media_unrecorded; "
                        + "media names each such file.")
                .response(ref("MetadataStaleness")).errors(400, 404)
                .handle(ctx -> ctx.json(metadata.staleness(MetadataService.CHARACTER, Requests.pathId(ctx, "id"))));
        router.get("/api/scenes/{id}/metadata").tag(TAG)
                .summary("Whether a scene's video_metadata.json is current")
                .description("Same answer as GET /api/characters/{id}/metadata, for the scene's video_metadata.json.")
                .response(ref("MetadataStaleness")).errors(400, 404)
                .handle(ctx -> ctx.json(metadata.staleness(MetadataService.SCENE, Requests.pathId(ctx, "id"))));
        router.get("/api/characters/{id}/metadata/preview").tag(TAG)
                .summary("Preview a character's character_metadata.json")
                .description("The file as it would be written now, pretty-printed; nothing is written.")
                .response(ref("CharacterMetadata")).errors(400, 404, 422)
                .handle(ctx -> pretty(ctx, metadata.characterMetadata(Requests.pathId(ctx, "id"))));
        router.get("/api/scenes/{id}/metadata/preview").tag(TAG)
                .summary("Preview a scene's video_metadata.json")
                .description("Technical info is measured with ffprobe on the segment videos; nothing is written.")
                .response(ref("VideoMetadata")).errors(400, 404, 422)
                .handle(ctx -> pretty(ctx, metadata.videoMetadata(Requests.pathId(ctx, "id"))));
        router.post("/api/characters/{id}/metadata/regenerate").tag(TAG)
                .summary("Write a character's character_metadata.json now")
                .response(ref("MetadataFile")).errors(400, 404, 422)
                .handle(ctx -> ctx.json(metadata.regenerateCharacter(Requests.pathId(ctx, "id"))));
        router.post("/api/scenes/{id}/metadata/regenerate").tag(TAG)
                .summary("Write a scene's video_metadata.json now")
                .response(ref("MetadataFile")).errors(400, 404, 422)
                .handle(ctx -> ctx.json(metadata.regenerateScene(Requests.pathId(ctx, "id"))));
        router.post("/api/projects/{id}/metadata/regenerate").tag(TAG)
                .summary("Regenerate every metadata file of a project (background job)")
                .description("Body {\"stale_only\": bool}. Queues a metadata.regenerate job; its result lists regenerated, "
                        + "skipped and failed entities with reasons. 422 when the project has no characters.")
                .request(optional(objectOf("stale_only", type("boolean"))))
                .response(202, ref("Job")).errors(400, 404, 422)
                .handle(ctx -> {
                    long id = Requests.pathId(ctx, "id");
                    ObjectNode body = Requests.jsonObject(ctx, true);
                    body.fieldNames().forEachRemaining(f -> {
                        if (!f.equals("stale_only")) throw InvalidInput.field(f, "unknown property");
                    });
                    JsonNode staleOnly = body.get("stale_only");
                    if (staleOnly != null && !staleOnly.isBoolean()) throw InvalidInput.field("stale_only", "must be true or false");
                    ctx.status(202).json(MetadataRegenerateJob.submit(jobs, id, staleOnly != null && staleOnly.booleanValue()));
                });
        router.get("/api/projects/{id}/metadata/stale").tag(TAG)
                .summary("Stale, missing or hand-edited metadata files of a project")
                .description("Grouped by file type. Reasons: not_generated, source_changed, file_missing, file_modified, "
                        + "schema_version_changed, path_changed, media_changed, media_missing, media_unrecorded.")
                .response(objectOf("project_id", type("integer"), "character_metadata", arrayOf(ref("MetadataStaleness")),
                        "video_metadata", arrayOf(ref("MetadataStaleness")), "stale_count", type("integer"),
                        "checked_count", type("integer")))
                .errors(400, 404)
                .handle(ctx -> ctx.json(metadata.staleReport(Requests.pathId(ctx, "id"))));
        router.get("/api/projects/{id}/metadata/delivery-check").tag(TAG)
                .summary("Which characters would block a delivery (missing or stale metadata)")
                .response(ref("MetadataDeliveryCheck")).errors(400, 404)
                .handle(ctx -> ctx.json(delivery.check(Requests.pathId(ctx, "id"))));
        router.post("/api/projects/{id}/metadata/deliver").tag(TAG)
                .summary("Package the project's metadata into a delivery folder or ZIP")
                .description("Body {\"format\": \"folder\"|\"zip\"}. Writes {character}/metadata.json and "
                        + "{character}/scenes/{scene}/video_metadata.json under <data>/deliveries/, and with \"sidecar_template_ids\" the VFX sidecars of every video under sidecars/ "
                        + "(with the videos at their data-directory paths unless include_media is false; server_paths makes the sidecars reference the videos on the server), and with \"content_credentials\": true a C2PA-signed copy of every clip under clips/ (409 naming a clip that cannot be signed). 422 metadata_not_ready "
                        + "lists the characters whose metadata is missing or stale (in \"characters\"); nothing is written then.")
                .request(optional(objectOf("format", Json.object().set("enum", Json.MAPPER.createArrayNode().add("folder").add("zip")),
                        "sidecar_template_ids", arrayOf(type("integer")), "include_media", type("boolean"), "server_paths", type("boolean"),
                        "content_credentials", type("boolean"))))
                .response(201, objectOf("project_id", type("integer"), "format", type("string"), "path", type("string"),
                        "files", arrayOf(type("string")), "bytes", type("integer"),
                        "download", type("string").put("description", "where to download the package (a folder comes as a ZIP)")))
                .errors(400, 404, 409, 422)
                .handle(this::deliver);
        router.get("/api/projects/{id}/metadata/deliveries/{name}").tag(TAG)
                .summary("Download a metadata delivery package (a ZIP; a folder delivery is sent zipped)")
                .pathParam("name", "string", "the package's file or folder name, as in the deliver answer's download")
                .produces("application/zip").errors(400, 404, 416)
                .handle(ctx -> {
                    long project = Requests.pathId(ctx, "id");
                    MetadataDelivery.Package pkg = delivery.find(project, ctx.pathParam("name"));
                    String file = pkg.path().getFileName() + (pkg.folder() ? ".zip" : "");
                    ctx.header("Content-Disposition", "attachment; filename*=UTF-8''"
                            + java.net.URLEncoder.encode(file, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
                    if (pkg.folder()) {
                        ctx.contentType("application/zip");
                        MetadataDelivery.zipFolder(pkg.path(), ctx.res().getOutputStream());
                    } else {
                        dev.reelmark.http.ByteRanges.serve(ctx, pkg.path(), "application/zip");
                    }
                });
        router.get("/api/schemas/{name}").tag(TAG)
                .summary("The JSON Schema (draft 2020-12) of a metadata file")
                .pathParam("name", "string", "character_metadata or video_metadata")
                .response(type("object")).errors(404)
                .handle(ctx -> {
                    JsonNode doc = schemas.document(ctx.pathParam("name"));
                    ctx.contentType("application/json").result(Json.PRETTY.writeValueAsString(doc));
                });
    }

    private void deliver(Context ctx) {
        long id = Requests.pathId(ctx, "id");
        ObjectNode body = Requests.jsonObject(ctx, true);
        body.fieldNames().forEachRemaining(f -> {
            if (!java.util.Set.of("format", "sidecar_template_ids", "include_media", "server_paths", "content_credentials").contains(f)) throw InvalidInput.field(f, "unknown property");
        });
        JsonNode format = body.get("format");
        if (format != null && !format.isTextual()) throw InvalidInput.field("format", "must be folder or zip");
        List<Long> templates = new ArrayList<>();
        JsonNode ids = body.get("sidecar_template_ids");
        if (ids != null && !ids.isNull()) {
            if (!ids.isArray()) throw InvalidInput.field("sidecar_template_ids", "must be an array of sidecar template ids");
            for (int i = 0; i < ids.size(); i++) {
                JsonNode n = ids.get(i);
                if (!n.isIntegralNumber() || n.longValue() <= 0) throw InvalidInput.field("sidecar_template_ids[" + i + "]", "must be a positive id");
                templates.add(n.longValue());
            }
        }
        boolean serverPaths = flag(body, "server_paths", false);
        // sidecars reference the videos: by default the package carries them, unless they stay on the server
        boolean includeMedia = flag(body, "include_media", !templates.isEmpty() && !serverPaths);
        if (!templates.isEmpty() && !includeMedia && !serverPaths) {
            throw InvalidInput.field("include_media", "sidecars reference the videos: include them (include_media) or reference them on the server (server_paths)");
        }
        boolean credentials = flag(body, "content_credentials", false);
        try {
            ctx.status(201).json(delivery.deliver(id, MetadataDelivery.Format.parse(format == null ? null : format.asText()), null,
                    templates, includeMedia, serverPaths, credentials));
        } catch (MetadataDelivery.NotReady e) {
            ObjectNode error = Json.MAPPER.valueToTree(ApiError.bodyOf(e));
            error.set("characters", Json.MAPPER.valueToTree(e.blocking()));
            ctx.status(422).json(error);
        }
    }

    private static boolean flag(ObjectNode body, String field, boolean otherwise) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return otherwise;
        if (!n.isBoolean()) throw InvalidInput.field(field, "must be true or false");
        return n.booleanValue();
    }

    private static void pretty(Context ctx, Object document) {
        ctx.contentType("application/json").result(MetadataService.render(document));
    }

    /** The file schema inside the OpenAPI document: $defs references rewritten to stay local. */
    private static JsonNode schemaForOpenApi(JsonNode doc) {
        ObjectNode copy = doc.deepCopy();
        copy.remove("$schema");
        copy.remove("$id");
        String text = copy.toString();
        if (copy.has("$defs")) {
            JsonNode defs = copy.remove("$defs");
            text = copy.toString();
            for (var it = defs.fields(); it.hasNext(); ) {
                var def = it.next();
                text = text.replace("{\"$ref\":\"#/$defs/" + def.getKey() + "\"}", def.getValue().toString());
            }
        }
        return Json.parse(text);
    }

    /** A body whose properties are all optional and nothing else is allowed. */
    private static ObjectNode optional(ObjectNode schema) {
        schema.remove("required");
        schema.put("additionalProperties", false);
        return schema;
    }

    private static ObjectNode generatedSchema() {
        return objectOf("status", type("string"), "entity_type", type("string"), "entity_id", type("integer"),
                "file_type", type("string"), "file_path", type("string"), "generated_at", type("string"),
                "source_updated_at", type("string"), "schema_version", type("string"), "file_hash", type("string"));
    }

    private static ObjectNode stalenessSchema() {
        ObjectNode nullableString = Json.object();
        nullableString.putArray("type").add("string").add("null");
        return objectOf("entity_type", type("string"), "entity_id", type("integer"), "name", type("string"),
                "file_type", type("string"), "file_path", nullableString, "generated_at", nullableString,
                "source_updated_at", nullableString, "current_updated_at", type("string"), "reasons", arrayOf(type("string")),
                "media", arrayOf(objectOf("reason", type("string"), "kind", type("string"), "id", type("integer"),
                        "path", type("string"), "recorded_sha256", type("string"), "current_sha256", nullableString,
                        "message", type("string"))));
    }

    private static ObjectNode checkSchema() {
        ObjectNode character = objectOf("character_id", type("integer"), "character_name", type("string"),
                "has_character_metadata", type("boolean"), "has_video_metadata", type("boolean"),
                "is_stale", type("boolean"), "problems", arrayOf(type("string")));
        return objectOf("project_id", type("integer"), "ready", type("boolean"), "characters", arrayOf(character));
    }
}
