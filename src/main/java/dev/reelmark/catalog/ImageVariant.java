package dev.reelmark.catalog;

import java.time.Instant;

/** A variant asked of a character's image (e.g. "clothed"), with its review status. */
public record ImageVariant(long id, long imageId, String variantType, String status, Instant createdAt, Instant updatedAt) {
}
