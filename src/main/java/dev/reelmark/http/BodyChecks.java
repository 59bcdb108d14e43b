package dev.reelmark.http;

import dev.reelmark.json.Json;

import dev.reelmark.errors.InvalidInput;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;

import java.util.Iterator;
import java.util.Map;

/**
 * Checks every request before its route sees it: no NUL bytes or lone surrogates in any string (path, query or
 * JSON body, keys included), and the body's values have the JSON types the route's request schema declares, so
 * {@code {"dry_run": null}} is a 400 naming {@code dry_run} rather than a default.
 */
final class BodyChecks {
    private final Map<String, JsonNode> schemas;

    BodyChecks(Map<String, JsonNode> schemas) {
        this.schemas = schemas;
    }

    void check(Context ctx, ApiRouter.Route route) {
        ctx.pathParamMap().forEach((name, value) -> checkString(name, value));
        ctx.queryParamMap().forEach((name, values) -> {
            checkString(name, name);
            values.forEach(v -> checkString(name, v));
        });
        String body = ctx.body();
        if (body.isBlank()) return;
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            return; // the route reports malformed JSON itself, with line and column
        }
        if (node == null) return;
        checkStrings("body", node);
        if (route.requestSchema() != null) checkType("", node, route.requestSchema(), 0);
    }

    private static void checkStrings(String path, JsonNode node) {
        if (node.isTextual()) {
            checkString(path, node.textValue());
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                String child = path.equals("body") ? e.getKey() : path + "." + e.getKey();
                checkString(child, e.getKey());
                checkStrings(child, e.getValue());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) checkStrings(path + "[" + i + "]", node.get(i));
        }
    }

    /** Refuses NUL characters and unpaired surrogates (which no file, database or tag can hold faithfully). */
    static void checkString(String field, String value) {
        if (value == null) return;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) throw InvalidInput.field(field, "must not contain NUL characters");
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw InvalidInput.field(field, "must not contain unpaired surrogate characters");
            }
            if (Character.isLowSurrogate(c)) throw InvalidInput.field(field, "must not contain unpaired surrogate characters");
        }
    }

    private void checkType(String path, JsonNode value, JsonNode schema, int depth) {
        if (schema == null || depth > 32) return;
        JsonNode resolved = resolve(schema);
        if (resolved == null) return;
        JsonNode type = resolved.get("type");
        String field = path.isEmpty() ? "body" : path;
        if (type != null) {
            if (!matches(value, type)) {
                throw InvalidInput.field(field, "must be " + describe(type) + ", got " + kind(value));
            }
        } else if (resolved.has("enum") && value.isNull() && !containsNull(resolved.get("enum"))) {
            throw InvalidInput.field(field, "must be one of " + resolved.get("enum") + ", got null");
        }
        if (value.isObject() && resolved.path("properties").isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                var e = it.next();
                JsonNode prop = resolved.get("properties").get(e.getKey());
                if (prop != null) checkType(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), prop, depth + 1);
            }
        } else if (value.isArray() && resolved.has("items")) {
            for (int i = 0; i < value.size(); i++) checkType(field + "[" + i + "]", value.get(i), resolved.get("items"), depth + 1);
        }
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode s = schema;
        for (int i = 0; i < 8 && s != null && s.has("$ref"); i++) {
            String ref = s.get("$ref").asText();
            String prefix = "#/components/schemas/";
            s = ref.startsWith(prefix) ? schemas.get(ref.substring(prefix.length())) : null;
        }
        return s;
    }

    private static boolean matches(JsonNode value, JsonNode type) {
        if (type.isTextual()) return matches(value, type.asText());
        if (type.isArray()) {
            for (JsonNode t : type) if (matches(value, t.asText())) return true;
            return false;
        }
        return true;
    }

    private static boolean matches(JsonNode value, String type) {
        return switch (type) {
            case "null" -> value.isNull();
            case "boolean" -> value.isBoolean();
            case "string" -> value.isTextual();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "number" -> value.isNumber();
            case "integer" -> value.isIntegralNumber()
                    || (value.isFloatingPointNumber() && value.asDouble() == Math.rint(value.asDouble())
                        && !Double.isInfinite(value.asDouble()));
            default -> true;
        };
    }

    private static boolean containsNull(JsonNode values) {
        for (JsonNode v : values) if (v.isNull()) return true;
        return false;
    }

    private static String describe(JsonNode type) {
        if (type.isTextual()) return article(type.asText());
        StringBuilder sb = new StringBuilder();
        for (JsonNode t : type) {
            if (!sb.isEmpty()) sb.append(" or ");
            sb.append(article(t.asText()));
        }
        return sb.toString();
    }

    private static String article(String type) {
        return switch (type) {
            case "null" -> "null";
            case "integer", "object", "array" -> "an " + type;
            default -> "a " + type;
        };
    }

    private static String kind(JsonNode value) {
        if (value.isNull()) return "null";
        if (value.isBoolean()) return "a boolean";
        if (value.isTextual()) return "a string";
        if (value.isIntegralNumber()) return "an integer";
        if (value.isNumber()) return "a number";
        if (value.isArray()) return "an array";
        if (value.isObject()) return "an object";
        return value.getNodeType().name().toLowerCase();
    }
}
