package dev.reelmark.catalog;

import java.time.Instant;

/** A generative asset version (model, LoRA, workflow, custom node) in its chain. */
public record Asset(long id, String kind, String name, String versionLabel, int versionNumber, String checksumSha256,
                    String filePath, String description, boolean currentVersion, Long previousVersionId,
                    Instant createdAt, Instant updatedAt) {
}
