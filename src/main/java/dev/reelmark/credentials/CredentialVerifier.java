package dev.reelmark.credentials;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.media.Mp4Boxes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Reads the C2PA manifest embedded in an MP4/MOV, or for any other file its sidecar store {@code FILE.c2pa}, and
 * checks it: the claim's assertion hashes, the COSE signature against the signer's certificate, and the hard binding
 * against the bytes (the BMFF hash, or the data hash over the whole file). Reads manifests from other tools too; a hard
 * binding with exclusions other than the defaults is reported as not checked rather than guessed.
 */
public final class CredentialVerifier {
    private static final Set<String> DEFAULT_EXCLUSIONS = Set.of("/uuid", "/ftyp", "/mfra", "/free", "/skip");

    private CredentialVerifier() {
    }

    /** Who signed: the certificate's subject and issuer, and whether it is Reelmark's untrusted development signer. */
    public record Signer(@JsonProperty("subject") String subject, @JsonProperty("issuer") String issuer,
                         @JsonProperty("not_after") String notAfter,
                         @JsonProperty("development_certificate") boolean developmentCertificate) {
    }

    /** The Reelmark assertion's receipt, when the manifest has one. */
    public record ReceiptClaim(@JsonProperty("segment_id") Long segmentId, @JsonProperty("receipt_id") Long receiptId,
                               @JsonProperty("inputs_hash") String inputsHash) {
    }

    /**
     * One file's credential: {@code has_manifest}; {@code hash_matches} (the bytes are those that were signed; null
     * when not checkable), {@code signature_valid}, {@code assertions_match}; {@code valid} = all three; the signer,
     * the claim generator, the digital source type, the receipt; {@code sidecar} is the {@code .c2pa} file the
     * manifest was read from (null when embedded or absent); {@code problems} says what failed.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Report(@JsonProperty("file") String file, @JsonProperty("has_manifest") boolean hasManifest,
                         @JsonProperty("manifest_label") String manifestLabel,
                         @JsonProperty("claim_generator") String claimGenerator,
                         @JsonProperty("digital_source_type") String digitalSourceType,
                         @JsonProperty("hash_matches") Boolean hashMatches,
                         @JsonProperty("signature_valid") Boolean signatureValid,
                         @JsonProperty("assertions_match") Boolean assertionsMatch,
                         @JsonProperty("valid") boolean valid,
                         @JsonProperty("signer") Signer signer,
                         @JsonProperty("receipt") ReceiptClaim receipt,
                         @JsonProperty("sidecar") String sidecar,
                         @JsonProperty("problems") List<String> problems) {
    }

    /** Whether a file is an ISO BMFF file (MP4/MOV/M4V): its first box is {@code ftyp}. */
    public static boolean isBmff(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (ch.size() < 12) return false;
            ByteBuffer b = ByteBuffer.allocate(8);
            Mp4Boxes.readFully(ch, b, 0);
            return new String(b.array(), 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("ftyp");
        }
    }

