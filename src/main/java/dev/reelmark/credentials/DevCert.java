package dev.reelmark.credentials;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A local test chain for trying content credentials: a root CA and a signing certificate it issued, both named
 * UNTRUSTED, with what the C2PA certificate profile asks of a signer (P-256, key usage digitalSignature, extended key
 * usage documentSigning and emailProtection, not a CA, subject and authority key identifiers). Readers report it as
 * an untrusted signer, which is the truth. Stored under {@code DATA/credentials/}.
 */
public final class DevCert {
    public static final String DIR = "credentials";
    public static final String CHAIN = "dev-signer-chain.pem";
    public static final String KEY = "dev-signer-key.pem";
    public static final String ROOT = "dev-root-ca.pem";
    static final String SUBJECT = "CN=Reelmark UNTRUSTED development signer,O=Reelmark development (not trusted)";
    static final String ROOT_SUBJECT = "CN=Reelmark UNTRUSTED development root CA,O=Reelmark development (not trusted)";

    private DevCert() {
    }

    public record Made(Path chain, Path key, Path root, X509Certificate signer) {
    }

    public static Path chainIn(Path dataDir) {
        return dataDir.resolve(DIR).resolve(CHAIN);
    }

    public static Path keyIn(Path dataDir) {
        return dataDir.resolve(DIR).resolve(KEY);
    }

    /** Makes the chain and writes it (each file via a temp file and a rename; the key readable by its owner only). */
    public static Made make(Path dataDir, Instant now) {
        try {
            KeyPair rootKey = ecKey();
            KeyPair signerKey = ecKey();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X500Name rootName = new X500Name(ROOT_SUBJECT);
            X509v3CertificateBuilder rb = new JcaX509v3CertificateBuilder(rootName, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), rootName, rootKey.getPublic());
            rb.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            rb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            rb.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(rootKey.getPublic()));
            X509Certificate root = convert(rb.build(signer(rootKey)));

            X509v3CertificateBuilder sb = new JcaX509v3CertificateBuilder(root, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(365))), new X500Name(SUBJECT), signerKey.getPublic());
            sb.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            sb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            sb.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[]{
                    KeyPurposeId.getInstance(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.5.5.7.3.36")), // documentSigning
                    KeyPurposeId.id_kp_emailProtection}));
            sb.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(signerKey.getPublic()));
            sb.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(root));
            X509Certificate signer = convert(sb.build(signer(rootKey)));

            Path dir = dataDir.resolve(DIR);
            Files.createDirectories(dir);
            Path chain = dir.resolve(CHAIN), key = dir.resolve(KEY), rootFile = dir.resolve(ROOT);
            write(key, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(signerKey.getPrivate(), null)), true); // unencrypted PKCS#8
            write(chain, "# UNTRUSTED: a Reelmark development chain (signer, then its root); not for delivery\n"
                    + pem(signer) + pem(root), false);
            write(rootFile, "# UNTRUSTED: the Reelmark development root CA\n" + pem(root), false);
            return new Made(chain, key, rootFile, signer);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot make the development certificate: " + e.getMessage(), e);
        }
    }

    private static KeyPair ecKey() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom()).add(BigInteger.ONE);
    }

    private static ContentSigner signer(KeyPair k) throws org.bouncycastle.operator.OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate());
    }

    private static X509Certificate convert(X509CertificateHolder h) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(h);
    }

    private static String pem(Object o) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(o);
        }
        return s.toString();
    }

    private static void write(Path target, String text, boolean secret) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
        try {
            if (secret) {
                try {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
            }
            Files.writeString(temp, text, StandardCharsets.US_ASCII);
            Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
