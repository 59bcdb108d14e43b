package dev.reelmark.app;

import dev.reelmark.credentials.CredentialService;
import dev.reelmark.credentials.SignerConfig;
import dev.reelmark.dataset.SampleCredentials;
import dev.reelmark.metadata.DeliveryCredentials;
import dev.reelmark.sidecar.ClipCredentials;

import java.nio.file.Path;
import java.util.List;

/**
 * Signed clips for packages (metadata deliveries, sidecar exports with media, dataset exports with videos), from the
 * credentials feature, with the signer the environment configures. Deliveries carry a Matroska/WebM clip's
 * {@code .c2pa} sidecar store beside it, and so do sidecar exports; dataset exports take MP4/MOV only.
 */
final class CredentialDelivery implements DeliveryCredentials, ClipCredentials, SampleCredentials {
    private final CredentialService credentials;

    CredentialDelivery(CredentialService credentials) {
        this.credentials = credentials;
    }

    @Override
    public List<File> sign(long projectId, Path scratch) {
        return credentials.signProject(projectId, scratch, SignerConfig.fromEnv(System.getenv())).stream()
                .map(c -> new File(c.name(), c.file())).toList();
    }

    @Override
    public Path signedClip(long segmentId, Path out) {
        String store = credentials.sign(segmentId, out, SignerConfig.fromEnv(System.getenv())).sidecar();
        return store == null ? null : Path.of(store);
    }

    @Override
    public Path signedCopy(long segmentId, Path out, boolean sidecarAllowed) {
        // WebDataset samples must all have the same members: there a Matroska/WebM clip is refused, not shipped without its store
        if (!sidecarAllowed) {
            credentials.signEmbedded(segmentId, out, SignerConfig.fromEnv(System.getenv()));
            return null;
        }
        return signedClip(segmentId, out);
    }
}
