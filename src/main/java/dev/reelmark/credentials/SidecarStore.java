package dev.reelmark.credentials;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;

/**
 * A C2PA manifest store beside a clip whose container has no place for one (Matroska, WebM): {@code FILE.c2pa} holds
 * the bare JUMBF store, and the claim binds the clip with {@code c2pa.hash.data} over every byte of FILE (no
 * exclusions), as C2PA binds external manifests. Any change to the clip's bytes breaks that hash.
 */
final class SidecarStore {
    static final String SUFFIX = ".c2pa";
    /** The EBML magic that starts every Matroska and WebM file. */
    private static final byte[] EBML = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3};
    private static final int MAX_STORE = 64 << 20;

    private SidecarStore() {
    }

    /** Where the sidecar store of {@code asset} lives: the same name with {@code .c2pa} appended. */
    static Path of(Path asset) {
        return asset.resolveSibling(asset.getFileName() + SUFFIX);
    }

    /**
     * "video/webm" or "video/x-matroska" for a file that starts with an EBML header (its DocType says which), else
     * null: the containers signed with a sidecar.
     */
    static String containerFormat(Path file) throws IOException {
        byte[] head = new byte[64];
        int n;
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n < 4 || !java.util.Arrays.equals(head, 0, 4, EBML, 0, 4)) return null;
        String start = new String(head, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        return start.contains("webm") ? "video/webm" : "video/x-matroska";
    }

    /** SHA-256 of every byte of the file: the data hash of a sidecar store. */
    static byte[] sha256(Path file) throws IOException {
        MessageDigest sha = BmffHash.sha256();
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[1 << 20];
            for (int r; (r = in.read(buf)) > 0; ) sha.update(buf, 0, r);
        }
        return sha.digest();
    }

    /** What was written: the data hash the claim binds, the store's length and the clip's. */
    record Written(byte[] hash, int storeLength, long fileLength) {
    }

    /** Copies {@code source} to {@code clipTemp}, hashes the copy, and writes its signed store to {@code storeTemp}. */
    static Written write(Path source, Path clipTemp, Path storeTemp, Manifest manifest, SigningKey key) throws IOException {
        Files.copy(source, clipTemp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] hash = sha256(clipTemp);
        List<byte[]> chain = key.chainDer();
        byte[] store = manifest.store(hash, key, chain);
        Files.write(storeTemp, store);
        return new Written(hash, store.length, Files.size(clipTemp));
    }

    /** The bytes of the sidecar store, or null when there is none; refused beyond 64 MiB. */
    static byte[] read(Path sidecar) throws IOException {
        if (!Files.isRegularFile(sidecar, LinkOption.NOFOLLOW_LINKS)) return null;
        if (Files.size(sidecar) > MAX_STORE) throw new IOException("sidecar manifest larger than 64 MiB: " + sidecar);
        return Files.readAllBytes(sidecar);
    }
}
