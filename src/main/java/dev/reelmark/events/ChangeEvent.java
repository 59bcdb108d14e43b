package dev.reelmark.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * Something a screen shows has changed: the topic says which kind of screen cares, the entity and id what changed.
 * Carries no data of the entity; a screen that cares reads it again.
 *
 * @param topic  one of {@link #CATALOG}, {@link #METADATA}, {@link #STALENESS}, {@link #JOB}
 * @param entity the catalog table ("characters"), "scene"/"character" for metadata files, "segments" or "receipts"
 *               for staleness, "jobs"
 * @param id     the entity's id
 * @param action what happened: created, updated, deleted (catalog), written (metadata), recorded (receipts), or the
 *               job's status
 */
public record ChangeEvent(@JsonProperty("topic") String topic, @JsonProperty("entity") String entity,
                          @JsonProperty("id") long id, @JsonProperty("action") String action) {
    public static final String CATALOG = "catalog";
    public static final String METADATA = "metadata";
    public static final String STALENESS = "staleness";
    public static final String JOB = "job";

    public ChangeEvent {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(action, "action");
    }
}
