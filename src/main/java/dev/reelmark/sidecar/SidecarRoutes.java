package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.errors.Conflict;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.json.Json;
import dev.reelmark.http.Requests;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobService;
import dev.reelmark.jobs.JobStatus;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.reelmark.http.ApiRouter.arrayOf;
import static dev.reelmark.http.ApiRouter.objectOf;
import static dev.reelmark.http.ApiRouter.ref;
import static dev.reelmark.http.ApiRouter.type;

/** Sidecar templates (tag {@code sidecars}): CRUD, preview, the field catalogue, export jobs and their download. */
public final class SidecarRoutes {
    private static final String TAG = "sidecars";
    private final SidecarService sidecars;
    private final CatalogService catalog;
    private final JobService jobs;
    private final SidecarExportJob exportJob;

    public SidecarRoutes(SidecarService sidecars, CatalogService catalog, JobService jobs, SidecarExportJob exportJob) {
        this.sidecars = sidecars;
        this.catalog = catalog;
        this.jobs = jobs;
        this.exportJob = exportJob;
    }

    public void register(ApiRouter router) {
        router.schema("SidecarTemplate", templateSchema());
        router.schema("SidecarTemplateInput", inputSchema());
        router.schema("SidecarPreview", objectOf("file_name", type("string"), "format", type("string"),
                "content_type", type("string"), "content", type("string"), "segment_id", nullable("integer"), "sample", type("boolean")));

        router.get("/api/sidecar-templates").tag(TAG).summary("List sidecar templates (built-ins first, in id order)")
                .response(objectOf("items", arrayOf(ref("SidecarTemplate")), "total", type("integer")))
                .handle(ctx -> {
                    List<SidecarTemplate> all = sidecars.list();
                    ObjectNode page = Json.object();
                    page.set("items", Json.MAPPER.valueToTree(all));
                    page.put("total", all.size());
                    ctx.json(page);
                });
        router.post("/api/sidecar-templates").tag(TAG).summary("Create a custom sidecar template")
                .description("template_json is validated for the format; a 400 names the bad part (e.g. `template_json.fields[2]`, "
                        + "`template_json.root_element`). Formats: " + SidecarFormat.allValues() + ".")
                .request(ref("SidecarTemplateInput")).response(201, ref("SidecarTemplate")).errors(400, 409)
                .handle(ctx -> ctx.status(201).json(sidecars.create(Requests.jsonObject(ctx))));
        router.get("/api/sidecar-templates/{id}").tag(TAG).summary("Read a sidecar template")
                .response(ref("SidecarTemplate")).errors(400, 404)
                .handle(ctx -> ctx.json(sidecars.get(Requests.pathId(ctx, "id"))));
        router.put("/api/sidecar-templates/{id}").tag(TAG).summary("Change a custom sidecar template (the fields given)")
                .description("Built-in templates answer 409 (field is_builtin).")
                .request(ref("SidecarTemplateInput")).response(ref("SidecarTemplate")).errors(400, 404, 409)
                .handle(ctx -> ctx.json(sidecars.update(Requests.pathId(ctx, "id"), Requests.jsonObject(ctx))));
        router.delete("/api/sidecar-templates/{id}").tag(TAG).summary("Delete a custom sidecar template")
                .description("Built-in templates answer 409 (field is_builtin).")
                .response(204, null).errors(400, 404, 409)
                .handle(ctx -> {
                    sidecars.delete(Requests.pathId(ctx, "id"));
                    ctx.status(204);
                });
        router.get("/api/sidecar-templates/{id}/preview").tag(TAG).summary("Render a template against a sample clip or a segment")
                .query("segment_id", "integer", "render against this segment's video, quality and metrics (default: a built-in sample clip)")
                .response(ref("SidecarPreview")).errors(400, 404)
                .handle(ctx -> ctx.json(sidecars.preview(Requests.pathId(ctx, "id"), Requests.queryLong(ctx, "segment_id"))));
        router.post("/api/sidecar-templates/preview").tag(TAG).summary("Render an unsaved template (the editor's live preview)")
                .request(previewRequestSchema())
                .response(ref("SidecarPreview")).errors(400, 404)
                .handle(ctx -> ctx.json(sidecars.preview(Requests.jsonObject(ctx))));
        router.get("/api/sidecar-fields").tag(TAG).summary("The clip fields and frame columns templates may use, by format")
                .response(objectOf("formats", arrayOf(type("object")), "clip_fields", type("object"), "frame_columns", type("object")))
                .handle(ctx -> ctx.json(fieldCatalogue()));

        router.post("/api/projects/{id}/export-sidecars").tag(TAG).summary("Export sidecars of a project or character (background job)")
                .description("Queues a `" + SidecarExportJob.KIND + "` job; follow it with GET /api/jobs/{id} (progress counts videos). "
                        + "Its result names the folder and the ZIP; download with GET /api/sidecar-exports/{jobId}/download. "
                        + "`include_media` puts the videos in the ZIP at their data-directory paths, beside the template folders (the delivery package); "
                        + "`content_credentials` (with `include_media`) packages C2PA-signed copies of the videos instead, and fails naming every clip that cannot be signed.")
                .request(exportRequestSchema())
                .response(202, ref("Job")).errors(400, 404)
                .handle(ctx -> {
                    long project = Requests.pathId(ctx, "id");
                    catalog.reads().requireProject(project);
                    ObjectNode body = Requests.jsonObject(ctx);
                    if (body.has("project_id")) throw InvalidInput.field("project_id", "comes from the path");
                    ObjectNode params = body.deepCopy();
                    params.put("project_id", project);
                    ctx.status(202).json(jobs.submit(SidecarExportJob.KIND, params));
                });
        router.get("/api/sidecar-exports/{id}/download").tag(TAG).summary("Download a finished sidecar export as a ZIP")
                .produces("application/zip").errors(400, 404, 409)
                .handle(ctx -> {
                    long id = Requests.pathId(ctx, "id");
                    Job job = jobs.get(id);
                    if (!SidecarExportJob.KIND.equals(job.kind())) throw NotFound.of("sidecar export", id);
                    if (job.status() != JobStatus.COMPLETED) throw Conflict.of("status", "sidecar export " + id + " is " + job.status().value() + ", not completed");
                    Path zip = exportJob.zipOf(id);
                    if (!Files.isRegularFile(zip)) throw NotFound.of("sidecar export file", zip.getFileName());
                    ctx.contentType("application/zip").header("Content-Disposition", "attachment; filename=\"" + zip.getFileName() + "\"")
                            .header("Content-Length", Long.toString(Files.size(zip)));
                    InputStream in = Files.newInputStream(zip);
                    ctx.result(in);
                });
    }

