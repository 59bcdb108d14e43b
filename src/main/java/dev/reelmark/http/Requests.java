package dev.reelmark.http;

import dev.reelmark.json.Json;

import dev.reelmark.errors.InvalidInput;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/** Reads path, query and body input, turning anything malformed into a 400 that names the field. */
public final class Requests {
    private Requests() {
    }

    public static long pathId(Context ctx, String name) {
        return positiveLong(name, ctx.pathParam(name));
    }

    public static long positiveLong(String field, String raw) {
        try {
            long value = Long.parseLong(raw);
            if (value > 0) return value;
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw InvalidInput.field(field, "must be a positive integer, got '" + raw + "'");
    }

    public static Long queryLong(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return null;
        return positiveLong(name, raw.trim());
    }

    public static int queryInt(Context ctx, String name, int defaultValue, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return defaultValue;
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= min && value <= max) return value;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw InvalidInput.field(name, "must be an integer from " + min + " to " + max + ", got '" + raw + "'");
    }

    public static boolean queryBoolean(Context ctx, String name, boolean defaultValue) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return defaultValue;
        return switch (raw.trim().toLowerCase()) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw InvalidInput.field(name, "must be true or false, got '" + raw + "'");
        };
    }

    /** The body as a JSON object; an empty body counts as {} only when {@code emptyIsObject}. */
    public static ObjectNode jsonObject(Context ctx, boolean emptyIsObject) {
        String body = ctx.body();
        if (body.isBlank()) {
            if (emptyIsObject) return Json.object();
            throw new InvalidInput("bad_request", "body", "body: a JSON object is required");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new InvalidInput("malformed_json", "body", "body: malformed JSON" + where + ": " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidInput("bad_request", "body", "body: must be a JSON object");
        }
        return (ObjectNode) node;
    }

    public static ObjectNode jsonObject(Context ctx) {
        return jsonObject(ctx, false);
    }
}
