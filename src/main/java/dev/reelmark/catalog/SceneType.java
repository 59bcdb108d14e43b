package dev.reelmark.catalog;

import java.time.Instant;

/** A kind of scene within a project (e.g. "dance", "interview"). */
public record SceneType(long id, long projectId, String name, String description, Instant createdAt, Instant updatedAt) {
}
