package dev.reelmark.catalog;

import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.http.ByteRanges;
import dev.reelmark.http.Requests;
import dev.reelmark.jobs.JobService;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static dev.reelmark.http.ApiRouter.arrayOf;
import static dev.reelmark.http.ApiRouter.pageOf;
import static dev.reelmark.http.ApiRouter.ref;

/** CRUD and list endpoints for every catalog entity, plus version chains for assets and images. */
public final class CatalogRoutes {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final CatalogService catalog;
    private final SegmentMedia media;
    private final JobService jobs;

    private final SegmentLabels labels;

    public CatalogRoutes(CatalogService catalog, SegmentMedia media, JobService jobs) {
        // null services: a router built only for its document (tests of the OpenAPI schemas)
        this(catalog, media, jobs, catalog == null || media == null ? null : new SegmentLabels(catalog.reads(), media.roots()));
    }

    public CatalogRoutes(CatalogService catalog, SegmentMedia media, JobService jobs, SegmentLabels labels) {
        this.catalog = catalog;
        this.media = media;
        this.jobs = jobs;
        this.labels = labels;
    }

    public void register(ApiRouter router) {
        for (EntityType type : CatalogModel.ALL) {
            registerEntity(router, type);
        }
        registerVersions(router, CatalogModel.ASSETS, CatalogService.ASSET_VERSION_FIELDS);
        registerVersions(router, CatalogModel.IMAGES, CatalogService.IMAGE_VERSION_FIELDS);
        router.schema("SegmentMedia", segmentMediaSchema());
        router.get("/api/segments/{id}/media").tag("catalog")
                .summary("Technical info of the segment's video (ffprobe): resolution, fps, codec, duration, streams, tags")
                .response(ref("SegmentMedia")).errors(400, 404, 422)
                .handle(ctx -> ctx.json(media.technicalInfo(Requests.pathId(ctx, "id"))));
        router.get("/api/segments/{id}/video").tag("catalog")
                .summary("The segment's video file, with HTTP range requests (206 + Content-Range; 416 for a bad range)")
                .description("Content-Type follows the container (video/mp4, video/quicktime, video/x-matroska, video/webm…). "
                        + "The file is read from its real path inside the media roots. Browsers that cannot decode its codec "
                        + "(SegmentMedia.browser_playable false) play /video/proxy instead.")
                .produces("video/*").errors(400, 404, 416, 422)
                .handle(ctx -> {
                    var video = media.video(Requests.pathId(ctx, "id"));
                    ctx.header("Cache-Control", "no-cache");
                    ByteRanges.serve(ctx, video.file(), video.contentType());
                });
        router.get("/api/segments/{id}/video/proxy").tag("catalog")
                .summary("A copy of the segment's video that browsers play (H.264 MP4 or VP9 WebM), with range requests")
                .description("The file itself when browsers decode it already; otherwise a proxy made with ffmpeg on the "
                        + "first request (every frame at the source's timestamps) and kept for that content (SHA-256).")
                .produces("video/*").errors(400, 404, 416, 422)
                .handle(ctx -> {
                    var video = media.playable(Requests.pathId(ctx, "id"));
                    ctx.header("Cache-Control", "no-cache");
                    ByteRanges.serve(ctx, video.file(), video.contentType());
                });
        router.schema("SegmentLabel", segmentLabelSchema());
        router.get("/api/segment-labels").tag("catalog")
                .summary("What to call segments on screen: \"Chloé Martin — dance · seg 0\", with character and scene")
                .query("ids", "string", "comma-separated segment ids, at most " + SegmentLabels.MAX_IDS + "; unknown ids are left out")
                .response(ApiRouter.objectOf("items", arrayOf(ref("SegmentLabel")))).errors(400)
                .handle(ctx -> {
                    String raw = ctx.queryParam("ids");
                    java.util.List<Long> ids = new java.util.ArrayList<>();
                    if (raw != null && !raw.isBlank()) {
                        for (String part : raw.split(",")) ids.add(Requests.positiveLong("ids", part.strip()));
                    }
                    ctx.json(java.util.Map.of("items", labels.labels(ids)));
                });
        router.get("/api/characters/{id}/portrait").tag("catalog")
                .summary("The character's current source image (the file itself), to show next to its name")
                .produces("image/*").errors(400, 404)
                .handle(ctx -> {
                    long id = Requests.pathId(ctx, "id");
                    var file = labels.portrait(id).orElseThrow(() -> new NotFound("no_image", null,
                            "character " + id + " has no source image file inside the media roots"));
                    ctx.header("Cache-Control", "no-cache");
                    ByteRanges.serve(ctx, file, SegmentLabels.imageType(file));
                });
        router.post("/api/projects/{id}/thumbnails").tag("catalog")
                .summary("Start a background job that makes the thumbnail of every segment of the project")
                .response(202, ref("Job")).errors(400, 404)
                .handle(ctx -> {
                    long project = Requests.pathId(ctx, "id");
                    catalog.get(CatalogModel.PROJECTS, project);
                    ctx.status(202).json(jobs.submit(ThumbnailsJob.KIND,
                            dev.reelmark.json.Json.object().put("project_id", project)));
                });
        router.get("/api/segments/{id}/thumbnail").tag("catalog")
                .summary("A JPEG thumbnail of the segment's video, made by ffmpeg on first request")
                .produces("image/jpeg").errors(400, 404, 422)
                .handle(ctx -> {
                    var jpeg = media.thumbnail(Requests.pathId(ctx, "id"));
                    ctx.contentType("image/jpeg").header("Cache-Control", "max-age=60")
                            .result(java.nio.file.Files.readAllBytes(jpeg));
                });
    }

