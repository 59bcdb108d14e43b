package dev.reelmark.app;

import dev.reelmark.credentials.CredentialVerifier;
import dev.reelmark.provenance.CredentialEvidence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/** Provenance import's credential evidence, from the credentials feature's verifier. */
final class ImportCredentials implements CredentialEvidence {
    @Override
    public Optional<Evidence> read(Path file) {
        try {
            if (!CredentialVerifier.isBmff(file)) return Optional.empty();
            CredentialVerifier.Report r = CredentialVerifier.verify(file);
            var s = r.signer();
            return Optional.of(new Evidence(r.hasManifest(), r.claimGenerator(), r.digitalSourceType(),
                    s == null ? null : s.subject(), s == null ? null : s.issuer(), s == null ? null : s.developmentCertificate(),
                    r.hashMatches(), r.signatureValid(), r.valid(), r.receipt() == null ? null : r.receipt().inputsHash(),
                    r.problems()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
