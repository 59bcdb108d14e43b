package dev.reelmark.sidecar;

import dev.reelmark.errors.InvalidInput;
import java.nio.file.Path;

/**
 * Signed copies of clips for an export with {@code "content_credentials": true}, from the credentials feature (wired
 * by the composition root): the packaged video is a copy carrying a C2PA manifest built from the segment's receipt,
 * embedded in an MP4/MOV or, for Matroska/WebM, in a {@code .c2pa} sidecar store that goes beside it.
 */
public interface ClipCredentials {
    /**
     * Writes a signed copy of the segment's clip to {@code out}; returns the sidecar store written beside it (null when
     * the manifest is embedded). A clip that cannot be signed throws, naming why.
     */
    Path signedClip(long segmentId, Path out);

    /** No credentials feature wired: asking for them is a 400. */
    ClipCredentials NONE = (segmentId, out) -> {
        throw InvalidInput.field("content_credentials", "content credentials are not available in this server");
    };
}
