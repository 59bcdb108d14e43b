package dev.reelmark.dataset;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.json.Json;
import dev.reelmark.http.Requests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.reelmark.http.ApiRouter.arrayOf;
import static dev.reelmark.http.ApiRouter.objectOf;
import static dev.reelmark.http.ApiRouter.ref;
import static dev.reelmark.http.ApiRouter.type;

/** Training-dataset exports (tag {@code datasets}). */
public final class DatasetRoutes {
    private static final String TAG = "datasets";
    private final DatasetService datasets;

    public DatasetRoutes(DatasetService datasets) {
        this.datasets = datasets;
    }

    public void register(ApiRouter router) {
        router.schema("DatasetExport", exportSchema());
        router.schema("DatasetExportRequest", requestSchema());

        router.post("/api/projects/{id}/export-dataset").tag(TAG).summary("Package a training dataset (background job)")
                .description("Validates the filters and splits (train + validation + test must be 100; quality_threshold is 0..1), "
                        + "records the export as queued and starts a `" + DatasetExportJob.KIND + "` job (job_id; follow it with "
                        + "GET /api/jobs/{id}). The same config gives the same split; segments of one scene stay in one split. "
                        + "Only complete and approved segments with a readable video go in (include_unfinished: true for the rest), "
                        + "one sample per source file; a split left empty is a warning (warnings, and the job result).")
                .request(ref("DatasetExportRequest")).response(202, ref("DatasetExport")).errors(400, 404)
                .handle(ctx -> ctx.status(202).json(datasets.create(Requests.pathId(ctx, "id"), Requests.jsonObject(ctx, true))));
        router.get("/api/projects/{id}/datasets").tag(TAG).summary("List a project's dataset exports, newest first (without manifests)")
                .response(objectOf("items", arrayOf(ref("DatasetExport")), "total", type("integer"))).errors(400, 404)
                .handle(ctx -> {
                    List<DatasetExport> all = datasets.list(Requests.pathId(ctx, "id"));
                    ObjectNode page = Json.object();
                    page.set("items", Json.MAPPER.valueToTree(all));
                    page.put("total", all.size());
                    ctx.json(page);
                });
        router.get("/api/projects/{id}/datasets/{datasetId}").tag(TAG).summary("Read a dataset export with its manifest")
                .response(ref("DatasetExport")).errors(400, 404)
                .handle(ctx -> ctx.json(datasets.get(Requests.pathId(ctx, "id"), Requests.pathId(ctx, "datasetId"))));
        router.get("/api/projects/{id}/datasets/{datasetId}/download").tag(TAG).summary("Download a completed dataset ZIP")
                .description("A videofolder export's ZIP. A WebDataset export is a folder of shards: 409, fetch its files at .../files/{name}.")
                .produces("application/zip").errors(400, 404, 409)
                .handle(ctx -> {
                    Path zip = datasets.zip(Requests.pathId(ctx, "id"), Requests.pathId(ctx, "datasetId"));
                    ctx.contentType("application/zip").header("Content-Disposition", "attachment; filename=\"" + zip.getFileName() + "\"")
                            .header("Content-Length", Long.toString(Files.size(zip)));
                    ctx.result(Files.newInputStream(zip));
                });
        router.get("/api/projects/{id}/datasets/{datasetId}/files/{name}").tag(TAG).summary("Download one file of a completed WebDataset export")
                .description("A shard (`train-000000.tar`…), `manifest.json` (every shard with its split, sample count and size) or a wids "
                        + "shard index (`train.wids.json`). A shard URL list for `webdataset.WebDataset` is this route with each shard's name.")
                .produces("application/x-tar").errors(400, 404, 409)
                .handle(ctx -> {
                    Path file = datasets.file(Requests.pathId(ctx, "id"), Requests.pathId(ctx, "datasetId"), ctx.pathParam("name"));
                    String name = file.getFileName().toString();
                    ctx.contentType(name.endsWith(".tar") ? "application/x-tar" : "application/json")
                            .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                            .header("Content-Length", Long.toString(Files.size(file)));
                    ctx.result(Files.newInputStream(file));
                });
    }

    static ObjectNode exportSchema() {
        ObjectNode statusEnum = type("string");
        ArrayNode values = statusEnum.putArray("enum");
        List.of("queued", "running", "completed", "failed", "cancelled").forEach(values::add);
        return objectOf("id", type("integer"), "project_id", type("integer"), "name", type("string"),
                "config", ref("DatasetExportRequest"), "manifest", nullable("object"), "file_path", nullable("string"),
                "file_size_bytes", nullable("integer"), "sample_count", nullable("integer"), "failed_count", nullable("integer"),
                "status", statusEnum, "job_id", nullable("integer"), "error", nullable("string"),
                "completed_at", nullable("string"), "created_at", type("string"), "updated_at", type("string"),
                "warnings", arrayOf(objectOf("code", type("string"), "message", type("string")))
                        .put("description", "problems the export went on with, e.g. code empty_split; known once the samples are chosen"),
                "download", nullable("string"));
    }

    static ObjectNode requestSchema() {
        ObjectNode s = Json.object().put("type", "object").put("additionalProperties", false);
        ObjectNode p = s.putObject("properties");
        p.set("name", type("string").put("minLength", 1).put("maxLength", 200));
        p.set("quality_threshold", nullable("number").put("minimum", 0).put("maximum", 1));
        p.set("scene_types", arrayOf(type("string")).put("description", "scene type names of the project (default: all)"));
        p.set("character_ids", arrayOf(type("integer")).put("description", "default: all characters"));
        p.set("segment_ids", arrayOf(type("integer").put("minimum", 1)).put("minItems", 1).put("maxItems", DatasetConfig.MAX_SEGMENT_IDS)
                .put("description", "a selection of the project's segments (default: all); the other filters still apply to it"));
        ObjectNode pct = type("integer").put("minimum", 0).put("maximum", 100);
        p.set("splits", objectOf("train", pct, "validation", pct, "test", pct).put("description", "whole percentages summing to 100 (default 80/10/10)"));
        p.set("seed", type("integer").put("minimum", 0).put("maximum", Long.MAX_VALUE).put("description", "split seed (default 42)"));
        p.set("include_videos", type("boolean"));
        p.set("frame_images", type("boolean"));
        p.set("face_crops", type("boolean").put("description", "a square crop of the character's face per sample"
                + " (<split>/faces/<sample>.jpg; the whole frame, with face_crop.found false, when no face is found; default false)"));
        p.set("include_unfinished", type("boolean").put("description", "also segments that are not complete or approved "
                + "(pending, generating, failed, rejected); default false"));
        p.set("content_credentials", type("boolean").put("description", "package C2PA-signed copies of the videos (needs include_videos; "
                + "a sample whose clip cannot be signed is listed in the export's failures); default false"));
        ObjectNode format = type("string").put("description", "videofolder: one ZIP for Hugging Face's videofolder loader (default); "
                + "webdataset: POSIX tar shards per split with a manifest");
        ArrayNode formats = format.putArray("enum");
        DatasetFormat.NAMES.forEach(formats::add);
        p.set("format", format);
        p.set("shard_size_mb", type("integer").put("minimum", DatasetFormat.MIN_SHARD_MB).put("maximum", DatasetFormat.MAX_SHARD_MB)
                .put("description", "webdataset only: the most a shard holds, in MiB (default " + DatasetFormat.DEFAULT_SHARD_MB + "); a sample is never split"));
        return s;
    }

    private static ObjectNode nullable(String t) {
        return Json.object().set("type", Json.MAPPER.createArrayNode().add(t).add("null"));
    }
}
