package dev.reelmark.dataset;

import java.nio.file.Path;

/**
 * Signed copies of sample videos for an export with {@code "content_credentials": true}, from the credentials feature
 * (wired by the composition root): the packaged video carries a C2PA manifest built from the segment's receipt.
 */
public interface SampleCredentials {
    /**
     * Writes a signed copy of the segment's clip to {@code out}; a clip that cannot be signed throws, naming why. With
     * {@code sidecarAllowed}, a clip whose container cannot embed a manifest (Matroska, WebM) is copied as it is and
     * its manifest store written beside it; the store's path is returned (null when the manifest is embedded).
     */
    Path signedCopy(long segmentId, Path out, boolean sidecarAllowed);

    /** No credentials feature wired: every sample fails, saying so. */
    SampleCredentials NONE = (segmentId, out, sidecarAllowed) -> {
        throw new IllegalStateException("content credentials are not available in this server");
    };
}
