package dev.reelmark.catalog;

import java.time.Instant;

/** A project: the studio's top-level container of characters, scene types and assets. */
public record Project(long id, String name, String description, Instant createdAt, Instant updatedAt) {
}
