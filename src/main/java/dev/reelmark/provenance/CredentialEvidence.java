package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.json.Json;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a C2PA manifest embedded in an imported file says, from the credentials feature (wired by the composition root):
 * evidence beside the ComfyUI graph, never a substitute for it. A manifest made by another tool is read the same way.
 */
public interface CredentialEvidence {
    /**
     * One file's manifest: who made the claim and who signed it, whether its hashes still match the bytes and its
     * signature verifies, and the Reelmark receipt's inputs hash when the manifest carries one.
     */
    record Evidence(boolean hasManifest, String claimGenerator, String digitalSourceType, String signer, String issuer,
                    Boolean developmentCertificate, Boolean hashMatches, Boolean signatureValid, boolean valid,
                    String inputsHash, List<String> problems) {
        public ObjectNode toJson() {
            ObjectNode o = Json.object().put("has_manifest", hasManifest);
            if (!hasManifest) return o;
            o.put("claim_generator", claimGenerator).put("digital_source_type", digitalSourceType).put("signer", signer)
                    .put("issuer", issuer).put("development_certificate", developmentCertificate)
                    .put("hash_matches", hashMatches).put("signature_valid", signatureValid).put("valid", valid)
                    .put("inputs_hash", inputsHash);
            problems.forEach(o.putArray("problems")::add);
            return o;
        }
    }

    /** The manifest of an MP4/MOV file (has_manifest false when it carries none); empty for any other file. */
    Optional<Evidence> read(Path file);

    /** No credentials feature wired: imports carry no credential evidence. */
    CredentialEvidence NONE = file -> Optional.empty();
}
