package dev.reelmark.catalog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.json.Json;

import java.util.List;

/** JSON Schemas (OpenAPI 3.1 dialect) of each entity, derived from the same fields the validator enforces. */
final class CatalogSchemas {
    private CatalogSchemas() {
    }

    /** The entity as the API returns it. */
    static ObjectNode entity(EntityType type) {
        ObjectNode schema = Json.object().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        ArrayNode required = schema.putArray("required");
        props.putObject("id").put("type", "integer");
        required.add("id");
        for (Field field : type.fields()) {
            props.set(field.name(), property(field, !field.isRequired() && field.access() != Field.Access.SERVER
                    || field.type() == FieldType.REF && !field.isRequired()));
            required.add(field.name());
        }
        props.putObject("created_at").put("type", "string").put("format", "date-time");
        props.putObject("updated_at").put("type", "string").put("format", "date-time");
        required.add("created_at").add("updated_at");
        return schema;
    }

    /** The body of a create request. */
    static ObjectNode create(EntityType type) {
        return input(type, type.writableOnCreate(), true);
    }

    /** The body of a PATCH request: any subset of the updatable fields. */
    static ObjectNode update(EntityType type) {
        return input(type, type.fields().stream().filter(f -> f.access() == Field.Access.READ_WRITE).toList(), false);
    }

    static ObjectNode subset(EntityType type, List<String> names) {
        return input(type, names.stream().map(n -> type.field(n).orElseThrow()).toList(), true);
    }

    private static ObjectNode input(EntityType type, List<Field> fields, boolean withRequired) {
        ObjectNode schema = Json.object().put("type", "object").put("additionalProperties", false);
        ObjectNode props = schema.putObject("properties");
        ArrayNode required = schema.putArray("required");
        for (Field field : fields) {
            // A field with a default (tags: [], status: pending) is never null: null would not mean "the default".
            props.set(field.name(), property(field, !field.isRequired() && field.defaultValue() == null));
            if (withRequired && field.isRequired()) required.add(field.name());
        }
        return schema;
    }

    private static ObjectNode property(Field field, boolean nullable) {
        ObjectNode p = Json.object();
        if (nullable) {
            p.putArray("type").add(field.type().jsonType).add("null");
        } else {
            p.put("type", field.type().jsonType);
        }
        switch (field.type()) {
            case ENUM -> {
                ArrayNode values = p.putArray("enum");
                field.enumValues().forEach(values::add);
                if (nullable) values.addNull();
            }
            case TEXT_LIST -> p.putObject("items").put("type", "string");
            case REF -> p.put("description", "id of a " + field.refLabel());
            case TEXT -> {
                if (field.maxLength() != null) p.put("maxLength", field.maxLength());
                if (field.pattern() != null) p.put("pattern", field.pattern());
            }
            default -> { }
        }
        if (field.min() != null && field.type() != FieldType.REF) p.put("minimum", field.min());
        if (field.max() != null && field.max() < Double.MAX_VALUE && field.max() < Integer.MAX_VALUE) p.put("maximum", field.max());
        if (field.defaultValue() != null) p.set("default", Json.MAPPER.valueToTree(field.defaultValue()));
        if (field.description() != null) p.put("description", field.description());
        return p;
    }
}
