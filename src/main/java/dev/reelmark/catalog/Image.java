package dev.reelmark.catalog;

import java.time.Instant;

/** A character's image (a source image or one derived from it), a version in its chain. */
public record Image(long id, long characterId, String imageType, Long sourceImageId, String filename, String path,
                    String contentHash, int versionNumber, Long previousVersionId, boolean currentVersion,
                    Instant createdAt, Instant updatedAt) {
    public boolean isSource() {
        return "source".equals(imageType);
    }
}