    /** Reads and checks the manifest of {@code file}: embedded in an MP4/MOV, else in the sidecar beside it. */
    public static Report verify(Path file) throws IOException {
        if (!isBmff(file)) return verifySidecar(file);
        List<String> problems = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            List<Mp4Boxes.Box> boxes;
            try {
                boxes = Mp4Boxes.topLevel(ch);
            } catch (Mp4Boxes.Unsupported e) {
                return none(file, "the box structure is broken: " + e.getMessage());
            }
            Mp4Boxes.Box c2pa = null;
            for (Mp4Boxes.Box b : boxes) {
                if (b.type().equals("uuid") && BmffHash.excluded(ch, b)) {
                    if (c2pa != null) return none(file, "more than one C2PA manifest box");
                    c2pa = b;
                }
            }
            if (c2pa == null) return none(file, "no C2PA manifest");
            if (c2pa.size() > 64L << 20) return none(file, "C2PA box larger than 64 MiB");
            byte[] raw = new byte[(int) c2pa.size()];
            Mp4Boxes.readFully(ch, ByteBuffer.wrap(raw), c2pa.offset());
            int p = c2pa.headerLength() + 16 + 4;
            int z = p;
            while (z < raw.length && raw[z] != 0) z++;
            String purpose = new String(raw, p, z - p, java.nio.charset.StandardCharsets.US_ASCII);
            if (!purpose.equals("manifest")) return none(file, "C2PA box with purpose '" + purpose + "'");
            int storeAt = z + 1 + 8;
            Jumbf.Super store;
            try {
                store = Jumbf.parse(raw, storeAt, raw.length);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                return none(file, "the manifest store is malformed: " + e.getMessage());
            }
            if (!store.is(Jumbf.STORE) || store.children().isEmpty()) return none(file, "the C2PA box holds no manifest");
            Jumbf.Super manifest = store.children().get(store.children().size() - 1); // the active manifest is the last
            return check(file, null, manifest, problems);
        }
    }

    /** The sidecar store {@code FILE.c2pa} beside a file that does not embed one. */
    private static Report verifySidecar(Path file) throws IOException {
        Path sidecar = SidecarStore.of(file);
        byte[] raw = SidecarStore.read(sidecar);
        if (raw == null) return none(file, "no C2PA manifest (no sidecar " + sidecar.getFileName() + " beside it)");
        Jumbf.Super store;
        try {
            store = Jumbf.parse(raw, 0, raw.length);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return none(file, "the sidecar manifest store " + sidecar.getFileName() + " is malformed: " + e.getMessage());
        }
        if (!store.is(Jumbf.STORE) || store.children().isEmpty()) return none(file, sidecar.getFileName() + " holds no C2PA manifest");
        return check(file, sidecar, store.children().get(store.children().size() - 1), new ArrayList<>());
    }

    private static Report check(Path file, Path sidecar, Jumbf.Super manifest, List<String> problems) throws IOException {
        String sidecarName = sidecar == null ? null : sidecar.toString();
        Jumbf.Super assertions = manifest.child("c2pa.assertions");
        Jumbf.Super claimBox = null;
        for (Jumbf.Super c : manifest.children()) if (c.is(Jumbf.CLAIM)) claimBox = c;
        Jumbf.Super sigBox = manifest.child(Manifest.SIGNATURE);
        if (assertions == null || claimBox == null || sigBox == null || claimBox.content("cbor") == null || sigBox.content("cbor") == null) {
            problems.add("the manifest lacks its assertions, claim or signature");
            return new Report(file.toString(), true, manifest.label(), null, null, null, null, null, false, null, null, sidecarName, problems);
        }
        byte[] claimCbor = claimBox.content("cbor");
        JsonNode claim = Cose.decode(claimCbor);
        String generator = generator(claim);

        // assertion hashes
        boolean assertionsMatch = true;
        JsonNode refs = claim.has("created_assertions") ? claim.get("created_assertions") : claim.get("assertions");
        List<JsonNode> gathered = new ArrayList<>();
        if (refs != null) refs.forEach(gathered::add);
        if (claim.has("gathered_assertions")) claim.get("gathered_assertions").forEach(gathered::add);
        for (JsonNode ref : gathered) {
            String url = ref.path("url").asText();
            String label = url.substring(url.lastIndexOf('/') + 1);
            Jumbf.Super a = assertions.child(label);
            byte[] want = ref.get("hash") == null ? null : ref.get("hash").binaryValue();
            if (a == null || want == null || !MessageDigest.isEqual(want, BmffHash.sha256().digest(a.payload()))) {
                assertionsMatch = false;
                problems.add("assertion " + label + " does not match its hash in the claim");
            }
        }

        // signature
        Boolean signatureValid;
        Signer signer = null;
        try {
            Cose.Sign1 sign1 = Cose.parse(sigBox.content("cbor"));
            if (sign1.chain().isEmpty()) throw new IllegalArgumentException("the signature carries no certificate");
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            X509Certificate cert = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(sign1.chain().get(0)));
            String subject = cert.getSubjectX500Principal().getName();
            signer = new Signer(subject, cert.getIssuerX500Principal().getName(), cert.getNotAfter().toInstant().toString(),
                    subject.contains("Reelmark UNTRUSTED"));
            if (sign1.alg() == null || sign1.alg() != Cose.ALG_ES256) {
                signatureValid = null;
                problems.add("signature algorithm " + sign1.alg() + " is not checked here (only ES256)");
            } else {
                Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
                v.initVerify(cert.getPublicKey());
                v.update(Cose.toBeSigned(sign1.protectedHeader(), claimCbor));
                signatureValid = v.verify(sign1.signature());
                if (!signatureValid) problems.add("the claim signature does not verify with the signer's certificate");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            signatureValid = false;
            problems.add("the signature cannot be read: " + e.getMessage());
        }

        // hard binding
        Boolean hashMatches = null;
        Jumbf.Super binding = null;
        for (Jumbf.Super a : assertions.children()) {
            if (a.label().startsWith("c2pa.hash.bmff") || a.label().equals(Manifest.DATA_HASH)) binding = a;
        }
        if (binding == null) {
            problems.add("no hard binding (BMFF or data hash) in the manifest");
        } else if (binding.label().equals(Manifest.DATA_HASH)) {
            hashMatches = dataHash(file, Cose.decode(binding.content("cbor")), problems);
        } else {
            JsonNode h = Cose.decode(binding.content("cbor"));
            Set<String> xpaths = new java.util.HashSet<>();
            h.path("exclusions").forEach(e -> xpaths.add(e.path("xpath").asText()));
            boolean plain = !h.has("merkle") && "sha256".equals(h.path("alg").asText("sha256")) && h.has("hash");
            if (!plain || !xpaths.equals(DEFAULT_EXCLUSIONS) || binding.label().equals("c2pa.hash.bmff")) {
                problems.add("hash binding " + binding.label() + " with exclusions " + xpaths + " is not checked here");
            } else {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                    hashMatches = MessageDigest.isEqual(h.get("hash").binaryValue(), BmffHash.of(ch));
                } catch (Mp4Boxes.Unsupported e) {
                    hashMatches = false;
                }
                if (!hashMatches) problems.add("the file's bytes do not match the manifest's hash (changed after signing)");
            }
        }

        String sourceType = null;
        ReceiptClaim receipt = null;
        for (Jumbf.Super a : assertions.children()) {
            byte[] body = a.content("cbor");
            if (body == null) continue;
            if (a.label().startsWith("c2pa.actions")) {
                JsonNode first = Cose.decode(body).path("actions").path(0);
                if (first.has("digitalSourceType")) sourceType = first.get("digitalSourceType").asText();
            } else if (a.label().equals(Manifest.RECEIPT)) {
                JsonNode r = Cose.decode(body);
                receipt = new ReceiptClaim(r.hasNonNull("segment_id") ? r.get("segment_id").asLong() : null,
                        r.hasNonNull("receipt_id") ? r.get("receipt_id").asLong() : null, r.path("inputs_hash").asText(null));
            }
        }
        boolean valid = Boolean.TRUE.equals(hashMatches) && Boolean.TRUE.equals(signatureValid) && assertionsMatch;
        return new Report(file.toString(), true, manifest.label(), generator, sourceType, hashMatches, signatureValid,
                assertionsMatch, valid, signer, receipt, sidecarName, problems);
    }

    /**
     * {@code c2pa.hash.data} over the whole file (the binding of a sidecar store); one with exclusions (a store
     * embedded by another tool in a format we do not parse) is reported as not checked rather than guessed.
     */
    private static Boolean dataHash(Path file, JsonNode h, List<String> problems) throws IOException {
        if (h.path("exclusions").size() > 0 || !"sha256".equals(h.path("alg").asText("sha256")) || !h.has("hash")) {
            problems.add("data hash with exclusions or algorithm " + h.path("alg").asText() + " is not checked here");
            return null;
        }
        boolean ok = MessageDigest.isEqual(h.get("hash").binaryValue(), SidecarStore.sha256(file));
        if (!ok) problems.add("the file's bytes do not match the manifest's data hash (changed after signing)");
        return ok;
    }

    private static String generator(JsonNode claim) {
        JsonNode info = claim.get("claim_generator_info");
        if (info != null && info.isArray()) info = info.path(0);
        if (info != null && info.has("name")) {
            return info.get("name").asText() + (info.has("version") ? " " + info.get("version").asText() : "");
        }
        return claim.path("claim_generator").asText(null);
    }

    private static Report none(Path file, String why) {
        return new Report(file.toString(), false, null, null, null, null, null, null, false, null, null, null, List.of(why));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