    private void registerEntity(ApiRouter router, EntityType type) {
        String name = type.schemaName();
        router.schema(name, CatalogSchemas.entity(type));
        router.schema(name + "Create", CatalogSchemas.create(type));
        router.schema(name + "Update", CatalogSchemas.update(type));

        var list = router.get(type.path()).tag("catalog").summary("List " + type.label() + " records in id order")
                .query("limit", "integer", "Page size, 1.." + MAX_LIMIT + " (default " + DEFAULT_LIMIT + ")")
                .query("after", "integer", "Return records with an id greater than this (use next_after of the previous page)");
        for (Field field : type.fields()) {
            if (field.filterable()) list.query(field.name(), field.type().jsonType, "Only records whose " + field.name() + " equals this");
        }
        list.response(pageOf(ref(name))).errors(400).handle(ctx -> listHandler(ctx, type));

        router.post(type.path()).tag("catalog").summary("Create a " + type.label())
                .request(ref(name + "Create")).response(201, ref(name)).errors(400, 409)
                .handle(ctx -> ctx.status(201).json(catalog.create(type, Requests.jsonObject(ctx))));
        router.get(type.path() + "/{id}").tag("catalog").summary("Read a " + type.label())
                .response(ref(name)).errors(400, 404)
                .handle(ctx -> ctx.json(catalog.get(type, Requests.pathId(ctx, "id"))));
        router.patch(type.path() + "/{id}").tag("catalog").summary("Change some fields of a " + type.label())
                .request(ref(name + "Update")).response(ref(name)).errors(400, 404, 409)
                .handle(ctx -> ctx.json(catalog.update(type, Requests.pathId(ctx, "id"), Requests.jsonObject(ctx))));
        var delete = router.delete(type.path() + "/{id}").tag("catalog").summary("Delete a " + type.label() + " and what it owns");
        if (type == CatalogModel.PROJECTS) {
            delete.query("confirm", "string", "The project's exact name: required when it owns characters "
                    + "(without it the answer is a 409 saying what would be deleted)");
        }
        delete.response(204, null).errors(400, 404, 409)
                .handle(ctx -> {
                    if (type == CatalogModel.PROJECTS) {
                        catalog.deleteProject(Requests.pathId(ctx, "id"), ctx.queryParam("confirm"));
                    } else {
                        catalog.delete(type, Requests.pathId(ctx, "id"));
                    }
                    ctx.status(204);
                });
    }

