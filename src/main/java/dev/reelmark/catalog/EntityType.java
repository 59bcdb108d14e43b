package dev.reelmark.catalog;

import java.util.List;
import java.util.Optional;

/**
 * One catalog entity: its table, its URL segment and its fields. The generic repository, validator, routes and
 * OpenAPI schemas are all driven from this description, so the rules for one column live in one place.
 */
public record EntityType(String label, String table, String urlSegment, String schemaName, List<Field> fields,
                         List<ConsistencyRule> rules, boolean versioned) {

    public Optional<Field> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public String path() {
        return "/api/" + urlSegment;
    }

    List<Field> writableOnCreate() {
        return fields.stream().filter(f -> f.access() != Field.Access.SERVER).toList();
    }
}
