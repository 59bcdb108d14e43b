package dev.reelmark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.json.Json;

/** Compares a validated request value with the value a row holds, as the row mapper reads it. */
final class CatalogValues {
    private CatalogValues() {
    }

    /** True when writing {@code value} (as {@link CatalogValidator} converts it) would leave the row as it is. */
    static boolean same(Field field, Object value, JsonNode existing) {
        boolean absent = existing == null || existing.isNull();
        if (value == null || absent) return value == null && absent;
        if (field.type().isJson()) return Json.parse(value.toString()).equals(existing);
        if (value instanceof Long l) return existing.isIntegralNumber() && existing.canConvertToLong() && existing.longValue() == l;
        if (value instanceof Double d) return existing.isNumber() && Double.compare(existing.doubleValue(), d) == 0;
        if (value instanceof Boolean b) return existing.isBoolean() && existing.booleanValue() == b;
        return existing.isTextual() && existing.textValue().equals(value.toString());
    }
}
