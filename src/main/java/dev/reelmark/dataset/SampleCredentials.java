package dev.reelmark.dataset;

import java.nio.file.Path;

/**
 * Signed copies of sample videos for an export with {@code "content_credentials": true}, from the credentials feature
 * (wired by the composition root): the packaged video carries a C2PA manifest built from the segment's receipt.
 */
public interface SampleCredentials {
    /** Writes a signed copy of the segment's clip to {@code out}; a clip that cannot be signed throws, naming why. */
    void signedCopy(long segmentId, Path out);

    /** No credentials feature wired: every sample fails, saying so. */
    SampleCredentials NONE = (segmentId, out) -> {
        throw new IllegalStateException("content credentials are not available in this server");
    };
}
