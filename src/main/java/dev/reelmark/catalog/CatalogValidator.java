package dev.reelmark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.json.Json;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a JSON body into column values, or fails with a 400 that names the first bad field. Nothing is written
 * before validation has passed, so a rejected request leaves no trace.
 */
final class CatalogValidator {
    private CatalogValidator() {
    }

    /** Values for an INSERT; absent optional fields are left to the column defaults. */
    static Map<String, Object> forCreate(EntityType type, ObjectNode body) {
        rejectUnknown(type, body, false, type.fields().stream().map(Field::name).toList());
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : type.writableOnCreate()) {
            JsonNode node = body.get(field.name());
            if (node == null || node.isNull()) {
                if (field.isRequired()) throw InvalidInput.field(field.name(), "is required");
                if (node != null && field.defaultValue() != null) throw notNull(field);
                if (node != null) values.put(field.name(), null);
                continue;
            }
            values.put(field.name(), convert(field, node));
        }
        return values;
    }

    /** A field with a default is never null; leaving it out means the default. */
    private static DomainException notNull(Field field) {
        return InvalidInput.field(field.name(), "must not be null (leave it out for the default, "
                + dev.reelmark.json.Json.write(field.defaultValue()) + ")");
    }

    /** Values for a partial UPDATE (PATCH): only the fields present in the body. */
    static Map<String, Object> forUpdate(EntityType type, ObjectNode body) {
        rejectUnknown(type, body, true, type.fields().stream().map(Field::name).toList());
        Map<String, Object> values = new LinkedHashMap<>();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            Field field = type.field(name).orElseThrow();
            JsonNode node = body.get(name);
            if (node.isNull()) {
                if (field.isRequired()) throw InvalidInput.field(name, "must not be null");
                if (field.defaultValue() != null) throw notNull(field);
                values.put(name, null);
            } else {
                values.put(name, convert(field, node));
            }
        }
        if (values.isEmpty()) throw new InvalidInput("bad_request", "body", "body: no field to update");
        return values;
    }

    /** Values for a subset of fields, e.g. the body of "create a new version". */
    static Map<String, Object> forSubset(EntityType type, ObjectNode body, Collection<String> allowed) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) throw InvalidInput.field(name, "is not accepted here; accepted: " + allowed);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : allowed) {
            Field field = type.field(name).orElseThrow();
            JsonNode node = body.get(name);
            if (node == null || node.isNull()) {
                if (field.isRequired()) throw InvalidInput.field(name, "is required");
                continue;
            }
            values.put(name, convert(field, node));
        }
        return values;
    }

    private static void rejectUnknown(EntityType type, ObjectNode body, boolean update, Collection<String> known) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.equals("id") || name.equals("created_at") || name.equals("updated_at")) {
                throw InvalidInput.field(name, "is set by the server");
            }
            if (!known.contains(name)) throw InvalidInput.field(name, "is not a field of " + type.label());
            Field field = type.field(name).orElseThrow();
            if (field.access() == Field.Access.SERVER) throw InvalidInput.field(name, "is set by the server");
            if (update && field.access() == Field.Access.CREATE_ONLY) {
                throw InvalidInput.field(name, "cannot be changed after creation");
            }
        }
    }

    static Object convert(Field field, JsonNode node) {
        String name = field.name();
        return switch (field.type()) {
            case TEXT -> text(field, node);
            case ENUM -> {
                String value = expectText(name, node);
                if (!field.enumValues().contains(value)) {
                    throw InvalidInput.field(name, "must be one of " + field.enumValues() + ", got '" + value + "'");
                }
                yield value;
            }
            case INTEGER -> {
                long value = integer(name, node);
                if ((field.min() != null && value < field.min()) || (field.max() != null && value > field.max())) {
                    throw InvalidInput.field(name, "must be from " + field.min().longValue() + " to " + field.max().longValue() + ", got " + value);
                }
                yield value;
            }
            case REF -> {
                long value = integer(name, node);
                if (value <= 0) throw InvalidInput.field(name, "must be a positive id, got " + value);
                yield value;
            }
            case NUMBER -> {
                if (!node.isNumber()) throw InvalidInput.field(name, "must be a number, got " + describe(node));
                double value = node.doubleValue();
                if (!Double.isFinite(value)) throw InvalidInput.field(name, "must be a finite number");
                if ((field.min() != null && value < field.min()) || (field.max() != null && value > field.max())) {
                    throw InvalidInput.field(name, "must be from " + field.min() + " to " + field.max() + ", got " + value);
                }
                yield value;
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) throw InvalidInput.field(name, "must be true or false, got " + describe(node));
                yield node.booleanValue();
            }
            case TEXT_LIST -> {
                if (!node.isArray()) throw InvalidInput.field(name, "must be an array of strings, got " + describe(node));
                for (int i = 0; i < node.size(); i++) {
                    JsonNode item = node.get(i);
                    if (!item.isTextual()) throw InvalidInput.field(name + "[" + i + "]", "must be a string, got " + describe(item));
                    checkText(name + "[" + i + "]", item.textValue(), 500);
                }
                yield Json.write(node);
            }
            case OBJECT -> {
                if (!node.isObject()) throw InvalidInput.field(name, "must be a JSON object, got " + describe(node));
                String json = Json.write(node);
                if (json.length() > 1_000_000) throw InvalidInput.field(name, "is larger than 1 MB");
                if (json.contains("\\u0000")) throw InvalidInput.field(name, "must not contain NUL characters");
                yield json;
            }
        };
    }

    private static String text(Field field, JsonNode node) {
        String value = expectText(field.name(), node);
        int max = field.maxLength() == null ? Field.DEFAULT_MAX_TEXT : field.maxLength();
        checkText(field.name(), value, max);
        if (field.isRequired() && value.isBlank()) throw InvalidInput.field(field.name(), "must not be blank");
        if (field.pattern() != null && !Pattern.matches(field.pattern(), value)) {
            throw InvalidInput.field(field.name(), "must match " + field.pattern() + ", got '" + abbreviate(value) + "'");
        }
        return value;
    }

    private static void checkText(String name, String value, int max) {
        if (value.indexOf('\0') >= 0) throw InvalidInput.field(name, "must not contain NUL characters");
        if (value.codePointCount(0, value.length()) > max) {
            throw InvalidInput.field(name, "must be at most " + max + " characters");
        }
    }

    private static String expectText(String name, JsonNode node) {
        if (!node.isTextual()) throw InvalidInput.field(name, "must be a string, got " + describe(node));
        return node.textValue();
    }

    private static long integer(String name, JsonNode node) {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw InvalidInput.field(name, "must be an integer, got " + describe(node));
        }
        return node.longValue();
    }

    private static String describe(JsonNode node) {
        String kind = node.getNodeType().name().toLowerCase();
        return node.isContainerNode() ? kind : kind + " " + abbreviate(node.toString());
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
