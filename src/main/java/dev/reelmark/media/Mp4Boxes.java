package dev.reelmark.media;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The ISO base media (MP4/MOV/M4V) box structure, and writing the movie comment ({@code ©cmt}) without re-muxing.
 * The comment lives in {@code moov/udta/meta/ilst/©cmt/data} (MP4, as ffmpeg, mutagen and exiftool read it) or as a
 * QuickTime text atom {@code moov/udta/©cmt} (MOV). A write takes one of three paths:
 * <ul>
 *   <li>{@link WritePath#IN_PLACE}: the new moov fits in the old one (counting the {@code free}/{@code skip} boxes
 *   right after ilst) plus the {@code free}/{@code skip} boxes after it; it is written over them and the rest stays a
 *   {@code free} box after moov. Media bytes do not move.</li>
 *   <li>{@link WritePath#MOOV_REWRITTEN}: moov is the last box; it is rewritten where it is and the file is extended
 *   or truncated. Media bytes do not move.</li>
 *   <li>{@link WritePath#SHIFTED}: moov precedes the media and grew; a new file is written beside the old one with
 *   the media after it copied unchanged, every {@code stco}/{@code co64} chunk offset moved by the growth
 *   ({@code stco} becomes {@code co64} when an offset would pass 4 GiB), then renamed over the original.</li>
 * </ul>
 * The first two change the file in place behind an undo journal (old bytes, written and fsynced first), so a crash
 * mid-write is rolled back by {@link #recover}. Every write leaves {@link #PADDING} bytes of {@code free} space so
 * the next one is in place. Layouts it cannot handle (fragmented files that would need a shift, several comments,
 * {@code mdta} comment keys, unknown-size boxes inside moov) throw {@link Unsupported}: the caller re-muxes.
 */
public final class Mp4Boxes {
    public static final int PADDING = 1024;
    private static final int MAX_MOOV = 64 << 20;
    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "stbl", "udta", "meta", "ilst", "edts", "dinf");
    private static final String CMT = "\u00A9cmt";
    private static final int JOURNAL_MAGIC = 0x524D4A31; // "RMJ1"

    private Mp4Boxes() {
    }

    public enum WritePath {
        IN_PLACE("in_place"), MOOV_REWRITTEN("moov_rewritten"), SHIFTED("shifted");

        public final String label;

        WritePath(String label) {
            this.label = label;
        }
    }

    /** The file's layout is one this writer does not change; the message says why. */
    public static final class Unsupported extends Exception {
        public Unsupported(String why) {
            super(why, null, false, false);
        }
    }

    /** One top-level box: where it starts, its whole size and its header length. */
    public record Box(String type, long offset, long size, int headerLength) {
        public long end() {
            return offset + size;
        }
    }

    /** The top-level boxes; a last box of size 0 runs to the end of the file. */
    public static List<Box> topLevel(FileChannel ch) throws IOException, Unsupported {
        long size = ch.size();
        List<Box> out = new ArrayList<>();
        long pos = 0;
        ByteBuffer hdr = ByteBuffer.allocate(16);
        while (pos + 8 <= size) {
            hdr.clear();
            int n = 0;
            while (hdr.hasRemaining()) {
                int r = ch.read(hdr, pos + hdr.position());
                if (r < 0) break;
                n += r;
            }
            long boxSize = Integer.toUnsignedLong(hdr.getInt(0));
            String type = fourcc(hdr.array(), 4);
            int hlen = 8;
            if (boxSize == 1) {
                if (n < 16) throw new Unsupported("short box header at " + pos);
                boxSize = hdr.getLong(8);
                hlen = 16;
            } else if (boxSize == 0) {
                boxSize = size - pos;
            }
            if (boxSize < hlen || pos + boxSize > size) throw new Unsupported("box '" + type + "' at " + pos + " runs past the end");
            out.add(new Box(type, pos, boxSize, hlen));
            pos += boxSize;
        }
        if (pos != size) throw new Unsupported("trailing bytes after the last box");
        return out;
    }

    // ------------------------------------------------------------------ box tree of moov

    /** A box inside moov: a container (prefix bytes, then children) or a leaf kept as raw body bytes. */
    static class Node {
        final String type;
        byte[] prefix = new byte[0];
        byte[] body;
        List<Node> children;

        Node(String type) {
            this.type = type;
        }

        long size() {
            long s = 8 + prefix.length;
            if (children == null) return s + body.length;
            for (Node c : children) s += c.size();
            return s;
        }

        void write(DataOutputStream out) throws IOException {
            long s = size();
            if (s > 0xFFFFFFFFL) throw new IOException("box too large");
            out.writeInt((int) s);
            out.write(type.getBytes(StandardCharsets.ISO_8859_1));
            out.write(prefix);
            if (children == null) out.write(body);
            else for (Node c : children) c.write(out);
        }

        Node child(String t) {
            if (children == null) return null;
            for (Node c : children) if (c.type.equals(t)) return c;
            return null;
        }
    }

    static List<Node> parseChildren(byte[] buf, int from, int to, String parent) throws Unsupported {
        List<Node> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(buf);
        int pos = from;
        while (pos + 8 <= to) {
            long size = Integer.toUnsignedLong(b.getInt(pos));
            String type = fourcc(buf, pos + 4);
            int hlen = 8;
            if (size == 1) {
                if (pos + 16 > to) throw new Unsupported("short header in " + parent);
                size = b.getLong(pos + 8);
                hlen = 16;
            } else if (size == 0) {
                throw new Unsupported("box of unknown size in " + parent);
            }
            if (size < hlen || pos + size > to) throw new Unsupported("box '" + type + "' runs past its parent " + parent);
            out.add(parse(buf, type, pos + hlen, (int) (pos + size), parent));
            pos += (int) size;
        }
        if (pos != to) {
            // QuickTime allows a 32-bit zero terminator at the end of udta; anything else is unknown.
            if (to - pos == 4 && b.getInt(pos) == 0 && parent.equals("udta")) {
                out.add(terminator());
            } else {
                throw new Unsupported("trailing bytes in " + parent);
            }
        }
        return out;
    }

    private static Node terminator() {
        Node n = new Node("") {
            @Override
            long size() {
                return 4;
            }

            @Override
            void write(DataOutputStream out) throws IOException {
                out.writeInt(0);
            }
        };
        n.body = new byte[0];
        return n;
    }

    private static Node parse(byte[] buf, String type, int from, int to, String parent) throws Unsupported {
        Node n = new Node(type);
        boolean container = CONTAINERS.contains(type) && !(type.equals("meta") && parent.equals("ilst"));
        if (!container || (parent.equals("ilst"))) {
            n.body = java.util.Arrays.copyOfRange(buf, from, to);
            return n;
        }
        int start = from;
        if (type.equals("meta")) {
            // ISO meta is a full box (version + flags); QuickTime's is not: its first child header follows directly.
            boolean quickTime = to - from >= 8 && fourcc(buf, from + 4).equals("hdlr");
            if (!quickTime) start = from + 4;
            if (start > to) throw new Unsupported("short meta box");
        }
        n.prefix = java.util.Arrays.copyOfRange(buf, from, start);
        n.children = parseChildren(buf, start, to, type);
        return n;
    }

    // ------------------------------------------------------------------ planning a write

    /**
     * What a write will do: the path, where the new bytes go and, for a shift, the whole new moov region; plus
     * same-length patches outside moov (a top-level XMP packet), at offsets of the original file.
     */
    public record Plan(WritePath path, long moovOffset, long oldSpace, byte[] newBytes, long fileLength, List<Patch> patches) {
        Plan(WritePath path, long moovOffset, long oldSpace, byte[] newBytes, long fileLength) {
            this(path, moovOffset, oldSpace, newBytes, fileLength, List.of());
        }

        Plan withPatches(List<Patch> p) {
            return new Plan(path, moovOffset, oldSpace, newBytes, fileLength, p);
        }
    }

    /** Bytes that replace as many bytes at {@code offset}. */
    public record Patch(long offset, byte[] bytes) {
    }

    /**
     * What to change: the comment (when {@code setComment}; null removes it), the people's own {@code mdta} key
     * {@value #PEOPLE_KEY} (when {@code setPeopleKey}; null removes it) and, when the file holds XMP, its
     * {@code Iptc4xmpExt:PersonInImage} ({@code xmpPeople}; null leaves XMP alone).
     */
    public record Edit(boolean setComment, String comment, boolean setPeopleKey, String peopleKey, List<String> xmpPeople) {
        public static Edit comment(String comment) {
            return new Edit(true, comment, false, null, null);
        }
    }

    /** The mdta key the people go to when the comment is not theirs to change (a JSON comment stays byte-identical). */
    public static final String PEOPLE_KEY = "com.reelmark.people";
    /** The UUID of a top-level XMP box (Adobe's convention for MP4, where exiftool writes XMP). */
    public static final byte[] XMP_UUID = {(byte) 0xBE, 0x7A, (byte) 0xCF, (byte) 0xCB, (byte) 0x97, (byte) 0xA9, 0x42, (byte) 0xE8,
            (byte) 0x9C, 0x71, (byte) 0x99, (byte) 0x94, (byte) 0x91, (byte) 0xE3, (byte) 0xAF, (byte) 0xAC};

    /** Plans writing {@code comment} (null removes it) into {@code file}; reads the box structure only. */
    public static Plan plan(Path file, String comment) throws IOException, Unsupported {
        return plan(file, Edit.comment(comment));
    }

    /** Plans an edit of {@code file}; reads the box structure only. */
    public static Plan plan(Path file, Edit edit) throws IOException, Unsupported {
        Plan p = planMoov(file, edit);
        return edit.xmpPeople() == null ? p : p.withPatches(xmpPatches(file, edit.xmpPeople()));
    }

    private static Plan planMoov(Path file, Edit edit) throws IOException, Unsupported {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            List<Box> boxes = topLevel(ch);
            int mi = -1;
            boolean fragmented = false;
            for (int i = 0; i < boxes.size(); i++) {
                String t = boxes.get(i).type();
                if (t.equals("moov")) {
                    if (mi >= 0) throw new Unsupported("two moov boxes");
                    mi = i;
                }
                if (t.equals("moof") || t.equals("sidx") || t.equals("mfra")) fragmented = true;
            }
            if (mi < 0) throw new Unsupported("no moov box");
            Box moov = boxes.get(mi);
            if (moov.size() > MAX_MOOV) throw new Unsupported("moov larger than " + (MAX_MOOV >> 20) + " MiB");
            byte[] buf = new byte[(int) moov.size()];
            readFully(ch, ByteBuffer.wrap(buf), moov.offset());
            Node root = new Node("moov");
            root.children = parseChildren(buf, moov.headerLength(), buf.length, "moov");
            if (root.child("mvex") != null) fragmented = true;
            if (edit.setComment()) setComment(root, edit.comment(), majorBrand(ch, boxes));
            if (edit.setPeopleKey()) setMdtaKey(root, PEOPLE_KEY, edit.peopleKey());
            if (edit.xmpPeople() != null) setUdtaXmp(root, edit.xmpPeople());

            long space = moov.size();
            int next = mi + 1;
            while (next < boxes.size() && (boxes.get(next).type().equals("free") || boxes.get(next).type().equals("skip"))) {
                space += boxes.get(next).size();
                next++;
            }
            boolean last = next == boxes.size();
            long fileLength = ch.size();
            long n = root.size();
            if (n == space || n + 8 <= space) {
                return new Plan(WritePath.IN_PLACE, moov.offset(), space, withFree(root, space - n), fileLength);
            }
            if (last) {
                return new Plan(WritePath.MOOV_REWRITTEN, moov.offset(), space, withFree(root, PADDING), fileLength);
            }
            if (fragmented) {
                // Fragments keep absolute offsets (tfhd base data offset, tfra moof offsets), fixed after the shift;
                // only when every fragment box follows moov, so all of them move by the same growth.
                for (int i = 0; i < mi; i++) {
                    String t = boxes.get(i).type();
                    if (t.equals("moof") || t.equals("sidx") || t.equals("mfra")) throw new Unsupported("fragments before moov");
                }
            }
            // Grow by shifting what follows; chunk offsets past the old moov region move by the growth.
            long mediaStart = moov.offset() + space;
            long delta = 0;
            for (int round = 0; round < 4; round++) {
                Node shifted = shiftOffsets(root, mediaStart, delta);
                long newDelta = shifted.size() + PADDING - space;
                if (newDelta == delta) {
                    return new Plan(WritePath.SHIFTED, moov.offset(), space, withFree(shifted, PADDING), fileLength);
                }
                delta = newDelta;
            }
            throw new Unsupported("chunk offsets did not settle");
        }
    }

    private static String majorBrand(FileChannel ch, List<Box> boxes) throws IOException {
        for (Box b : boxes) {
            if (b.type().equals("ftyp") && b.size() >= 12) {
                ByteBuffer x = ByteBuffer.allocate(4);
                readFully(ch, x, b.offset() + b.headerLength());
                return fourcc(x.array(), 0);
            }
        }
        return "";
    }

    private static byte[] withFree(Node moov, long free) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) (moov.size() + free));
        DataOutputStream out = new DataOutputStream(bytes);
        moov.write(out);
        if (free > 0) {
            out.writeInt((int) free);
            out.write("free".getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[(int) free - 8]);
        }
        out.flush();
        return bytes.toByteArray();
    }

    /** Puts the comment where the file keeps it (or where ffmpeg would: QuickTime text for 'qt  ', ilst otherwise). */
    static void setComment(Node moov, String comment, String brand) throws Unsupported {
        Node mdta = moov.child("meta");
        if (mdta != null && mdta.children != null) {
            Node keys = mdta.child("keys");
            if (keys != null && new String(keys.body, StandardCharsets.ISO_8859_1).toLowerCase().contains("comment")) {
                throw new Unsupported("the comment is an mdta key");
            }
        }
        Node udta = moov.child("udta");
        Node ilst = null;
        Node text = null;
        if (udta != null) {
            int texts = 0;
            for (Node c : udta.children) if (c.type.equals(CMT)) {
                text = c;
                texts++;
            }
            if (texts > 1) throw new Unsupported("several QuickTime comment atoms");
            Node meta = udta.child("meta");
            if (meta != null) {
                Node hdlr = meta.child("hdlr");
                if (hdlr != null && hdlr.body.length >= 12 && !fourcc(hdlr.body, 8).equals("mdir")) {
                    throw new Unsupported("udta/meta with handler " + fourcc(hdlr.body, 8));
                }
                ilst = meta.child("ilst");
                if (ilst != null) {
                    long cmts = ilst.children.stream().filter(c -> c.type.equals(CMT)).count();
                    if (cmts > 1) throw new Unsupported("several ilst comment atoms");
                    // Padding right after ilst (mutagen and exiftool leave some there) becomes room for the new ilst:
                    // dropped here, so the moov shrinks by it and what is left over is the free box after moov.
                    int i = meta.children.indexOf(ilst) + 1;
                    while (i < meta.children.size() && (meta.children.get(i).type.equals("free") || meta.children.get(i).type.equals("skip"))) {
                        meta.children.remove(i);
                    }
                }
            }
        }
        byte[] utf8 = comment == null ? null : comment.getBytes(StandardCharsets.UTF_8);
        if (text != null) {
            if (utf8 == null) udta.children.remove(text);
            else text.body = quickTimeText(utf8);
        }
        if (ilst != null) {
            Node old = ilst.child(CMT);
            if (utf8 == null) {
                if (old != null) ilst.children.remove(old);
            } else if (old != null || text == null) {
                Node cmt = ilstComment(utf8);
                if (old != null) ilst.children.set(ilst.children.indexOf(old), cmt);
                else ilst.children.add(cmt);
            }
        }
        if (utf8 == null || text != null || ilst != null) return;
        // No comment anywhere yet: add one the way ffmpeg's muxer writes this brand.
        if (udta == null) {
            udta = new Node("udta");
            udta.children = new ArrayList<>();
            moov.children.add(udta);
        }
        int at = udta.children.size();
        if (at > 0 && udta.children.get(at - 1).type.isEmpty()) at--; // before the QuickTime terminator
        if (brand.equals("qt  ")) {
            Node t = new Node(CMT);
            t.body = quickTimeText(utf8);
            udta.children.add(at, t);
            return;
        }
        Node meta = udta.child("meta");
        if (meta == null) {
            meta = new Node("meta");
            meta.prefix = new byte[4];
            meta.children = new ArrayList<>();
            Node hdlr = new Node("hdlr");
            ByteBuffer h = ByteBuffer.allocate(25);
            h.putInt(0).putInt(0).put("mdir".getBytes(StandardCharsets.ISO_8859_1)).put("appl".getBytes(StandardCharsets.ISO_8859_1));
            hdlr.body = h.array();
            meta.children.add(hdlr);
            udta.children.add(at, meta);
        }
        Node list = new Node("ilst");
        list.children = new ArrayList<>();
        list.children.add(ilstComment(utf8));
        meta.children.add(list);
    }

    /** Sets (or, with null, removes) one {@code mdta} key where the file keeps them (moov/meta or udta/meta), else a new moov/meta. */
    static void setMdtaKey(Node moov, String key, String value) throws Unsupported {
        Node meta = mdtaMeta(moov);
        if (meta == null) {
            if (value == null) return;
            // Apple's moov/meta (QuickTime metadata) is a plain atom, not an ISO full box: exiftool reads it only so
            meta = new Node("meta");
            meta.children = new ArrayList<>();
            Node hdlr = new Node("hdlr");
            ByteBuffer h = ByteBuffer.allocate(25);
            h.putInt(0).putInt(0).put("mdta".getBytes(StandardCharsets.ISO_8859_1));
            hdlr.body = h.array();
            meta.children.add(hdlr);
            moov.children.add(meta);
        }
        Node keys = meta.child("keys");
        if (keys == null) {
            keys = new Node("keys");
            keys.body = new byte[8];
            meta.children.add(meta.children.indexOf(meta.child("hdlr")) + 1, keys);
        }
        ByteBuffer k = ByteBuffer.wrap(keys.body);
        if (keys.body.length < 8) throw new Unsupported("short keys box");
        int count = k.getInt(4);
        int index = 0;
        int p = 8;
        for (int i = 1; i <= count; i++) {
            if (p + 8 > keys.body.length) throw new Unsupported("keys entries past their box");
            int ks = k.getInt(p);
            if (ks < 8 || p + ks > keys.body.length) throw new Unsupported("bad keys entry");
            String name = new String(keys.body, p + 8, ks - 8, StandardCharsets.UTF_8);
            if (name.equals(key) && fourcc(keys.body, p + 4).equals("mdta")) index = i;
            p += ks;
        }
        Node ilst = meta.child("ilst");
        if (ilst == null) {
            if (value == null) return;
            ilst = new Node("ilst");
            ilst.children = new ArrayList<>();
            meta.children.add(ilst);
        }
        if (index == 0) {
            if (value == null) return;
            byte[] name = key.getBytes(StandardCharsets.UTF_8);
            ByteBuffer nb = ByteBuffer.allocate(keys.body.length + 8 + name.length);
            nb.put(keys.body).putInt(8 + name.length).put("mdta".getBytes(StandardCharsets.ISO_8859_1)).put(name);
            nb.putInt(4, count + 1);
            keys.body = nb.array();
            index = count + 1;
        }
        String type = new String(ByteBuffer.allocate(4).putInt(index).array(), StandardCharsets.ISO_8859_1);
        Node old = ilst.child(type);
        if (value == null) {
            if (old != null) ilst.children.remove(old);
            return;
        }
        Node item = new Node(type);
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        ByteBuffer d = ByteBuffer.allocate(16 + utf8.length);
        d.putInt(16 + utf8.length).put("data".getBytes(StandardCharsets.ISO_8859_1)).putInt(1).putInt(0).put(utf8);
        item.body = d.array();
        if (old != null) ilst.children.set(ilst.children.indexOf(old), item);
        else ilst.children.add(item);
    }

    private static Node mdtaMeta(Node moov) {
        List<Node> candidates = new ArrayList<>();
        if (moov.child("meta") != null) candidates.add(moov.child("meta"));
        Node udta = moov.child("udta");
        if (udta != null) for (Node c : udta.children) if (c.type.equals("meta")) candidates.add(c);
        for (Node m : candidates) {
            Node hdlr = m.children == null ? null : m.child("hdlr");
            if (hdlr != null && hdlr.body.length >= 12 && fourcc(hdlr.body, 8).equals("mdta")) return m;
        }
        return null;
    }

    /** The people in moov/udta/XMP_ (where some writers keep XMP in MOV), when the file has it. */
    private static void setUdtaXmp(Node moov, List<String> people) throws Unsupported {
        Node udta = moov.child("udta");
        Node xmp = udta == null ? null : udta.child("XMP_");
        if (xmp == null) return;
        String next = XmpPeople.withPeople(new String(xmp.body, StandardCharsets.UTF_8), people, false);
        if (next == null) throw new Unsupported("the XMP packet in udta has no rdf:RDF element");
        xmp.body = next.getBytes(StandardCharsets.UTF_8);
    }

    /** Same-length rewrites of top-level XMP boxes with the people set (their padding takes up the difference). */
    private static List<Patch> xmpPatches(Path file, List<String> people) throws IOException, Unsupported {
        List<Patch> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            for (Box b : topLevel(ch)) {
                byte[] body = topLevelXmp(ch, b);
                if (body == null) continue;
                String packet = new String(body, StandardCharsets.UTF_8);
                String next = XmpPeople.withPeople(packet, people, true);
                if (next == null) throw new Unsupported("the XMP packet has no padding left for the people");
                byte[] bytes = next.getBytes(StandardCharsets.UTF_8);
                if (!java.util.Arrays.equals(bytes, body)) out.add(new Patch(b.offset() + b.headerLength() + 16, bytes));
            }
        }
        return out;
    }

    /** The XMP packet of a top-level uuid box (without the UUID), or null when the box is not XMP. */
    private static byte[] topLevelXmp(FileChannel ch, Box b) throws IOException, Unsupported {
        if (!b.type().equals("uuid") || b.size() < b.headerLength() + 16) return null;
        byte[] uuid = new byte[16];
        readFully(ch, ByteBuffer.wrap(uuid), b.offset() + b.headerLength());
        if (!java.util.Arrays.equals(uuid, XMP_UUID)) return null;
        long len = b.size() - b.headerLength() - 16;
        if (len > MAX_MOOV) throw new Unsupported("XMP packet larger than " + (MAX_MOOV >> 20) + " MiB");
        byte[] body = new byte[(int) len];
        readFully(ch, ByteBuffer.wrap(body), b.offset() + b.headerLength() + 16);
        return body;
    }

    /**
     * ffmpeg's rewrite drops top-level boxes it does not know, XMP among them: this appends the original's top-level
     * XMP boxes to the rewritten file (after its last box, where readers look for a uuid box too), with the people
     * set, so the rewrite loses no XMP. ({@code people} null keeps the packets as they are.)
     */
    public static void carryXmp(Path original, Path rewritten, List<String> people) throws IOException {
        List<byte[]> packets = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(original, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            for (Box b : topLevel(ch)) {
                byte[] body = topLevelXmp(ch, b);
                if (body == null) continue;
                String packet = new String(body, StandardCharsets.UTF_8);
                String next = people == null ? packet : XmpPeople.withPeople(packet, people, false);
                packets.add((next == null ? packet : next).getBytes(StandardCharsets.UTF_8));
            }
        } catch (Unsupported e) {
            throw new IOException("cannot read the XMP of " + original + ": " + e.getMessage(), e);
        }
        if (packets.isEmpty()) return;
        try (FileChannel out = FileChannel.open(rewritten, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            for (byte[] p : packets) {
                ByteBuffer b = ByteBuffer.allocate(8 + 16 + p.length);
                b.putInt(8 + 16 + p.length).put("uuid".getBytes(StandardCharsets.ISO_8859_1)).put(XMP_UUID).put(p).flip();
                while (b.hasRemaining()) out.write(b);
            }
        }
    }

    /** Every XMP packet of the file: top-level uuid boxes and moov/udta/XMP_. */
    public static List<String> xmpPackets(Path file) throws IOException, Unsupported {
        List<String> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (Box b : topLevel(ch)) {
                byte[] body = topLevelXmp(ch, b);
                if (body != null) out.add(new String(body, StandardCharsets.UTF_8));
                if (b.type().equals("moov") && b.size() <= MAX_MOOV) {
                    byte[] buf = new byte[(int) b.size()];
                    readFully(ch, ByteBuffer.wrap(buf), b.offset());
                    Node root = new Node("moov");
                    root.children = parseChildren(buf, b.headerLength(), buf.length, "moov");
                    Node udta = root.child("udta");
                    Node xmp = udta == null ? null : udta.child("XMP_");
                    if (xmp != null) out.add(new String(xmp.body, StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static byte[] quickTimeText(byte[] utf8) throws Unsupported {
        if (utf8.length > 0xFFFF) throw new Unsupported("comment longer than a QuickTime text atom holds");
        ByteBuffer b = ByteBuffer.allocate(4 + utf8.length);
        b.putShort((short) utf8.length).putShort((short) 0x55C4).put(utf8); // language 'und' (packed ISO 639: UTF-8 text)
        return b.array();
    }

    private static Node ilstComment(byte[] utf8) {
        Node data = new Node("data");
        ByteBuffer b = ByteBuffer.allocate(8 + utf8.length);
        b.putInt(1).putInt(0).put(utf8); // type 1 = UTF-8, locale 0
        data.body = b.array();
        Node cmt = new Node(CMT);
        cmt.children = new ArrayList<>(List.of(data));
        return cmt;
    }

    /** A copy of moov with every chunk offset at or past {@code from} moved by {@code delta} (stco → co64 if needed). */
    static Node shiftOffsets(Node n, long from, long delta) throws Unsupported {
        return mapOffsets(n, o -> o >= from ? o + delta : o);
    }

    /** A copy of moov with every chunk offset mapped to where its byte now lives (stco → co64 if needed). */
    static Node mapOffsets(Node n, java.util.function.LongUnaryOperator move) throws Unsupported {
        Node c = new Node(n.type);
        c.prefix = n.prefix;
        if (n.children == null) {
            c.body = n.body;
            if (n.type.equals("stco") || n.type.equals("co64")) return shiftTable(n, move);
            return c;
        }
        c.children = new ArrayList<>();
        for (Node k : n.children) c.children.add(k.type.isEmpty() ? k : mapOffsets(k, move));
        return c;
    }

    private static Node shiftTable(Node n, java.util.function.LongUnaryOperator move) throws Unsupported {
        boolean wide = n.type.equals("co64");
        ByteBuffer in = ByteBuffer.wrap(n.body);
        if (n.body.length < 8) throw new Unsupported("short " + n.type);
        long count = Integer.toUnsignedLong(in.getInt(4));
        if (8 + count * (wide ? 8 : 4) > n.body.length) throw new Unsupported(n.type + " entries past its box");
        long[] offsets = new long[(int) count];
        boolean overflow = false;
        for (int i = 0; i < count; i++) {
            long o = move.applyAsLong(wide ? in.getLong(8 + i * 8) : Integer.toUnsignedLong(in.getInt(8 + i * 4)));
            offsets[i] = o;
            if (o > 0xFFFFFFFFL) overflow = true;
        }
        boolean outWide = wide || overflow;
        ByteBuffer out = ByteBuffer.allocate(8 + (int) count * (outWide ? 8 : 4) + (n.body.length - 8 - (int) count * (wide ? 8 : 4)));
        out.putInt(in.getInt(0)).putInt((int) count);
        for (long o : offsets) {
            if (outWide) out.putLong(o);
            else out.putInt((int) o);
        }
        Node c = new Node(outWide ? "co64" : "stco");
        c.body = out.array();
        return c;
    }

    // ------------------------------------------------------------------ a new top-level box after ftyp

    /** Where {@link #writeWithBoxAfterFtyp} put the new box, and the copy's length. */
    public record Inserted(long boxOffset, long fileLength) {
    }

    /**
     * Writes a copy of {@code file} to {@code temp} with {@code box} (a whole top-level box) right after {@code ftyp},
     * as C2PA places its manifest store, dropping top-level {@code uuid} boxes whose extended type is {@code dropUuid}
     * (an older manifest). Every other box is copied byte for byte; media bytes move, so every {@code stco}/{@code co64}
     * chunk offset is moved to where its byte now lives ({@code stco} becomes {@code co64} past 4 GiB). Fragmented
     * files (whose fragments carry offsets of their own) and files without {@code ftyp} first or without one moov
     * are {@link Unsupported}.
     */
    public static Inserted writeWithBoxAfterFtyp(Path file, byte[] box, byte[] dropUuid, Path temp) throws IOException, Unsupported {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            List<Box> boxes = topLevel(in);
            if (boxes.isEmpty() || !boxes.get(0).type().equals("ftyp")) throw new Unsupported("the file does not start with an ftyp box");
            List<Box> kept = new ArrayList<>();
            Box moov = null;
            for (Box b : boxes) {
                String t = b.type();
                if (t.equals("moof") || t.equals("mfra") || t.equals("sidx")) throw new Unsupported("fragmented MP4");
                if (t.equals("uuid") && dropUuid != null && uuidIs(in, b, dropUuid)) continue;
                if (t.equals("moov")) {
                    if (moov != null) throw new Unsupported("two moov boxes");
                    moov = b;
                }
                kept.add(b);
            }
            if (moov == null) throw new Unsupported("no moov box");
            if (moov.size() > MAX_MOOV) throw new Unsupported("moov larger than " + (MAX_MOOV >> 20) + " MiB");
            byte[] buf = new byte[(int) moov.size()];
            readFully(in, ByteBuffer.wrap(buf), moov.offset());
            Node root = new Node("moov");
            root.children = parseChildren(buf, moov.headerLength(), buf.length, "moov");
            if (root.child("mvex") != null) throw new Unsupported("fragmented MP4");
            // New offsets depend on moov's new size (stco may become co64), which depends on the offsets: settle it.
            long moovSize = moov.size();
            Node shifted = null;
            long[] newStart = new long[kept.size()];
            for (int round = 0; round < 4; round++) {
                long pos = 0;
                for (int i = 0; i < kept.size(); i++) {
                    newStart[i] = pos;
                    pos += kept.get(i) == moov ? moovSize : kept.get(i).size();
                    if (i == 0) pos += box.length;
                }
                long[] starts = newStart.clone();
                shifted = mapOffsets(root, o -> moveOffset(kept, starts, o));
                if (shifted.size() == moovSize) break;
                moovSize = shifted.size();
                shifted = null;
            }
            if (shifted == null) throw new Unsupported("chunk offsets did not settle");
            if (shifted.size() > 0xFFFFFFFFL) throw new Unsupported("moov too large");
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                for (int i = 0; i < kept.size(); i++) {
                    Box b = kept.get(i);
                    if (b == moov) {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) shifted.size());
                        DataOutputStream d = new DataOutputStream(bytes);
                        shifted.write(d);
                        d.flush();
                        writeAll(out, bytes.toByteArray());
                    } else {
                        copy(in, b.offset(), b.size(), out);
                    }
                    if (i == 0) writeAll(out, box);
                }
                out.force(true);
                return new Inserted(kept.get(0).size(), out.size());
            }
        }
    }

    /** Where a chunk offset's byte lives after the rewrite: same place inside its box, at the box's new start. */
    private static long moveOffset(List<Box> kept, long[] newStart, long o) {
        for (int i = 0; i < kept.size(); i++) {
            Box b = kept.get(i);
            if (o >= b.offset() && o < b.end()) return o - b.offset() + newStart[i];
        }
        return o; // points nowhere in the file (a broken table): left as it was
    }

    private static boolean uuidIs(FileChannel ch, Box b, byte[] uuid) throws IOException {
        if (b.size() < b.headerLength() + 16L) return false;
        ByteBuffer x = ByteBuffer.allocate(16);
        readFully(ch, x, b.offset() + b.headerLength());
        return java.util.Arrays.equals(x.array(), uuid);
    }

    private static void writeAll(FileChannel out, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) out.write(b);
    }

    // ------------------------------------------------------------------ applying a plan

    /** The undo journal of {@code file}: beside it, hidden. */
    public static Path journalFor(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".reelmark-journal");
    }

    /**
     * Applies an in-place plan ({@link WritePath#IN_PLACE} or {@link WritePath#MOOV_REWRITTEN}): the journal (old
     * length and the old bytes of the region written) is written and fsynced before the first byte of the file
     * changes; the file is fsynced after. The journal stays until {@link #commit} (or {@link #recover}) removes it.
     */
    public static void apply(Path file, Plan plan) throws IOException {
        if (plan.path() == WritePath.SHIFTED) throw new IllegalArgumentException("a shift is written to a new file");
        Path journal = journalFor(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            if (ch.size() != plan.fileLength()) throw new IOException("the file changed size since the write was planned");
            writeJournal(journal, file, plan.fileLength(), undoRegions(ch, plan), true);
            writePlan(ch, plan);
            ch.force(true);
        }
    }

    // ------------------------------------------------------------------ batched durability

    /**
     * The first half of {@link #apply}, for a batch of files: the journal (old length and old bytes of the region a
     * plan writes) is written beside the file but not fsynced. The caller makes every journal of the batch durable
     * ({@link #force} each, then {@link #syncDirs} once per folder) before any {@link #applyStaged}: a journal entry is
     * on disk before the file it covers changes, as with {@link #apply}. The journal is written straight to its name
     * (no temp and rename): a crash mid-write leaves a journal whose CRC does not match, which {@link #recover} drops,
     * and the file it would cover was not touched yet.
     */
    public static Path stageJournal(Path file, Plan plan) throws IOException {
        if (plan.path() == WritePath.SHIFTED) throw new IllegalArgumentException("a shift is written to a new file");
        Path journal = journalFor(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (ch.size() != plan.fileLength()) throw new IOException("the file changed size since the write was planned");
            writeJournal(journal, file, plan.fileLength(), undoRegions(ch, plan), false);
        }
        return journal;
    }

    /**
     * The second half: writes the plan's bytes into the file whose journal {@link #stageJournal} wrote (and the caller
     * made durable); {@code force} false leaves the fsync to the caller (once per batch, before the journal goes).
     */
    public static void applyStaged(Path file, Plan plan, boolean force) throws IOException {
        if (!Files.isRegularFile(journalFor(file), LinkOption.NOFOLLOW_LINKS)) throw new IOException("no journal for " + file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            if (ch.size() != plan.fileLength()) throw new IOException("the file changed size since the write was planned");
            writePlan(ch, plan);
            if (force) ch.force(true);
        }
    }

    /** fsyncs one file's data and metadata. */
    public static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ch.force(true);
        }
    }

    /** Syncs the folder of each file once (a batch's new or removed journal names become durable together). */
    public static void syncDirs(java.util.Collection<Path> files) {
        Set<Path> dirs = new java.util.LinkedHashSet<>();
        for (Path f : files) {
            Path d = f.toAbsolutePath().getParent();
            if (d != null) dirs.add(d);
        }
        for (Path d : dirs) syncDir(d.resolve("."));
    }

    /** Drops the journal of a write whose file the caller has fsynced; the folder is synced by the caller ({@link #syncDirs}). */
    public static void dropJournal(Path file) throws IOException {
        Files.deleteIfExists(journalFor(file));
    }

    private static List<Patch> undoRegions(FileChannel ch, Plan plan) throws IOException {
        long regionEnd = plan.path() == WritePath.IN_PLACE ? plan.moovOffset() + plan.oldSpace() : plan.fileLength();
        List<Patch> regions = new ArrayList<>();
        byte[] old = new byte[(int) (regionEnd - plan.moovOffset())];
        readFully(ch, ByteBuffer.wrap(old), plan.moovOffset());
        regions.add(new Patch(plan.moovOffset(), old));
        for (Patch p : plan.patches()) {
            byte[] was = new byte[p.bytes().length];
            readFully(ch, ByteBuffer.wrap(was), p.offset());
            regions.add(new Patch(p.offset(), was));
        }
        return regions;
    }

    private static void writePlan(FileChannel ch, Plan plan) throws IOException {
        writeAt(ch, plan.newBytes(), plan.moovOffset());
        for (Patch p : plan.patches()) writeAt(ch, p.bytes(), p.offset());
        if (plan.path() == WritePath.MOOV_REWRITTEN) ch.truncate(plan.moovOffset() + plan.newBytes().length);
    }

    // ------------------------------------------------------------------ read-back verification in Java

    /**
     * What a comment write must leave as it was, read with this box reader: the top-level boxes (types, sizes and,
     * for in-place paths, offsets), the ftyp bytes (brand), and every moov leaf box byte for byte (tracks and their
     * names, sample tables, edit lists, chapters, mvhd duration, other ilst items and QuickTime text atoms, mdta keys
     * and values), except what the edit changes: the comment atoms, the people key, XMP packets (checked on their own)
     * and free/skip padding.
     */
    public static final class Layout {
        private final List<Box> boxes;
        private final byte[] ftyp;
        private final Node moov;

        private Layout(List<Box> boxes, byte[] ftyp, Node moov) {
            this.boxes = boxes;
            this.ftyp = ftyp;
            this.moov = moov;
        }
    }

    /** Reads the layout of {@code file}; {@link Unsupported} when its boxes do not parse. */
    public static Layout layout(Path file) throws IOException, Unsupported {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            List<Box> boxes = topLevel(ch);
            byte[] ftyp = null;
            Node root = null;
            for (Box b : boxes) {
                if (b.type().equals("ftyp") && ftyp == null && b.size() <= 4096) {
                    ftyp = new byte[(int) b.size()];
                    readFully(ch, ByteBuffer.wrap(ftyp), b.offset());
                }
                if (b.type().equals("moov")) {
                    if (root != null) throw new Unsupported("two moov boxes");
                    if (b.size() > MAX_MOOV) throw new Unsupported("moov larger than " + (MAX_MOOV >> 20) + " MiB");
                    byte[] buf = new byte[(int) b.size()];
                    readFully(ch, ByteBuffer.wrap(buf), b.offset());
                    root = new Node("moov");
                    root.children = parseChildren(buf, b.headerLength(), buf.length, "moov");
                }
            }
            if (root == null) throw new Unsupported("no moov box");
            return new Layout(boxes, ftyp, root);
        }
    }

    /**
     * What differs between the layout before a write ({@code plan} applied) and after it, beyond what the edit may
     * change; empty when nothing does. A shifted write is compared with the chunk offsets of {@code before} moved as
     * the plan moved them.
     */
    public static List<String> compare(Layout before, Layout after, Plan plan) throws Unsupported {
        List<String> bad = new ArrayList<>();
        List<Box> tb = solid(before.boxes);
        List<Box> ta = solid(after.boxes);
        if (!tb.stream().map(Box::type).toList().equals(ta.stream().map(Box::type).toList())) {
            bad.add("top-level boxes " + ta.stream().map(Box::type).toList() + " instead of " + tb.stream().map(Box::type).toList());
        } else {
            for (int i = 0; i < tb.size(); i++) {
                Box b = tb.get(i);
                Box a = ta.get(i);
                if (b.type().equals("moov")) continue;
                if (b.size() != a.size()) bad.add("top-level box " + i + " '" + b.type() + "' is " + a.size() + " bytes instead of " + b.size());
                else if (plan.path() != WritePath.SHIFTED && b.offset() != a.offset()) {
                    bad.add("top-level box " + i + " '" + b.type() + "' moved from " + b.offset() + " to " + a.offset());
                }
            }
        }
        if (!java.util.Arrays.equals(before.ftyp, after.ftyp)) bad.add("the ftyp box (brand) changed");
        Node expected = before.moov;
        if (plan.path() == WritePath.SHIFTED) expected = shiftOffsets(before.moov, plan.moovOffset() + plan.oldSpace(),
                plan.newBytes().length - plan.oldSpace());
        List<String[]> lb = new ArrayList<>();
        List<String[]> la = new ArrayList<>();
        java.util.Map<String, String> kb = new java.util.TreeMap<>();
        java.util.Map<String, String> ka = new java.util.TreeMap<>();
        flatten(expected, "moov", lb, kb);
        flatten(after.moov, "moov", la, ka);
        if (lb.size() != la.size()) bad.add("moov holds " + la.size() + " boxes instead of " + lb.size());
        for (int i = 0; i < Math.min(lb.size(), la.size()); i++) {
            if (!lb.get(i)[0].equals(la.get(i)[0])) {
                bad.add("moov box " + i + " is " + la.get(i)[0] + " instead of " + lb.get(i)[0]);
                break;
            }
            if (!lb.get(i)[1].equals(la.get(i)[1])) {
                bad.add(la.get(i)[0] + " changed");
                break;
            }
        }
        kb.remove(PEOPLE_KEY);
        ka.remove(PEOPLE_KEY);
        if (!kb.equals(ka)) bad.add("mdta keys " + ka.keySet() + " do not read back as before " + kb.keySet());
        return bad;
    }

    private static List<Box> solid(List<Box> boxes) {
        return boxes.stream().filter(b -> !b.type().equals("free") && !b.type().equals("skip")).toList();
    }

    /**
     * Every box of the moov tree as (path, bytes as hex), in order, leaving out what a comment write changes: free and
     * skip padding, the udta terminator, moov/udta's QuickTime comment and XMP_, and the item-list metas of moov and
     * moov/udta, whose ilst items but the comment are listed and whose mdta keys go to {@code keys} (name → value).
     */
    private static void flatten(Node n, String path, List<String[]> out, java.util.Map<String, String> keys) throws Unsupported {
        if (n.children == null) return;
        for (Node c : n.children) {
            String p = path + "/" + c.type;
            if (c.type.isEmpty() || c.type.equals("free") || c.type.equals("skip")) continue;
            boolean top = path.equals("moov") || path.equals("moov/udta");
            if (path.equals("moov/udta") && (c.type.equals(CMT) || c.type.equals("XMP_"))) continue;
            if (top && c.type.equals("meta") && c.children != null) {
                Node hdlr = c.child("hdlr");
                String handler = hdlr != null && hdlr.body != null && hdlr.body.length >= 12 ? fourcc(hdlr.body, 8) : "";
                if (handler.equals("mdta")) {
                    mdtaValues(c, keys);
                    continue;
                }
                if (handler.equals("mdir")) {
                    for (Node m : c.children) {
                        if (m.type.equals("hdlr") || m.type.equals("free") || m.type.equals("skip")) continue;
                        if (m.type.equals("ilst") && m.children != null) {
                            for (Node item : m.children) {
                                if (!item.type.equals(CMT)) out.add(new String[]{p + "/ilst/" + item.type, hex(item)});
                            }
                        } else {
                            out.add(new String[]{p + "/" + m.type, hex(m)});
                        }
                    }
                    continue;
                }
            }
            if (c.children != null) {
                out.add(new String[]{p + "(header)", java.util.HexFormat.of().formatHex(c.prefix)});
                flatten(c, p, out, keys);
            } else {
                out.add(new String[]{p, java.util.HexFormat.of().formatHex(c.body)});
            }
        }
    }

    private static String hex(Node n) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            n.write(new DataOutputStream(bytes));
            return java.util.HexFormat.of().formatHex(bytes.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An mdta meta's keys with their ilst items' bytes. */
    private static void mdtaValues(Node meta, java.util.Map<String, String> out) throws Unsupported {
        Node keys = meta.child("keys");
        Node ilst = meta.child("ilst");
        if (keys == null) return;
        ByteBuffer k = ByteBuffer.wrap(keys.body);
        if (keys.body.length < 8) throw new Unsupported("short keys box");
        int count = k.getInt(4);
        int p = 8;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (p + 8 > keys.body.length) throw new Unsupported("keys entries past their box");
            int ks = k.getInt(p);
            if (ks < 8 || p + ks > keys.body.length) throw new Unsupported("bad keys entry");
            names.add(fourcc(keys.body, p + 4) + ":" + new String(keys.body, p + 8, ks - 8, StandardCharsets.UTF_8));
            p += ks;
        }
        if (ilst == null || ilst.children == null) return;
        for (Node item : ilst.children) {
            byte[] t = item.type.getBytes(StandardCharsets.ISO_8859_1);
            int index = ((t[0] & 0xFF) << 24) | ((t[1] & 0xFF) << 16) | ((t[2] & 0xFF) << 8) | (t[3] & 0xFF);
            if (index < 1 || index > names.size()) continue;
            String name = names.get(index - 1);
            out.put(name.equals("mdta:" + PEOPLE_KEY) ? PEOPLE_KEY : name, hex(item));
        }
    }

    /** The write is good: drops the journal. */
    public static void commit(Path file) throws IOException {
        Files.deleteIfExists(journalFor(file));
        syncDir(file);
    }

    /**
     * Rolls back an interrupted (or rejected) in-place write: puts the journal's old bytes back, restores the old
     * length, fsyncs, drops the journal. A journal that is not whole (the crash came before the file was touched) is
     * dropped. Returns whether a rollback happened.
     */
    public static boolean recover(Path file) throws IOException {
        Path journal = journalFor(file);
        if (!Files.exists(journal, LinkOption.NOFOLLOW_LINKS)) return false;
        byte[] raw = Files.readAllBytes(journal);
        Journal j = readJournal(raw);
        if (j == null || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(journal);
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            for (Patch r : j.regions) writeAt(ch, r.bytes(), r.offset());
            if (ch.size() > j.length) ch.truncate(j.length);
            ch.force(true);
        }
        Files.deleteIfExists(journal);
        syncDir(file);
        return true;
    }

    private record Journal(long length, List<Patch> regions) {
    }

    private static void writeAt(FileChannel ch, byte[] bytes, long offset) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) ch.write(b, offset + b.position());
    }

    /** Writes and fsyncs the undo journal (also {@link MatroskaTags}'s: {@link #recover} rolls either back). */
    static void writeJournal(Path journal, Path file, long length, List<Patch> regions) throws IOException {
        writeJournal(journal, file, length, regions, true);
    }

    /** Writes the undo journal; fsynced now when durable, else by the caller's batch before any file it covers changes. */
    static void writeJournal(Path journal, Path file, long length, List<Patch> regions, boolean durable) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(regions.get(0).bytes().length + 256);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(JOURNAL_MAGIC);
        out.writeUTF(file.getFileName().toString());
        out.writeLong(length);
        out.writeInt(regions.size());
        for (Patch r : regions) {
            out.writeLong(r.offset());
            out.writeInt(r.bytes().length);
            out.write(r.bytes());
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        if (!durable) {
            try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray());
                while (b.hasRemaining()) ch.write(b);
            }
            return;
        }
        Path temp = journal.resolveSibling(journal.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray());
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        Files.move(temp, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDir(journal);
    }

    private static Journal readJournal(byte[] raw) {
        if (raw.length < 12) return null;
        CRC32 crc = new CRC32();
        crc.update(raw, 0, raw.length - 8);
        if (ByteBuffer.wrap(raw, raw.length - 8, 8).getLong() != crc.getValue()) return null;
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(raw, 0, raw.length - 8))) {
            if (in.readInt() != JOURNAL_MAGIC) return null;
            in.readUTF();
            long length = in.readLong();
            int count = in.readInt();
            if (count < 1 || count > 64) return null;
            List<Patch> regions = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long offset = in.readLong();
                byte[] old = new byte[in.readInt()];
                in.readFully(old);
                regions.add(new Patch(offset, old));
            }
            return new Journal(length, regions);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Writes a shift plan to {@code temp}: the bytes before moov, the new moov and its padding, then the rest of the
     * file after the old moov region, copied unchanged. The caller verifies, fsyncs and renames it over the original.
     */
    public static void writeShifted(Path file, Plan plan, Path temp) throws IOException {
        if (plan.path() != WritePath.SHIFTED) throw new IllegalArgumentException("not a shift");
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
             FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (in.size() != plan.fileLength()) throw new IOException("the file changed size since the write was planned");
            copy(in, 0, plan.moovOffset(), out);
            ByteBuffer b = ByteBuffer.wrap(plan.newBytes());
            while (b.hasRemaining()) out.write(b);
            long rest = plan.moovOffset() + plan.oldSpace();
            copy(in, rest, plan.fileLength() - rest, out);
            long delta = plan.newBytes().length - plan.oldSpace();
            for (Patch p : plan.patches()) writeAt(out, p.bytes(), p.offset() >= rest ? p.offset() + delta : p.offset());
            shiftFragments(out, plan.moovOffset() + plan.newBytes().length, rest, delta);
            out.force(true);
        }
    }

    /**
     * Moves the absolute offsets of a fragmented file's boxes after {@code from} (in the new file) by {@code delta}:
     * every {@code moof/traf/tfhd} base data offset and every {@code mfra/tfra} moof offset that pointed at or past
     * {@code oldStart}. Relative offsets (trun data offsets, sidx references) move with their boxes and stay right.
     */
    static void shiftFragments(FileChannel ch, long from, long oldStart, long delta) throws IOException {
        long size = ch.size();
        long pos = from;
        ByteBuffer hdr = ByteBuffer.allocate(16);
        while (pos + 8 <= size) {
            hdr.clear();
            readFully(ch, hdr, pos);
            long boxSize = Integer.toUnsignedLong(hdr.getInt(0));
            String type = fourcc(hdr.array(), 4);
            int hlen = 8;
            if (boxSize == 1) {
                boxSize = hdr.getLong(8);
                hlen = 16;
            } else if (boxSize == 0) {
                boxSize = size - pos;
            }
            if (boxSize < hlen || pos + boxSize > size) throw new IOException("box '" + type + "' past the end after the shift");
            if ((type.equals("moof") || type.equals("mfra")) && boxSize <= MAX_MOOV) {
                byte[] buf = new byte[(int) boxSize];
                readFully(ch, ByteBuffer.wrap(buf), pos);
                if (shiftFragmentBox(ByteBuffer.wrap(buf), hlen, buf.length, type, oldStart, delta)) writeAt(ch, buf, pos);
            }
            pos += boxSize;
        }
    }

    private static boolean shiftFragmentBox(ByteBuffer b, int from, int to, String parent, long oldStart, long delta) throws IOException {
        boolean changed = false;
        int pos = from;
        while (pos + 8 <= to) {
            int size = b.getInt(pos);
            String type = fourcc(b.array(), pos + 4);
            if (size < 8 || pos + size > to) throw new IOException("bad box in " + parent);
            if (type.equals("traf")) {
                changed |= shiftFragmentBox(b, pos + 8, pos + size, "traf", oldStart, delta);
            } else if (type.equals("tfhd") && (b.getInt(pos + 8) & 1) != 0) {
                long base = b.getLong(pos + 16);
                if (base >= oldStart) {
                    b.putLong(pos + 16, base + delta);
                    changed = true;
                }
            } else if (type.equals("tfra")) {
                int version = b.get(pos + 8) & 0xFF;
                int sizes = b.getInt(pos + 16);
                int entryTail = ((sizes >> 4) & 3) + 1 + ((sizes >> 2) & 3) + 1 + (sizes & 3) + 1;
                int count = b.getInt(pos + 20);
                int e = pos + 24;
                for (int i = 0; i < count; i++) {
                    if (version == 1) {
                        long off = b.getLong(e + 8);
                        if (off >= oldStart) b.putLong(e + 8, off + delta);
                        e += 16;
                    } else {
                        long off = Integer.toUnsignedLong(b.getInt(e + 4));
                        if (off >= oldStart) {
                            if (off + delta > 0xFFFFFFFFL) throw new IOException("a tfra offset passes 4 GiB after the shift");
                            b.putInt(e + 4, (int) (off + delta));
                        }
                        e += 8;
                    }
                    e += entryTail;
                    if (e > pos + size) throw new IOException("tfra entries past their box");
                }
                changed = true;
            }
            pos += size;
        }
        return changed;
    }

    private static void copy(FileChannel in, long from, long count, FileChannel out) throws IOException {
        long done = 0;
        while (done < count) {
            long n = in.transferTo(from + done, Math.min(count - done, 64L << 20), out);
            if (n <= 0) throw new IOException("short read at " + (from + done));
            done += n;
        }
    }

    /** The redo journal of {@code file}: names the verified temp whose bytes are being copied into the file. */
    public static Path redoFor(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".reelmark-redo");
    }

    /**
     * Puts a verified, fsynced temp file in place of {@code file}, keeping what the file system knows of it: the
     * owner, group and permissions, and its inode when it has hard links. A file with one name is replaced by an
     * atomic rename (after the temp took the owner, group and mode). A file with several names keeps its inode: the
     * temp's bytes are copied into it behind a redo journal written first, so a crash mid-copy is finished by
     * {@link #recoverRedo} (the temp stays until the copy is fsynced); every name then sees the new bytes.
     */
    public static void install(Path temp, Path file) throws IOException {
        int links = 1;
        try {
            links = ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // no link count here: a rename it is
        }
        if (links <= 1) {
            keepOwnership(file, temp);
            replace(temp, file);
            return;
        }
        Path redo = redoFor(file);
        Path tmp = redo.resolveSibling(redo.getFileName() + ".tmp");
        Files.writeString(tmp, "RMR1\n" + temp.getFileName() + "\n" + Files.size(temp) + "\n");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, redo, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDir(redo);
        copyInto(temp, file);
        Files.deleteIfExists(redo);
        Files.deleteIfExists(temp);
        syncDir(file);
    }

    /** Finishes a copy into a hard-linked file that a crash cut short (see {@link #install}); returns whether it did. */
    public static boolean recoverRedo(Path file) throws IOException {
        Path redo = redoFor(file);
        if (!Files.exists(redo, LinkOption.NOFOLLOW_LINKS)) return false;
        List<String> lines = Files.readAllLines(redo);
        Path temp = lines.size() >= 3 && lines.get(0).equals("RMR1") ? file.resolveSibling(lines.get(1)) : null;
        boolean whole = temp != null && Files.isRegularFile(temp, LinkOption.NOFOLLOW_LINKS)
                && Files.size(temp) == Long.parseLong(lines.get(2));
        if (whole) {
            copyInto(temp, file);
            Files.deleteIfExists(temp);
        }
        Files.deleteIfExists(redo);
        syncDir(file);
        return whole;
    }

    private static void copyInto(Path temp, Path file) throws IOException {
        try (FileChannel in = FileChannel.open(temp, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            long size = in.size();
            long done = 0;
            while (done < size) {
                long n = out.transferFrom(in, done, Math.min(size - done, 64L << 20));
                if (n <= 0) throw new IOException("short copy into " + file + " at " + done);
                done += n;
            }
            out.truncate(size);
            out.force(true);
        }
    }

    /** Gives {@code temp} the owner, group and permissions of {@code file} (as far as this process may). */
    static void keepOwnership(Path file, Path temp) throws IOException {
        try {
            var attrs = Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Files.setPosixFilePermissions(temp, attrs.permissions());
            var view = Files.getFileAttributeView(temp, java.nio.file.attribute.PosixFileAttributeView.class);
            try {
                if (!Files.getOwner(temp).equals(attrs.owner())) view.setOwner(attrs.owner());
            } catch (IOException e) {
                // only root may give a file away; then it belongs to whoever writes it, as with any editor
            }
            try {
                if (!Files.readAttributes(temp, java.nio.file.attribute.PosixFileAttributes.class).group().equals(attrs.group())) {
                    view.setGroup(attrs.group());
                }
            } catch (IOException e) {
                // not a member of that group
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    /** Renames {@code temp} over {@code file} atomically and syncs the folder. */
    public static void replace(Path temp, Path file) throws IOException {
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot replace " + file + " atomically", e);
        }
        syncDir(file);
    }

    // ------------------------------------------------------------------ helpers

    private static void syncDir(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null) return;
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot sync a folder; the rename itself is atomic
        }
    }

    /** Reads {@code buf.remaining()} bytes at {@code pos}; a short file is an error. */
    public static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) throw new IOException("unexpected end of file");
        }
    }

    static String fourcc(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.ISO_8859_1);
    }
}
