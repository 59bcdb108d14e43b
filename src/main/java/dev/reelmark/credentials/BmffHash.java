package dev.reelmark.credentials;

import dev.reelmark.media.Mp4Boxes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The C2PA hard binding of an MP4/MOV ({@code c2pa.hash.bmff.v2}): SHA-256 over every top-level box that is not
 * excluded, each preceded by its file offset as a big-endian 64-bit number (so boxes cannot be moved around).
 * Excluded, as c2pa-rs does by default: the C2PA {@code uuid} box (matched by its extended type at offset 8),
 * {@code ftyp}, {@code mfra}, {@code free} and {@code skip}.
 */
final class BmffHash {
    static final String LABEL = "c2pa.hash.bmff.v2";
    /** The C2PA extended type of the {@code uuid} box holding the manifest store. */
    static final byte[] C2PA_UUID = Jumbf.uuid("D8FEC3D61B0E483C92975828877EC481");
    private static final Set<String> EXCLUDED = Set.of("ftyp", "mfra", "free", "skip");
    private static final int CHUNK = 4 << 20;

    private BmffHash() {
    }

    /** The assertion's exclusion list, as written into the manifest. */
    static List<Map<String, Object>> exclusions() {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> uuid = new LinkedHashMap<>();
        uuid.put("xpath", "/uuid");
        uuid.put("data", List.of(Map.of("offset", 8, "value", C2PA_UUID.clone())));
        out.add(uuid);
        for (String t : List.of("ftyp", "mfra", "free", "skip")) out.add(Map.of("xpath", "/" + t));
        return out;
    }

    /** The hash of the file as it is now. */
    static byte[] of(FileChannel ch) throws IOException, Mp4Boxes.Unsupported {
        MessageDigest sha = sha256();
        ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
        ByteBuffer off = ByteBuffer.allocate(8);
        for (Mp4Boxes.Box b : Mp4Boxes.topLevel(ch)) {
            if (excluded(ch, b)) continue;
            off.clear();
            off.putLong(b.offset()).flip();
            sha.update(off);
            long pos = b.offset(), end = b.end();
            while (pos < end) {
                buf.clear();
                buf.limit((int) Math.min(CHUNK, end - pos));
                int n = ch.read(buf, pos);
                if (n < 0) throw new IOException("unexpected end of file");
                buf.flip();
                sha.update(buf);
                pos += n;
            }
        }
        return sha.digest();
    }

    /** Whether a top-level box is outside the hash: an excluded type, or the C2PA manifest box. */
    static boolean excluded(FileChannel ch, Mp4Boxes.Box b) throws IOException {
        if (EXCLUDED.contains(b.type())) return true;
        if (!b.type().equals("uuid") || b.size() < 8 + 16) return false;
        ByteBuffer x = ByteBuffer.allocate(16);
        Mp4Boxes.readFully(ch, x, b.offset() + 8);
        return java.util.Arrays.equals(x.array(), C2PA_UUID);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
