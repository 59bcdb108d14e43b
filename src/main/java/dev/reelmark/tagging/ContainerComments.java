package dev.reelmark.tagging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the container comment of MP4/MOV and Matroska files in Java, without starting ffprobe: the planner's fast
 * path. It walks the box / EBML element structure (seeking over media data, so a 1 GB file costs a few small reads)
 * and answers only when the file is unambiguous: one comment source (or none), a movie header with tracks. Anything
 * unusual (truncated, unknown-size elements, several different comments, odd encodings, not a container at all)
 * returns empty and the caller asks ffprobe, so the planner's answer never depends on this reader's blind spots. The
 * writer always re-reads the file with ffprobe before touching it.
 */
public final class ContainerComments {
    public static final String MOV_FORMAT = "mov,mp4,m4a,3gp,3g2,mj2";
    public static final String MKV_FORMAT = "matroska,webm";
    private static final int MAX_MOOV = 64 << 20;
    private static final int MAX_TAGS = 16 << 20;

    private ContainerComments() {
    }

    /** The format name (as ffprobe spells it) and the comment (null when none), or empty when unsure. */
    public static Optional<TagWriter.LightProbe> read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return comment(file, new Source(ch));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** What {@link #readWithFingerprint} found: the content fingerprint and the comment (empty when unsure). */
    public record Read(String fingerprint, Optional<TagWriter.LightProbe> probe) {
    }

    /**
     * The planner's one read of a file: one open, the first and last 64 KiB read once and used for both the content
     * fingerprint ({@link Fingerprint}) and the container walk (a small clip's boxes and elements are all inside
     * them; a large file's header reads beyond them go to the same channel). {@code comment} false reads only the
     * fingerprint. An I/O error opening or reading the head and tail is thrown (the file is unreadable); anything
     * the walk is unsure of leaves the probe empty, as {@link #read} does.
     */
    public static Read readWithFingerprint(Path file, boolean comment) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Source src = new Source(ch);
            String fp = Fingerprint.of(src.size, src.head(), src.tail());
            Optional<TagWriter.LightProbe> probe;
            try {
                probe = comment ? comment(file, src) : Optional.empty();
            } catch (IOException | RuntimeException e) {
                probe = Optional.empty();
            }
            return new Read(fp, probe);
        }
    }

    private static Optional<TagWriter.LightProbe> comment(Path file, Source ch) throws IOException {
        String muxer = TagWriter.MUXERS.get(TagWriter.extension(file));
        if (muxer == null) return Optional.empty();
        try {
            Found found = new Found();
            if (TagWriter.isMatroska(muxer)) matroska(ch, found);
            else mov(ch, found);
            String comment = single(found.comments);
            String people = single(found.people);
            return Optional.of(new TagWriter.LightProbe(TagWriter.isMatroska(muxer) ? MKV_FORMAT : MOV_FORMAT,
                    comment.equals(NONE) ? null : comment, null, people.equals(NONE) ? null : people, found.xmp));
        } catch (Unsure e) {
            return Optional.empty();
        }
    }

    /**
     * The file through its channel, with the first and last {@link Fingerprint#CHUNK} bytes read once (lazily) and
     * every read that falls inside them answered from memory: for the planner's small clips the whole walk costs
     * those two reads.
     */
    static final class Source {
        private final FileChannel ch;
        final long size;
        private ByteBuffer head;
        private ByteBuffer tail;
        private long tailStart;

        Source(FileChannel ch) throws IOException {
            this.ch = ch;
            this.size = ch.size();
        }

        long size() {
            return size;
        }

        /** The first min(CHUNK, size) bytes (a read-only view, position 0). */
        ByteBuffer head() throws IOException {
            if (head == null) {
                ByteBuffer b = ByteBuffer.allocate((int) Math.min(Fingerprint.CHUNK, size));
                fill(b, 0);
                head = b.flip();
            }
            return head.asReadOnlyBuffer();
        }

        /** The bytes from max(CHUNK, size - CHUNK) to the end, or null when the file is not larger than CHUNK. */
        ByteBuffer tail() throws IOException {
            if (size <= Fingerprint.CHUNK) return null;
            if (tail == null) {
                tailStart = Math.max(Fingerprint.CHUNK, size - Fingerprint.CHUNK);
                ByteBuffer b = ByteBuffer.allocate((int) (size - tailStart));
                fill(b, tailStart);
                tail = b.flip();
            }
            return tail.asReadOnlyBuffer();
        }

        /** Reads into {@code b} from {@code pos} until it is full or the file ends. */
        void read(ByteBuffer b, long pos) throws IOException {
            int want = b.remaining();
            ByteBuffer h = head();
            if (pos + want <= h.limit()) {
                b.put(h.position((int) pos).limit((int) pos + want));
                return;
            }
            ByteBuffer t = tail();
            if (t != null && pos >= tailStart) {
                int from = (int) (pos - tailStart);
                int n = Math.min(want, t.limit() - from);
                if (n == want || pos + n == size) {
                    if (n > 0) b.put(t.position(from).limit(from + n));
                    return;
                }
            }
            fill(b, pos);
        }

        private void fill(ByteBuffer b, long pos) throws IOException {
            long p = pos;
            while (b.hasRemaining() && p < size) {
                int n = ch.read(b, p);
                if (n < 0) break;
                p += n;
            }
        }
    }

    /** Marks "no comment" (distinct from every real comment string, including ""). */
    private static final String NONE = new String("\u0000none");

    /** What the walk found: comments, values of the people's own key, and whether an XMP packet is there. */
    private static final class Found {
        final Set<String> comments = new LinkedHashSet<>();
        final Set<String> people = new LinkedHashSet<>();
        boolean xmp;
    }

    private static final class Unsure extends Exception {
        Unsure(String why) {
            super(why, null, false, false);
        }
    }

    // ---------------------------------------------------------------- MP4 / MOV

    private static void mov(Source ch, Found found) throws IOException, Unsure {
        long size = ch.size();
        long pos = 0;
        ByteBuffer moov = null;
        ByteBuffer hdr = ByteBuffer.allocate(16);
        while (pos + 8 <= size) {
            hdr.clear();
            readFully(ch, hdr, pos, size);
            hdr.flip();
            long boxSize = Integer.toUnsignedLong(hdr.getInt(0));
            String type = fourcc(hdr, 4);
            int hlen = 8;
            if (boxSize == 1) {
                if (hdr.limit() < 16) throw new Unsure("short header");
                boxSize = hdr.getLong(8);
                hlen = 16;
            } else if (boxSize == 0) {
                boxSize = size - pos;
            }
            if (boxSize < hlen || pos + boxSize > size) throw new Unsure("box past the end");
            if (type.equals("uuid") && boxSize >= hlen + 16) {
                ByteBuffer u = ByteBuffer.allocate(16);
                readFully(ch, u, pos + hlen, size);
                if (java.util.Arrays.equals(u.array(), dev.reelmark.media.Mp4Boxes.XMP_UUID)) found.xmp = true;
            }
            if (type.equals("moov")) {
                if (moov != null) throw new Unsure("two moov boxes");
                if (boxSize - hlen > MAX_MOOV) throw new Unsure("huge moov");
                moov = ByteBuffer.allocate((int) (boxSize - hlen));
                readFully(ch, moov, pos + hlen, size);
                moov.flip();
            }
            pos += boxSize;
        }
        if (pos != size || moov == null) throw new Unsure("no moov");
        boolean trak = false;
        for (Box b : children(moov)) {
            if (b.type.equals("trak")) trak = true;
            if (b.type.equals("udta")) udta(b.body, found);
            if (b.type.equals("meta")) meta(b.body, found);
        }
        if (!trak) throw new Unsure("no tracks");
    }

    private record Box(String type, ByteBuffer body) {
    }

    private static List<Box> children(ByteBuffer parent) throws Unsure {
        List<Box> out = new ArrayList<>();
        ByteBuffer b = parent.duplicate();
        int pos = b.position();
        int end = b.limit();
        while (pos + 8 <= end) {
            long size = Integer.toUnsignedLong(b.getInt(pos));
            String type = fourcc(b, pos + 4);
            int hlen = 8;
            if (size == 1) {
                if (pos + 16 > end) throw new Unsure("short header");
                size = b.getLong(pos + 8);
                hlen = 16;
            } else if (size == 0) {
                size = end - pos;
            }
            if (size < hlen || pos + size > end) throw new Unsure("child past its parent");
            ByteBuffer body = b.duplicate();
            body.position(pos + hlen).limit((int) (pos + size));
            out.add(new Box(type, body.slice()));
            pos += (int) size;
        }
        if (pos != end && end - pos >= 4 && b.getInt(pos) != 0) throw new Unsure("trailing bytes");
        return out;
    }

    private static void udta(ByteBuffer udta, Found found) throws Unsure {
        Set<String> comments = found.comments;
        for (Box b : children(udta)) {
            if (b.type.equals("XMP_")) found.xmp = true;
            if (b.type.equals("\u00A9cmt")) {
                ByteBuffer s = b.body;
                if (s.remaining() < 4) throw new Unsure("short string atom");
                int len = Short.toUnsignedInt(s.getShort(0));
                int lang = Short.toUnsignedInt(s.getShort(2));
                if (len + 4 > s.remaining()) throw new Unsure("string past its atom");
                byte[] bytes = new byte[len];
                s.get(4, bytes);
                if (lang < 0x400 && !ascii(bytes)) throw new Unsure("Mac-encoded string");
                comments.add(utf8(bytes));
            } else if (b.type.equals("meta")) {
                meta(b.body, found);
            }
        }
    }

    private static void meta(ByteBuffer meta, Found found) throws Unsure {
        ByteBuffer m = meta.duplicate();
        // ISO meta is a full box (4 bytes of version and flags); QuickTime's is not.
        if (m.remaining() >= 8 && m.getInt(0) == 0) m.position(4);
        List<String> keys = new ArrayList<>();
        ByteBuffer ilst = null;
        for (Box b : children(m.slice())) {
            if (b.type.equals("keys")) {
                ByteBuffer k = b.body;
                int count = k.getInt(4);
                int p = 8;
                for (int i = 0; i < count; i++) {
                    int ks = k.getInt(p);
                    if (ks < 8 || p + ks > k.limit()) throw new Unsure("bad keys");
                    byte[] name = new byte[ks - 8];
                    k.get(p + 8, name);
                    keys.add(new String(name, StandardCharsets.UTF_8));
                    p += ks;
                }
            } else if (b.type.equals("ilst")) {
                ilst = b.body;
            }
        }
        if (ilst == null) return;
        for (Box item : children(ilst)) {
            String key;
            if (item.type.equals("\u00A9cmt")) {
                key = "comment";
            } else if (!keys.isEmpty()) {
                int index = indexOf(item.type);
                key = index >= 1 && index <= keys.size() ? keys.get(index - 1) : null;
            } else {
                key = null;
            }
            Set<String> comments;
            if (key != null && key.equalsIgnoreCase("comment")) comments = found.comments;
            else if (key != null && key.equals(dev.reelmark.media.Mp4Boxes.PEOPLE_KEY)) comments = found.people;
            else continue;
            for (Box data : children(item.body)) {
                if (!data.type.equals("data")) continue;
                ByteBuffer d = data.body;
                if (d.remaining() < 8) throw new Unsure("short data atom");
                int type = d.getInt(0) & 0xFFFFFF;
                if (type != 1) throw new Unsure("comment is not UTF-8 (type " + type + ")");
                byte[] bytes = new byte[d.remaining() - 8];
                d.get(8, bytes);
                comments.add(utf8(bytes));
            }
        }
    }

    private static int indexOf(String fourcc) {
        byte[] b = fourcc.getBytes(StandardCharsets.ISO_8859_1);
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    // ---------------------------------------------------------------- Matroska

    private static final long EBML = 0x1A45DFA3L;
    private static final long SEGMENT = 0x18538067L;
    private static final long TRACKS = 0x1654AE6BL;
    private static final long TAGS = 0x1254C367L;
    private static final long TAG = 0x7373L;
    private static final long TARGETS = 0x63C0L;
    private static final long SIMPLE_TAG = 0x67C8L;
    private static final long TAG_NAME = 0x45A3L;
    private static final long TAG_STRING = 0x4487L;
    private static final long TAG_LANGUAGE = 0x447AL;
    private static final long TAG_LANGUAGE_BCP47 = 0x447BL;
    private static final Set<Long> TARGET_UIDS = Set.of(0x63C5L, 0x63C9L, 0x63C4L, 0x63C6L);
    private static final long DOC_TYPE = 0x4282L;
    private static final long UNKNOWN = -1;

    private record Element(long id, long dataStart, long size) {
        long end() {
            return dataStart + size;
        }
    }

    /** Reads an element header at {@code pos} from the file. */
    private static Element header(Source ch, long pos, long fileSize) throws IOException, Unsure {
        ByteBuffer b = ByteBuffer.allocate(12);
        readFully(ch, b, pos, fileSize);
        b.flip();
        return header(b, 0, pos);
    }

    private static Element header(ByteBuffer b, int at, long base) throws Unsure {
        if (at >= b.limit()) throw new Unsure("no header");
        int first = b.get(at) & 0xFF;
        int idLen = Integer.numberOfLeadingZeros(first) - 23;
        if (idLen < 1 || idLen > 4 || at + idLen >= b.limit()) throw new Unsure("bad element id");
        long id = 0;
        for (int i = 0; i < idLen; i++) id = (id << 8) | (b.get(at + i) & 0xFF);
        int s0 = b.get(at + idLen) & 0xFF;
        int sLen = Integer.numberOfLeadingZeros(s0) - 23;
        if (sLen < 1 || sLen > 8 || at + idLen + sLen > b.limit()) throw new Unsure("bad element size");
        long size = s0 & (0xFF >> sLen);
        boolean allOnes = size == (0xFF >> sLen);
        for (int i = 1; i < sLen; i++) {
            int v = b.get(at + idLen + i) & 0xFF;
            allOnes &= v == 0xFF;
            size = (size << 8) | v;
        }
        return new Element(id, base + at + idLen + sLen, allOnes ? UNKNOWN : size);
    }

    private static void matroska(Source ch, Found found) throws IOException, Unsure {
        long fileSize = ch.size();
        Element ebml = header(ch, 0, fileSize);
        if (ebml.id() != EBML || ebml.size() == UNKNOWN || ebml.size() > 4096) throw new Unsure("not EBML");
        ByteBuffer head = read(ch, ebml.dataStart(), (int) ebml.size(), fileSize);
        String docType = null;
        for (Element e : elements(head, ebml.dataStart())) {
            if (e.id() == DOC_TYPE) docType = string(head, e, ebml.dataStart());
        }
        if (!"matroska".equals(docType) && !"webm".equals(docType)) throw new Unsure("doc type " + docType);
        Element segment = header(ch, ebml.end(), fileSize);
        if (segment.id() != SEGMENT) throw new Unsure("no segment");
        long end = segment.size() == UNKNOWN ? fileSize : segment.end();
        if (end > fileSize) throw new Unsure("truncated segment");
        boolean tracks = false;
        long pos = segment.dataStart();
        while (pos < end) {
            if (end - pos < 2) break;
            Element e = header(ch, pos, fileSize);
            if (e.size() == UNKNOWN) throw new Unsure("unknown-size element");
            if (e.end() > end) throw new Unsure("element past the segment");
            if (e.id() == TRACKS) tracks = true;
            if (e.id() == TAGS) {
                if (e.size() > MAX_TAGS) throw new Unsure("huge tags");
                ByteBuffer tags = read(ch, e.dataStart(), (int) e.size(), fileSize);
                tags(tags, e.dataStart(), found);
            }
            pos = e.end();
        }
        if (!tracks) throw new Unsure("no tracks");
    }

    private static void tags(ByteBuffer buf, long base, Found found) throws Unsure {
        for (Element tag : elements(buf, base, base, base + buf.limit())) {
            if (tag.id() != TAG) continue;
            List<Element> parts = elements(buf, base, tag.dataStart(), tag.end());
            boolean global = true;
            for (Element p : parts) {
                if (p.id() != TARGETS) continue;
                for (Element t : elements(buf, base, p.dataStart(), p.end())) {
                    if (TARGET_UIDS.contains(t.id()) && uint(buf, t, base) != 0) global = false;
                }
            }
            if (!global) continue;
            for (Element p : parts) {
                if (p.id() != SIMPLE_TAG) continue;
                String name = null;
                String value = null;
                String lang = null;
                for (Element s : elements(buf, base, p.dataStart(), p.end())) {
                    if (s.id() == TAG_NAME) name = string(buf, s, base);
                    else if (s.id() == TAG_STRING) value = string(buf, s, base);
                    else if (s.id() == TAG_LANGUAGE || s.id() == TAG_LANGUAGE_BCP47) lang = string(buf, s, base);
                }
                if (name != null && (lang == null || lang.equals("und"))) {
                    Set<String> into = name.equalsIgnoreCase("comment") ? found.comments
                            : name.equalsIgnoreCase(TagWriter.MKV_PEOPLE_TAG) ? found.people : null;
                    if (into == null) continue;
                    if (value == null) throw new Unsure("binary tag value");
                    into.add(value);
                }
            }
        }
    }

    private static List<Element> elements(ByteBuffer buf, long base) throws Unsure {
        return elements(buf, base, base, base + buf.limit());
    }

    private static List<Element> elements(ByteBuffer buf, long base, long from, long to) throws Unsure {
        List<Element> out = new ArrayList<>();
        long pos = from;
        while (pos < to) {
            Element e = header(buf, (int) (pos - base), base);
            if (e.size() == UNKNOWN || e.end() > to) throw new Unsure("bad child element");
            out.add(e);
            pos = e.end();
        }
        return out;
    }

    private static String string(ByteBuffer buf, Element e, long base) {
        byte[] bytes = new byte[(int) e.size()];
        buf.get((int) (e.dataStart() - base), bytes);
        int n = bytes.length;
        while (n > 0 && bytes[n - 1] == 0) n--;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    private static long uint(ByteBuffer buf, Element e, long base) {
        long v = 0;
        for (int i = 0; i < e.size(); i++) v = (v << 8) | (buf.get((int) (e.dataStart() - base) + i) & 0xFF);
        return v;
    }

    // ---------------------------------------------------------------- helpers

    private static String single(Set<String> comments) throws Unsure {
        if (comments.size() > 1) throw new Unsure("several different comments");
        return comments.isEmpty() ? NONE : comments.iterator().next();
    }

    private static ByteBuffer read(Source ch, long pos, int len, long fileSize) throws IOException, Unsure {
        if (pos + len > fileSize) throw new Unsure("past the end");
        ByteBuffer b = ByteBuffer.allocate(len);
        readFully(ch, b, pos, fileSize);
        b.flip();
        return b;
    }

    private static void readFully(Source ch, ByteBuffer b, long pos, long fileSize) throws IOException {
        if (pos < fileSize) ch.read(b, pos);
    }

    private static String fourcc(ByteBuffer b, int at) throws Unsure {
        byte[] t = new byte[4];
        for (int i = 0; i < 4; i++) t[i] = b.get(at + i);
        return new String(t, StandardCharsets.ISO_8859_1);
    }

    private static boolean ascii(byte[] bytes) {
        for (byte x : bytes) if (x < 0) return false;
        return true;
    }

    private static String utf8(byte[] bytes) throws Unsure {
        var dec = StandardCharsets.UTF_8.newDecoder();
        try {
            return dec.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new Unsure("not UTF-8");
        }
    }
}
