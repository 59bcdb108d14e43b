package dev.reelmark.app;

import dev.reelmark.credentials.CredentialService;
import dev.reelmark.credentials.SignerConfig;
import dev.reelmark.metadata.DeliveryCredentials;

import java.nio.file.Path;
import java.util.List;

/** Metadata deliveries' signed clips, from the credentials feature, with the signer the environment configures. */
final class CredentialDelivery implements DeliveryCredentials {
    private final CredentialService credentials;

    CredentialDelivery(CredentialService credentials) {
        this.credentials = credentials;
    }

    @Override
    public List<File> sign(long projectId, Path scratch) {
        return credentials.signProject(projectId, scratch, SignerConfig.fromEnv(System.getenv())).stream()
                .map(c -> new File(c.name(), c.file())).toList();
    }
}
