package dev.reelmark.credentials;

import dev.reelmark.media.Mp4Boxes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Embeds a manifest store in an MP4/MOV as C2PA places it: a top-level {@code uuid} box (extended type
 * {@link BmffHash#C2PA_UUID}, version 0, purpose {@code manifest}, a 64-bit offset of the first auxiliary box, here 0)
 * right after {@code ftyp}, written by {@link Mp4Boxes} with the chunk offsets moved. The copy is laid out with a
 * placeholder store of the final length, hashed, and the signed store written over the placeholder.
 */
final class Embedder {
    private static final byte[] PURPOSE = "manifest\0".getBytes(StandardCharsets.US_ASCII);
    /** Header, extended type, version and flags, purpose, auxiliary-box offset: where the store starts. */
    static final int PREFIX = 8 + 16 + 4 + 9 + 8;

    private Embedder() {
    }

    static byte[] uuidBox(byte[] store) {
        ByteBuffer b = ByteBuffer.allocate(PREFIX + store.length);
        b.putInt(PREFIX + store.length).put("uuid".getBytes(StandardCharsets.ISO_8859_1)).put(BmffHash.C2PA_UUID)
                .putInt(0).put(PURPOSE).putLong(0).put(store);
        return b.array();
    }

    /** What was embedded: the BMFF hash the claim binds and the store's length. */
    record Embedded(byte[] hash, int storeLength, long fileLength) {
    }

    /** Writes {@code source} with a signed manifest to {@code temp} (any older C2PA manifest box is replaced). */
    static Embedded embed(Path source, Path temp, Manifest manifest, SigningKey key) throws IOException, Mp4Boxes.Unsupported {
        List<byte[]> chain = key.chainDer();
        byte[] placeholder = manifest.store(new byte[32], null, chain);
        Mp4Boxes.Inserted at = Mp4Boxes.writeWithBoxAfterFtyp(source, uuidBox(placeholder), BmffHash.C2PA_UUID, temp);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            byte[] hash = BmffHash.of(ch);
            byte[] store = manifest.store(hash, key, chain);
            if (store.length != placeholder.length) {
                throw new IllegalStateException("the signed manifest is " + store.length + " bytes, its placeholder " + placeholder.length);
            }
            ByteBuffer b = ByteBuffer.wrap(store);
            long pos = at.boxOffset() + PREFIX;
            while (b.hasRemaining()) pos += ch.write(b, pos);
            ch.force(true);
            return new Embedded(hash, store.length, at.fileLength());
        }
    }
}
