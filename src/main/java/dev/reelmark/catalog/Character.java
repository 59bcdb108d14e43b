package dev.reelmark.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/** A character of a project, with the physical attributes its metadata file describes. */
public record Character(long id, long projectId, String name, String description, List<String> tags, String height,
                        String build, String hairColor, String eyeColor, ObjectNode customFields, Instant createdAt,
                        Instant updatedAt) {
    public Character {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
