package dev.reelmark.metadata;

import dev.reelmark.errors.InvalidInput;
import java.nio.file.Path;
import java.util.List;

/**
 * Signed clips for a delivery with {@code "content_credentials": true}, from the credentials feature (wired by the
 * composition root): every clip of the project, each with a C2PA manifest built from its receipt. A clip that cannot be
 * signed (no receipt, neither MP4/MOV nor Matroska/WebM) is a 409 naming it, so the package is never written
 * half-signed. A Matroska/WebM clip comes with its {@code .c2pa} sidecar store as one more file (the clip's name
 * with {@code .c2pa} appended).
 */
public interface DeliveryCredentials {
    /** One signed clip: {@code name} relative to the package's {@code clips/} folder. */
    record File(String name, Path source) {
    }

    /** Writes a signed copy of each of the project's clips under {@code scratch} and lists them. */
    List<File> sign(long projectId, Path scratch);

    /** No credentials feature wired: asking for them is a 400. */
    DeliveryCredentials NONE = (projectId, scratch) -> {
        throw InvalidInput.field("content_credentials", "content credentials are not available in this server");
    };
}
