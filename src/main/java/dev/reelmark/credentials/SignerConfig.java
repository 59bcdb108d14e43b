package dev.reelmark.credentials;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the signing key comes from: {@code REELMARK_C2PA_CERT} (PEM chain or PKCS#12) and {@code REELMARK_C2PA_KEY}
 * (PEM key; not needed with PKCS#12), the password in {@code REELMARK_C2PA_KEY_PASSWORD}; without them, the
 * development chain {@code reelmark credentials dev-cert} stored in the data directory. {@code REELMARK_C2PA_PROMPTS=off}
 * leaves prompts out of every manifest.
 */
public record SignerConfig(Path cert, Path key, String password, boolean includePrompts) {
    public static final String CERT_ENV = "REELMARK_C2PA_CERT";
    public static final String KEY_ENV = "REELMARK_C2PA_KEY";
    public static final String PASSWORD_ENV = "REELMARK_C2PA_KEY_PASSWORD";
    public static final String PROMPTS_ENV = "REELMARK_C2PA_PROMPTS";

    public static SignerConfig fromEnv(Map<String, String> env) {
        String cert = blankToNull(env.get(CERT_ENV));
        String key = blankToNull(env.get(KEY_ENV));
        String prompts = blankToNull(env.get(PROMPTS_ENV));
        boolean include = prompts == null || !(prompts.equalsIgnoreCase("off") || prompts.equalsIgnoreCase("false") || prompts.equals("0"));
        return new SignerConfig(cert == null ? null : Path.of(cert), key == null ? null : Path.of(key), env.get(PASSWORD_ENV), include);
    }

    public SignerConfig withPrompts(boolean include) {
        return new SignerConfig(cert, key, password, include);
    }

    /** The configured signer, else the development chain in {@code dataDir}; a clear error when there is neither. */
    public SigningKey load(Path dataDir) {
        char[] pw = password == null ? null : password.toCharArray();
        if (cert != null) {
            if (!Files.isReadable(cert)) throw new SigningKey.KeyProblem(CERT_ENV + " names " + cert + ", which cannot be read");
            if (key != null && !Files.isReadable(key)) throw new SigningKey.KeyProblem(KEY_ENV + " names " + key + ", which cannot be read");
            return SigningKey.load(cert, key, pw, cert.toString());
        }
        if (key != null) throw new SigningKey.KeyProblem(KEY_ENV + " is set but " + CERT_ENV + " is not: both are needed");
        Path chain = DevCert.chainIn(dataDir), devKey = DevCert.keyIn(dataDir);
        if (!Files.isRegularFile(chain) || !Files.isRegularFile(devKey)) {
            throw new SigningKey.KeyProblem("no signing key: set " + CERT_ENV + " and " + KEY_ENV
                    + ", or make an untrusted test chain with `reelmark credentials dev-cert`");
        }
        return SigningKey.load(chain, devKey, null, "development certificate (untrusted) in " + chain.getParent());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
