package dev.reelmark.credentials;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The key and certificate chain that sign content credentials (ES256: an EC P-256 key), from a PKCS#12 file or PEM
 * files, read with Bouncy Castle. Refuses a key that cannot be read, a wrong password, a key that is not P-256 and a
 * certificate whose public key is not the key's; each message names the file and the cause.
 */
public final class SigningKey {
    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final String source;

    private SigningKey(PrivateKey key, List<X509Certificate> chain, String source) {
        this.key = key;
        this.chain = List.copyOf(chain);
        this.source = source;
    }

    /** Where the signer was read from (for reports): a path, or "development certificate (untrusted)". */
    public String source() {
        return source;
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    List<byte[]> chainDer() {
        List<byte[]> out = new ArrayList<>();
        try {
            for (X509Certificate c : chain) out.add(c.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** ES256 over {@code data}: the raw r || s form COSE wants. */
    byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new KeyProblem("cannot sign with the key from " + source + ": " + e.getMessage());
        }
    }

    /** The key or its certificate cannot be used; the message names the file and the cause. */
    public static final class KeyProblem extends RuntimeException {
        public KeyProblem(String message) {
            super(message);
        }
    }

    /**
     * Reads a signer: {@code cert} is a PKCS#12 file (.p12/.pfx, key and chain inside; {@code key} may be null) or a
     * PEM chain (end-entity first) with {@code key} a PEM private key (PKCS#8, SEC1, encrypted or not).
     */
    public static SigningKey load(Path cert, Path key, char[] password, String label) {
        String name = cert.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        SigningKey k = name.endsWith(".p12") || name.endsWith(".pfx") ? pkcs12(cert, password, label) : pem(cert, key, password, label);
        k.check();
        return k;
    }

    private static SigningKey pkcs12(Path file, char[] password, String label) {
        char[] pw = password == null ? new char[0] : password;
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
            for (String alias : Collections.list(ks.aliases())) {
                if (!ks.isKeyEntry(alias)) continue;
                PrivateKey k = (PrivateKey) ks.getKey(alias, pw);
                List<X509Certificate> chain = new ArrayList<>();
                Certificate[] certs = ks.getCertificateChain(alias);
                if (certs != null) for (Certificate c : certs) chain.add((X509Certificate) c);
                if (chain.isEmpty()) throw new KeyProblem("the PKCS#12 file " + file + " has no certificate for its key");
                return new SigningKey(k, chain, label);
            }
            throw new KeyProblem("the PKCS#12 file " + file + " holds no private key");
        } catch (IOException e) {
            boolean badPassword = e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase().contains("password");
            throw new KeyProblem(badPassword ? "wrong password for the PKCS#12 file " + file
                    : "cannot read the PKCS#12 file " + file + ": " + e.getMessage());
        } catch (java.security.UnrecoverableKeyException e) {
            throw new KeyProblem("wrong password for the key in " + file);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new KeyProblem("cannot read the PKCS#12 file " + file + ": " + e.getMessage());
        }
    }

    private static SigningKey pem(Path certFile, Path keyFile, char[] password, String label) {
        if (keyFile == null) throw new KeyProblem("a PEM certificate needs its key: set REELMARK_C2PA_KEY");
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(certFile, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof X509CertificateHolder h) chain.add(conv.getCertificate(h));
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new KeyProblem("cannot read the certificate file " + certFile + ": " + e.getMessage());
        }
        if (chain.isEmpty()) throw new KeyProblem("no PEM certificate in " + certFile);
        PrivateKey key;
        try (Reader r = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            key = toKey(p.readObject(), password, keyFile);
        } catch (KeyProblem e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new KeyProblem("cannot read the key file " + keyFile + ": " + e.getMessage());
        }
        return new SigningKey(key, chain, label);
    }

    private static PrivateKey toKey(Object o, char[] password, Path file) throws IOException {
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        try {
            if (o instanceof PrivateKeyInfo info) return conv.getPrivateKey(info);
            if (o instanceof PEMKeyPair pair) return conv.getKeyPair(pair).getPrivate();
            if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                if (password == null) throw new KeyProblem("the key " + file + " is encrypted: set its password in REELMARK_C2PA_KEY_PASSWORD");
                return conv.getPrivateKey(enc.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().build(password)));
            }
            if (o instanceof PEMEncryptedKeyPair enc) {
                if (password == null) throw new KeyProblem("the key " + file + " is encrypted: set its password in REELMARK_C2PA_KEY_PASSWORD");
                return conv.getKeyPair(enc.decryptKeyPair(new JcePEMDecryptorProviderBuilder().build(password))).getPrivate();
            }
        } catch (org.bouncycastle.pkcs.PKCSException | org.bouncycastle.operator.OperatorCreationException
                 | org.bouncycastle.openssl.EncryptionException e) {
            throw new KeyProblem("wrong password for the key " + file);
        }
        throw new KeyProblem("no PEM private key in " + file);
    }

    /** The key must be P-256 and the certificate's public key must be the key's: a test signature proves it. */
    private void check() {
        if (!(key instanceof ECPrivateKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new KeyProblem("the key from " + source + " is not an EC P-256 key (ES256 needs one)");
        }
        byte[] probe = "reelmark key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance("SHA256withECDSA");
            v.initVerify(chain.get(0).getPublicKey());
            v.update(probe);
            if (!v.verify(sig)) throw new KeyProblem("the certificate from " + source + " does not match its key");
        } catch (GeneralSecurityException e) {
            throw new KeyProblem("the certificate from " + source + " does not match its key: " + e.getMessage());
        }
    }
}