    private void registerVersions(ApiRouter router, EntityType type, java.util.List<String> fields) {
        String name = type.schemaName();
        router.schema(name + "NewVersion", CatalogSchemas.subset(type, fields));
        router.post(type.path() + "/{id}/versions").tag("catalog")
                .summary("Add a new version to this " + type.label() + "'s chain; it becomes the current one")
                .request(ref(name + "NewVersion")).response(201, ref(name)).errors(400, 404, 409)
                .handle(ctx -> ctx.status(201).json(catalog.createVersion(type, Requests.pathId(ctx, "id"), Requests.jsonObject(ctx))));
        router.get(type.path() + "/{id}/versions").tag("catalog")
                .summary("The version chain this " + type.label() + " belongs to, oldest first")
                .response(arrayOf(ref(name))).errors(400, 404)
                .handle(ctx -> ctx.json(catalog.versionHistory(type, Requests.pathId(ctx, "id"))));
    }

    private void listHandler(Context ctx, EntityType type) {
        Map<String, Object> filters = new LinkedHashMap<>();
        for (String param : ctx.queryParamMap().keySet()) {
            if (Set.of("limit", "after").contains(param)) continue;
            Field field = type.field(param).filter(Field::filterable)
                    .orElseThrow(() -> InvalidInput.field(param, "is not a filter of " + type.label() + " lists"));
            String raw = ctx.queryParam(param);
            filters.put(param, switch (field.type()) {
                case REF -> Requests.positiveLong(param, raw);
                case BOOLEAN -> Requests.queryBoolean(ctx, param, false);
                default -> CatalogValidator.convert(field, com.fasterxml.jackson.databind.node.TextNode.valueOf(raw));
            });
        }
        int limit = Requests.queryInt(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Long after = Requests.queryLong(ctx, "after");
        ctx.json(catalog.list(type, filters, limit, after));
    }


    /** The OpenAPI schema of {@link SegmentMedia#technicalInfo}. */
    private static com.fasterxml.jackson.databind.node.ObjectNode segmentMediaSchema() {
        var nullableString = dev.reelmark.json.Json.object();
        nullableString.putArray("type").add("string").add("null");
        var stream = ApiRouter.objectOf("index", ApiRouter.type("integer"), "codec_type", ApiRouter.type("string"),
                "codec_name", nullableString, "tags", ApiRouter.type("object").put("additionalProperties", true));
        return ApiRouter.objectOf(
                "segment_id", ApiRouter.type("integer"), "path", ApiRouter.type("string"),
                "container", ApiRouter.type("string"), "duration_seconds", ApiRouter.type("number"),
                "width", ApiRouter.type("integer"), "height", ApiRouter.type("integer"),
                "resolution", ApiRouter.type("string"), "codec", nullableString, "fps", ApiRouter.type("number"),
                "pixel_format", nullableString, "color_space", nullableString, "frame_count", ApiRouter.type("integer"),
                "size_bytes", ApiRouter.type("integer"), "bit_rate", ApiRouter.type("integer"),
                "streams", ApiRouter.arrayOf(stream),
                "tags", ApiRouter.type("object").set("additionalProperties", ApiRouter.type("string")),
                "content_type", ApiRouter.type("string").put("description", "what GET /api/segments/{id}/video answers with"),
                "browser_playable", ApiRouter.type("boolean").put("description",
                        "browsers play the file as it is; when false, play GET /api/segments/{id}/video/proxy"));
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode segmentLabelSchema() {
        return ApiRouter.objectOf("segment_id", ApiRouter.type("integer"), "label", ApiRouter.type("string").put("description",
                        "character — scene type · seg N"), "character_id", ApiRouter.type("integer"), "character_name", ApiRouter.type("string"),
                "scene_id", ApiRouter.type("integer"), "scene_name", ApiRouter.type("string"),
                "scene_type", dev.reelmark.json.Json.object().set("type", dev.reelmark.json.Json.MAPPER.createArrayNode().add("string").add("null")),
                "sequence_index", ApiRouter.type("integer"), "status", ApiRouter.type("string"), "has_video", ApiRouter.type("boolean"));
    }
}
