package dev.reelmark.catalog;

import java.time.Instant;

/** A scene of a character: an ordered run of segments. */
public record Scene(long id, long characterId, long sceneTypeId, String name, String status, Instant createdAt,
                    Instant updatedAt) {
}
