package dev.reelmark.tagging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A content fingerprint: SHA-256 over the size, the first 64 KiB and the last 64 KiB, as 32 hex digits. It does not
 * depend on the name or location, so a renamed or moved file is still recognised, and costs two reads whatever the
 * file's size. Rewriting the metadata changes it (the container's header moves), which is why an operation item
 * records the fingerprint before and after.
 */
public final class Fingerprint {
    static final int CHUNK = 64 * 1024;

    private Fingerprint() {
    }

    public static String of(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(CHUNK);
            read(ch, head, 0);
            ByteBuffer tail = null;
            if (size > CHUNK) {
                tail = ByteBuffer.allocate(CHUNK);
                read(ch, tail, Math.max(CHUNK, size - CHUNK));
                tail.flip();
            }
            return of(size, head.flip(), tail);
        }
    }

    /** The fingerprint from the size, the first bytes (up to CHUNK) and the last (from max(CHUNK, size - CHUNK); null when size <= CHUNK). */
    static String of(long size, ByteBuffer head, ByteBuffer tail) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md.update(ByteBuffer.allocate(8).putLong(size).flip());
        md.update(head.duplicate());
        if (size > CHUNK && tail != null) md.update(tail.duplicate());
        return HexFormat.of().formatHex(md.digest(), 0, 16);
    }

    private static void read(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) break;
            pos += n;
        }
    }
}
