package dev.reelmark.sidecar;

import java.nio.file.Path;

/**
 * Signed copies of clips for an export with {@code "content_credentials": true}, from the credentials feature (wired
 * by the composition root): the packaged video is a copy carrying a C2PA manifest built from the segment's receipt.
 */
public interface ClipCredentials {
    /** Writes a signed copy of the segment's clip to {@code out}; a clip that cannot be signed throws, naming why. */
    void signedCopy(long segmentId, Path out);

    /** No credentials feature wired: asking for them is a 400. */
    ClipCredentials NONE = (segmentId, out) -> {
        throw dev.reelmark.http.ApiError.badField("content_credentials", "content credentials are not available in this server");
    };
}