    static ObjectNode previewRequestSchema() {
        ObjectNode s = objectOf("format", type("string"), "template_json", type("object")).put("additionalProperties", false);
        ((ObjectNode) s.get("properties")).set("segment_id", nullable("integer").put("description", "render against this segment (default: the sample clip)"));
        ((ObjectNode) s.get("properties")).set("name", type("string").put("description", "template name, used for per-export file names"));
        return s;
    }

    static ObjectNode exportRequestSchema() {
        ObjectNode s = Json.object().put("type", "object").put("additionalProperties", false);
        ObjectNode props = s.putObject("properties");
        props.set("template_ids", arrayOf(type("integer")).put("minItems", 1));
        props.set("character_id", nullable("integer").put("description", "only this character's segments"));
        props.set("include_media", type("boolean").put("description", "also put the videos in the ZIP at their data-directory paths"));
        props.set("content_credentials", type("boolean").put("description", "package C2PA-signed copies of the videos (needs include_media)"));
        props.set("server_paths", type("boolean").put("description", "reference the videos at their absolute paths on this server "
                + "(for media already there, e.g. Resolve's Clip Directory) instead of relative to the package root"));
        s.putArray("required").add("template_ids");
        return s;
    }

    static ObjectNode fieldCatalogue() {
        ObjectNode out = Json.object();
        ArrayNode formats = out.putArray("formats");
        for (SidecarFormat f : SidecarFormat.values()) {
            formats.addObject().put("format", f.value()).put("extension", f.extension()).put("granularity", f.granularity().name().toLowerCase())
                    .put("shape", switch (f) {
                        case XML -> "{\"root_element\": NAME, \"fields\": [clip field, ...]}";
                        case CSV -> "{\"columns\": [frame column, ...]}";
                        case CLIP_CSV, ALE -> "{\"columns\": [{\"header\": TEXT, \"field\": clip field}, ...]}";
                        case OTIO, NK -> "{\"fields\": [clip field, ...]}";
                    });
        }
        out.set("clip_fields", Json.MAPPER.valueToTree(TemplateSpec.CLIP_FIELDS));
        out.set("frame_columns", Json.MAPPER.valueToTree(TemplateSpec.FRAME_COLUMNS));
        return out;
    }

    static ObjectNode templateSchema() {
        ObjectNode formatEnum = type("string");
        ArrayNode values = formatEnum.putArray("enum");
        for (SidecarFormat f : SidecarFormat.values()) values.add(f.value());
        return objectOf("id", type("integer"), "name", type("string"), "description", nullable("string"), "format", formatEnum,
                "target_tool", nullable("string"), "template_json", type("object"), "is_builtin", type("boolean"),
                "created_at", type("string").put("format", "date-time"), "updated_at", type("string").put("format", "date-time"));
    }

    static ObjectNode inputSchema() {
        ObjectNode s = Json.object().put("type", "object").put("additionalProperties", false);
        ObjectNode props = s.putObject("properties");
        props.set("name", type("string").put("minLength", 1).put("maxLength", SidecarService.NAME_MAX));
        props.set("description", nullable("string"));
        ObjectNode formatEnum = type("string");
        ArrayNode values = formatEnum.putArray("enum");
        for (SidecarFormat f : SidecarFormat.values()) values.add(f.value());
        props.set("format", formatEnum);
        props.set("target_tool", nullable("string"));
        props.set("template_json", type("object"));
        return s;
    }

    private static ObjectNode nullable(String t) {
        return Json.object().set("type", Json.MAPPER.createArrayNode().add(t).add("null"));
    }
}
