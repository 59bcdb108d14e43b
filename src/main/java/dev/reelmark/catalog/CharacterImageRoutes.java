package dev.reelmark.catalog;

import dev.reelmark.errors.InvalidInput;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.http.Requests;

import static dev.reelmark.http.ApiRouter.arrayOf;
import static dev.reelmark.http.ApiRouter.objectOf;
import static dev.reelmark.http.ApiRouter.ref;
import static dev.reelmark.http.ApiRouter.type;

/** Picking a character's source image from the media roots, or uploading one (the web UI's image forms). */
public final class CharacterImageRoutes {
    private final CharacterImageFiles files;

    public CharacterImageRoutes(CharacterImageFiles files) {
        this.files = files;
    }

    public void register(ApiRouter router) {
        router.schema("MediaImageFile", objectOf("path", type("string"), "size_bytes", type("integer")));
        router.get("/api/media/images").tag("catalog")
                .summary("Image files (PNG, JPEG, WebP) inside the media roots, to pick a source image from")
                .description("Paths are as a catalog row stores them (relative to the data directory when inside it),"
                        + " sorted; Reelmark's own thumbnails and backups are left out.")
                .query("q", "string", "only paths containing this (case-insensitive)")
                .query("limit", "integer", "at most this many, 1..500 (default 200)")
                .response(objectOf("items", arrayOf(ref("MediaImageFile")))).errors(400)
                .handle(ctx -> ctx.json(files.listJson(ctx.queryParam("q"), Requests.queryInt(ctx, "limit", 200, 1, 500))));
        router.post("/api/characters/{id}/images/upload").tag("catalog")
                .summary("Upload a source image of the character (base64 in JSON, at most 5 MB)")
                .description("Written to images/<character>/<filename> under the data directory (never over an existing"
                        + " file: 409), after checking that the bytes are the PNG, JPEG or WebP the name says; recorded"
                        + " as a current source image with its SHA-256 as content_hash.")
                .request(objectOf("filename", type("string"), "content_base64", type("string")))
                .response(201, ref("Image")).errors(400, 404, 409)
                .handle(ctx -> {
                    var body = Requests.jsonObject(ctx);
                    ctx.status(201).json(files.upload(Requests.pathId(ctx, "id"), text(body, "filename"), text(body, "content_base64")));
                });
    }

    private static String text(com.fasterxml.jackson.databind.node.ObjectNode body, String field) {
        var node = body.get(field);
        if (node == null || node.isNull()) return null;
        if (!node.isTextual()) throw InvalidInput.field(field, "must be a string");
        return node.asText();
    }
}
