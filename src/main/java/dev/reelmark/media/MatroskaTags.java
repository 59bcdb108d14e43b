package dev.reelmark.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The global tags of a Matroska/WebM file (the {@code Tags} element of its Segment), rewritten without re-muxing, the
 * way mkvpropedit does it. EBML is read and written by hand here: no maintained Java library edits Matroska in place
 * (jebml and the old libmatroska bindings are unmaintained and read or write whole files). A write takes one of three
 * paths, none of which moves a media byte:
 * <ul>
 *   <li>{@link WritePath#IN_PLACE}: the new Tags fit where the old ones were plus the {@code Void} elements right after
 *   them; the rest becomes a Void (a one-byte rest, too short for a Void, is absorbed by a wider size field). The file
 *   keeps its length and the SeekHead stays right.</li>
 *   <li>{@link WritePath#EXTENDED}: the Tags are the last element of a Segment that ends the file; they are rewritten
 *   where they are, {@link #PADDING} bytes of Void after them, and the Segment size is updated.</li>
 *   <li>{@link WritePath#MOVED}: the new Tags go into a run of Void elsewhere in the Segment (not the one after a
 *   SeekHead, kept for the SeekHead to grow) or are appended at the end of the Segment (with padding, Segment size
 *   updated unless it is "unknown"); the old Tags become a Void and the SeekHead entry for Tags is changed (or added;
 *   the SeekHead is rebuilt into its own Void space when the new position needs a wider field).</li>
 * </ul>
 * The global tag (one without target UIDs) keeps every SimpleTag byte for byte except the ones the edit names:
 * {@code COMMENT} only when it changes, and {@code PEOPLE}. Other tags (per track, chapter, attachment) are copied as
 * they are. CRC-32 elements of rewritten level-1 elements are recomputed. Every byte is written behind the undo journal
 * of {@link Mp4Boxes} (old length and old bytes, fsynced before the first byte changes), so {@link Mp4Boxes#recover}
 * rolls a crash back. Layouts it does not handle (several Tags elements, unknown-size elements inside the Segment, no
 * SeekHead when Tags must move, a Segment that is not the end of the file when there is no room) throw
 * {@link Mp4Boxes.Unsupported}: the caller re-muxes.
 */
public final class MatroskaTags {
    public static final int PADDING = 1024;
    private static final int MAX_TAGS = 16 << 20;

    static final long EBML = 0x1A45DFA3L;
    static final long DOC_TYPE = 0x4282L;
    static final long SEGMENT = 0x18538067L;
    static final long SEEK_HEAD = 0x114D9B74L;
    static final long SEEK = 0x4DBBL;
    static final long SEEK_ID = 0x53ABL;
    static final long SEEK_POSITION = 0x53ACL;
    static final long TAGS = 0x1254C367L;
    static final long TAG = 0x7373L;
    static final long TARGETS = 0x63C0L;
    static final long SIMPLE_TAG = 0x67C8L;
    static final long TAG_NAME = 0x45A3L;
    static final long TAG_STRING = 0x4487L;
    static final long TAG_LANGUAGE = 0x447AL;
    static final long TAG_LANGUAGE_BCP47 = 0x447BL;
    static final long VOID = 0xECL;
    static final long CRC32_ID = 0xBFL;
    static final long CLUSTER = 0x1F43B675L;
    private static final Set<Long> TARGET_UIDS = Set.of(0x63C5L, 0x63C9L, 0x63C4L, 0x63C6L);
    private static final long UNKNOWN = -1;

    private MatroskaTags() {
    }

    public enum WritePath {
        IN_PLACE("in_place"), EXTENDED("tags_extended"), MOVED("tags_moved");

        public final String label;

        WritePath(String label) {
            this.label = label;
        }
    }

    /** One EBML element: its id, where it starts, its header length and its data size ({@code -1}: unknown). */
    public record Element(long id, long offset, int headerLength, long dataSize) {
        public long dataStart() {
            return offset + headerLength;
        }

        public long end() {
            return dataStart() + dataSize;
        }

        public long size() {
            return headerLength + dataSize;
        }
    }

    /** The Segment and its top-level children, in file order. */
    public record Layout(String docType, Element segment, int segmentSizeLength, List<Element> children, long fileLength) {
        public long segmentEnd() {
            return segment.dataSize() == UNKNOWN ? fileLength : segment.end();
        }

        List<Element> all(long id) {
            return children.stream().filter(e -> e.id() == id).toList();
        }
    }

    /** What to change: the comment when {@code setComment} (null removes it), the PEOPLE tag when {@code setPeople}. */
    public record Edit(boolean setComment, String comment, boolean setPeople, String people) {
    }

    /**
     * A planned write: the path, the file length it was planned for and the one it will have, and the byte ranges to
     * write (sorted, not overlapping; a range at or past {@code fileLength} extends the file).
     */
    public record Plan(WritePath path, long fileLength, long newLength, List<Mp4Boxes.Patch> patches, long tagsOffset,
                       byte[] tags) {
    }

    // ------------------------------------------------------------------ reading the structure

    /** The EBML header's doc type, the Segment and its children (headers only: clusters are skipped by their size). */
    public static Layout layout(FileChannel ch) throws IOException, Mp4Boxes.Unsupported {
        long fileLength = ch.size();
        Element ebml = header(ch, 0, fileLength);
        if (ebml.id() != EBML || ebml.dataSize() == UNKNOWN || ebml.dataSize() > 4096) throw new Mp4Boxes.Unsupported("not EBML");
        byte[] head = read(ch, ebml.dataStart(), (int) ebml.dataSize());
        String docType = null;
        for (Element e : children(head, ebml.dataStart(), 0, head.length)) {
            if (e.id() == DOC_TYPE) docType = string(head, ebml.dataStart(), e);
        }
        if (!"matroska".equals(docType) && !"webm".equals(docType)) throw new Mp4Boxes.Unsupported("doc type " + docType);
        Element segment = header(ch, ebml.end(), fileLength);
        if (segment.id() != SEGMENT) throw new Mp4Boxes.Unsupported("no Segment after the EBML header");
        int sizeLength = segment.headerLength() - 4;
        long end = segment.dataSize() == UNKNOWN ? fileLength : segment.end();
        if (end > fileLength) throw new Mp4Boxes.Unsupported("the Segment runs past the end of the file");
        // Bytes after a Segment of known size (a second segment, junk) are fine as long as nothing is appended.
        List<Element> kids = new ArrayList<>();
        long pos = segment.dataStart();
        while (pos < end) {
            if (end - pos < 2) throw new Mp4Boxes.Unsupported("trailing bytes in the Segment");
            Element e = header(ch, pos, fileLength);
            if (e.dataSize() == UNKNOWN) throw new Mp4Boxes.Unsupported("an element of unknown size in the Segment");
            if (e.end() > end) throw new Mp4Boxes.Unsupported("an element runs past the Segment");
            kids.add(e);
            pos = e.end();
        }
        return new Layout(docType, segment, sizeLength, List.copyOf(kids), fileLength);
    }

    // ------------------------------------------------------------------ planning

    /** Plans {@code edit} for {@code file}; reads the element headers, the SeekHeads and the Tags only. */
    public static Plan plan(Path file, Edit edit) throws IOException, Mp4Boxes.Unsupported {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            Layout l = layout(ch);
            List<Element> tagsElements = l.all(TAGS);
            if (tagsElements.size() > 1) throw new Mp4Boxes.Unsupported("several Tags elements");
            Element old = tagsElements.isEmpty() ? null : tagsElements.get(0);
            if (old != null && old.dataSize() > MAX_TAGS) throw new Mp4Boxes.Unsupported("Tags larger than 16 MiB");
            byte[] oldData = old == null ? new byte[0] : read(ch, old.dataStart(), (int) old.dataSize());
            byte[] content = newTagsContent(oldData, old == null ? 0 : old.dataStart(), edit);
            List<Mp4Boxes.Patch> patches = new ArrayList<>();

            // 1. in place: the old Tags and the Void run after them
            if (old != null) {
                int i = l.children().indexOf(old);
                long runEnd = voidRunEnd(l, i + 1, old.end());
                byte[] fitted = fit(TAGS, content, runEnd - old.offset());
                if (fitted != null) {
                    patches.add(new Mp4Boxes.Patch(old.offset(), fitted));
                    byte[] el = Arrays.copyOf(fitted, (int) header(fitted, 0, 0).size());
                    return new Plan(WritePath.IN_PLACE, l.fileLength(), l.fileLength(), patches, old.offset(), el);
                }
                // 2. the last element of a Segment that ends the file: rewritten where it is, the file extended
                if (runEnd == l.segmentEnd() && l.segmentEnd() == l.fileLength()) {
                    byte[] tags = element(TAGS, content);
                    byte[] bytes = concat(tags, voidOf(PADDING));
                    long newLength = old.offset() + bytes.length;
                    patches.add(new Mp4Boxes.Patch(old.offset(), bytes));
                    segmentSize(l, newLength, patches);
                    return finish(WritePath.EXTENDED, l, newLength, patches, old.offset(), tags);
                }
            }
            byte[] tags = element(TAGS, content);
            // 3. a run of Void elsewhere (not right after a SeekHead: that room is the SeekHead's)
            long[] target = voidRunFor(l, old, tags.length);
            long newLength = l.fileLength();
            long at;
            if (target != null) {
                long runStart = target[0];
                long runEnd = target[1];
                long spare = runEnd - runStart - tags.length;
                at = runEnd - tags.length; // at the end of the run: the Void stays in front
                if (spare > 0) patches.add(new Mp4Boxes.Patch(runStart, voidOf(spare)));
                patches.add(new Mp4Boxes.Patch(at, tags));
            } else {
                // 4. appended at the end of the Segment, with padding for the next write
                if (l.segmentEnd() != l.fileLength()) throw new Mp4Boxes.Unsupported("no room for the Tags and the Segment does not end the file");
                at = l.fileLength();
                byte[] bytes = concat(tags, voidOf(PADDING));
                patches.add(new Mp4Boxes.Patch(at, bytes));
                newLength = at + bytes.length;
                segmentSize(l, newLength, patches);
            }
            if (old != null && !(target != null && old.offset() >= target[0] && old.end() <= target[1])) {
                // the old Tags become a Void (zeroed, so no stale Tags are found by a resyncing reader)
                byte[] v = new byte[(int) old.size()];
                System.arraycopy(voidOf(old.size()), 0, v, 0, voidHeaderLength(old.size()));
                patches.add(new Mp4Boxes.Patch(old.offset(), v));
            }
            seekHead(ch, l, at - l.segment().dataStart(), target, patches);
            return finish(WritePath.MOVED, l, newLength, patches, at, tags);
        }
    }

    private static Plan finish(WritePath path, Layout l, long newLength, List<Mp4Boxes.Patch> patches, long at, byte[] tags)
            throws Mp4Boxes.Unsupported {
        List<Mp4Boxes.Patch> sorted = new ArrayList<>(patches);
        sorted.sort(Comparator.comparingLong(Mp4Boxes.Patch::offset));
        for (int i = 1; i < sorted.size(); i++) {
            Mp4Boxes.Patch a = sorted.get(i - 1);
            if (a.offset() + a.bytes().length > sorted.get(i).offset()) throw new Mp4Boxes.Unsupported("overlapping writes planned");
        }
        return new Plan(path, l.fileLength(), newLength, List.copyOf(sorted), at, tags);
    }

    /** The end of the run of Void elements starting at child {@code from} (or {@code end} when there is none). */
    private static long voidRunEnd(Layout l, int from, long end) {
        long e = end;
        for (int i = from; i < l.children().size() && l.children().get(i).id() == VOID; i++) e = l.children().get(i).end();
        return e;
    }

    /**
     * The first run of Voids (the old Tags counted as one) that holds {@code length} bytes exactly or with at least
     * two to spare, skipping a run right after a SeekHead; {start, end} or null.
     */
    private static long[] voidRunFor(Layout l, Element old, long length) {
        List<Element> kids = l.children();
        int i = 0;
        while (i < kids.size()) {
            Element e = kids.get(i);
            if (e.id() != VOID && e != old) {
                i++;
                continue;
            }
            int j = i;
            while (j < kids.size() && (kids.get(j).id() == VOID || kids.get(j) == old)) j++;
            boolean afterSeekHead = i > 0 && kids.get(i - 1).id() == SEEK_HEAD;
            long start = e.offset();
            long end = kids.get(j - 1).end();
            long room = end - start;
            if (!afterSeekHead && (room == length || room >= length + 2)) return new long[]{start, end};
            i = j;
        }
        return null;
    }

    /** Rewrites the Segment's size (same width) for a file that will be {@code newLength} bytes long. */
    private static void segmentSize(Layout l, long newLength, List<Mp4Boxes.Patch> patches) throws Mp4Boxes.Unsupported {
        if (l.segment().dataSize() == UNKNOWN) return;
        long size = newLength - l.segment().dataStart();
        int w = l.segmentSizeLength();
        if (size > maxSize(w)) throw new Mp4Boxes.Unsupported("the new Segment size does not fit its " + w + "-byte field");
        patches.add(new Mp4Boxes.Patch(l.segment().offset() + 4, vint(size, w)));
    }

    /**
     * Points the SeekHead's Tags entry at {@code relative} (from the Segment's data start): the position changed where
     * it is when it fits its field, else the SeekHead rebuilt with the entry (added when missing) in its own room.
     */
    private static void seekHead(FileChannel ch, Layout l, long relative, long[] taken, List<Mp4Boxes.Patch> patches)
            throws IOException, Mp4Boxes.Unsupported {
        List<Element> heads = l.all(SEEK_HEAD);
        if (heads.isEmpty()) throw new Mp4Boxes.Unsupported("no SeekHead to point at the moved Tags");
        Element chosen = null;
        byte[] data = null;
        Element entry = null;
        for (Element h : heads) {
            if (h.dataSize() > 1 << 20) throw new Mp4Boxes.Unsupported("huge SeekHead");
            byte[] d = read(ch, h.dataStart(), (int) h.dataSize());
            for (Element s : children(d, h.dataStart(), 0, d.length)) {
                if (s.id() != SEEK) continue;
                Long id = null;
                for (Element c : children(d, h.dataStart(), (int) (s.dataStart() - h.dataStart()), (int) (s.end() - h.dataStart()))) {
                    if (c.id() == SEEK_ID) id = uint(d, h.dataStart(), c);
                }
                if (id != null && id == TAGS) {
                    if (entry != null) throw new Mp4Boxes.Unsupported("two SeekHead entries for Tags");
                    chosen = h;
                    data = d;
                    entry = s;
                }
            }
        }
        if (chosen == null) {
            chosen = heads.get(0);
            data = read(ch, chosen.dataStart(), (int) chosen.dataSize());
        }
        List<Element> kids = children(data, chosen.dataStart(), 0, data.length);
        boolean crc = !kids.isEmpty() && kids.get(0).id() == CRC32_ID;
        if (entry != null) {
            Element pos = null;
            for (Element c : children(data, chosen.dataStart(), (int) (entry.dataStart() - chosen.dataStart()),
                    (int) (entry.end() - chosen.dataStart()))) {
                if (c.id() == SEEK_POSITION) pos = c;
            }
            if (pos != null && pos.dataSize() >= 1 && pos.dataSize() <= 8 && (pos.dataSize() == 8 || relative < 1L << (8 * pos.dataSize()))) {
                byte[] d = data.clone();
                int at = (int) (pos.dataStart() - chosen.dataStart());
                for (int i = (int) pos.dataSize() - 1, v = 0; i >= 0; i--, v++) d[at + i] = (byte) (relative >>> (8 * v));
                if (crc) setCrc(d, kids);
                long from = crc ? chosen.dataStart() : pos.dataStart();
                int off = (int) (from - chosen.dataStart());
                int len = (int) (pos.end() - from);
                patches.add(new Mp4Boxes.Patch(from, Arrays.copyOfRange(d, off, off + len)));
                return;
            }
        }
        // rebuild: every child kept, the Tags entry replaced (or added), CRC recomputed
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 32);
        byte[] newEntry = element(SEEK, concat(element(SEEK_ID, idBytes(TAGS)), element(SEEK_POSITION, uintBytes(relative))));
        boolean placed = false;
        for (Element k : kids) {
            if (k.id() == CRC32_ID || k.id() == VOID) continue;
            if (entry != null && k.offset() == entry.offset()) {
                out.writeBytes(newEntry);
                placed = true;
            } else {
                out.writeBytes(Arrays.copyOfRange(data, (int) (k.offset() - chosen.dataStart()), (int) (k.end() - chosen.dataStart())));
            }
        }
        if (!placed) out.writeBytes(newEntry);
        byte[] content = out.toByteArray();
        if (crc) content = concat(crcElement(content), content);
        int i = l.children().indexOf(chosen);
        long end = voidRunEnd(l, i + 1, chosen.end());
        if (taken != null && taken[0] < end && taken[1] > chosen.offset()) end = Math.min(end, taken[0]);
        byte[] fitted = fit(SEEK_HEAD, content, end - chosen.offset());
        if (fitted == null) throw new Mp4Boxes.Unsupported("no room to grow the SeekHead");
        patches.add(new Mp4Boxes.Patch(chosen.offset(), fitted));
    }

    /**
     * The new content of the Tags element: every Tag copied, the global one (the first without target UIDs; created
     * when there is none) with its COMMENT replaced when {@code setComment} and its PEOPLE when {@code setPeople}.
     */
    static byte[] newTagsContent(byte[] old, long base, Edit edit) throws Mp4Boxes.Unsupported {
        List<Element> kids = children(old, base, 0, old.length);
        boolean crc = !kids.isEmpty() && kids.get(0).id() == CRC32_ID;
        List<byte[]> tags = new ArrayList<>();
        int global = -1;
        List<List<byte[]>> globalParts = new ArrayList<>();
        for (Element k : kids) {
            if (k.id() == CRC32_ID || k.id() == VOID) continue;
            byte[] raw = slice(old, base, k);
            if (k.id() == TAG && isGlobal(old, base, k)) {
                List<byte[]> parts = new ArrayList<>();
                for (Element p : children(old, base, (int) (k.dataStart() - base), (int) (k.end() - base))) parts.add(slice(old, base, p));
                globalParts.add(parts);
                if (global < 0) global = tags.size();
                tags.add(null); // filled in below
            } else {
                tags.add(raw);
            }
        }
        if (global < 0) {
            global = tags.size();
            tags.add(null);
            globalParts.add(new ArrayList<>(List.of(element(TARGETS, new byte[0]))));
        }
        if (edit.setComment()) {
            int[] where = null;
            for (int g = 0; g < globalParts.size(); g++) {
                List<byte[]> parts = globalParts.get(g);
                for (int p = 0; p < parts.size(); p++) {
                    if (isSimple(parts.get(p), "COMMENT")) {
                        if (where != null) throw new Mp4Boxes.Unsupported("several global COMMENT tags");
                        where = new int[]{g, p};
                    }
                }
            }
            byte[] simple = edit.comment() == null ? null : simpleTag("COMMENT", edit.comment());
            if (where != null) {
                if (simple == null) globalParts.get(where[0]).remove(where[1]);
                else globalParts.get(where[0]).set(where[1], simple);
            } else if (simple != null) {
                globalParts.get(0).add(simple);
            }
        }
        if (edit.setPeople()) {
            for (List<byte[]> parts : globalParts) parts.removeIf(p -> isSimple(p, "PEOPLE"));
            if (edit.people() != null) globalParts.get(0).add(simpleTag("PEOPLE", edit.people()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(old.length + 256);
        int g = 0;
        for (byte[] t : tags) {
            if (t != null) {
                out.writeBytes(t);
                continue;
            }
            List<byte[]> parts = globalParts.get(g++);
            boolean hasSimple = parts.stream().anyMatch(p -> idOf(p) == SIMPLE_TAG);
            if (!hasSimple) continue; // an empty global tag is dropped (a Tag needs a SimpleTag)
            out.writeBytes(element(TAG, concat(parts.toArray(new byte[0][]))));
        }
        byte[] content = out.toByteArray();
        return crc ? concat(crcElement(content), content) : content;
    }

    private static boolean isGlobal(byte[] buf, long base, Element tag) throws Mp4Boxes.Unsupported {
        for (Element p : children(buf, base, (int) (tag.dataStart() - base), (int) (tag.end() - base))) {
            if (p.id() != TARGETS) continue;
            for (Element t : children(buf, base, (int) (p.dataStart() - base), (int) (p.end() - base))) {
                if (TARGET_UIDS.contains(t.id()) && uint(buf, base, t) != 0) return false;
            }
        }
        return true;
    }

    /** Whether the raw element is a SimpleTag named {@code name} (any case) in no language or "und". */
    private static boolean isSimple(byte[] raw, String name) {
        try {
            if (idOf(raw) != SIMPLE_TAG) return false;
            Element s = header(raw, 0, 0);
            String n = null;
            String lang = null;
            for (Element c : children(raw, 0, (int) s.dataStart(), (int) s.end())) {
                if (c.id() == TAG_NAME) n = string(raw, 0, c);
                else if (c.id() == TAG_LANGUAGE || c.id() == TAG_LANGUAGE_BCP47) lang = string(raw, 0, c);
            }
            return n != null && n.toUpperCase(Locale.ROOT).equals(name) && (lang == null || lang.equals("und"));
        } catch (Mp4Boxes.Unsupported e) {
            return false;
        }
    }

    private static byte[] simpleTag(String name, String value) {
        return element(SIMPLE_TAG, concat(element(TAG_NAME, name.getBytes(StandardCharsets.UTF_8)),
                element(TAG_STRING, value.getBytes(StandardCharsets.UTF_8))));
    }

    // ------------------------------------------------------------------ applying a plan

    /**
     * Applies a plan in place: the undo journal (the old length and the old bytes of every range written) is written
     * and fsynced before the first byte of the file changes; the file is fsynced after. The journal stays until
     * {@link Mp4Boxes#commit} (or {@link Mp4Boxes#recover}) removes it.
     */
    public static void apply(Path file, Plan plan) throws IOException {
        apply(file, plan, Long.MAX_VALUE);
    }

    /** {@link #apply} that stops after {@code byteLimit} new bytes, as a crash would (tests only; not for callers). */
    static void apply(Path file, Plan plan, long byteLimit) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            if (ch.size() != plan.fileLength()) throw new IOException("the file changed size since the write was planned");
            List<Mp4Boxes.Patch> regions = new ArrayList<>();
            for (Mp4Boxes.Patch p : plan.patches()) {
                long inFile = Math.min(p.bytes().length, plan.fileLength() - p.offset());
                if (inFile <= 0) continue;
                byte[] was = new byte[(int) inFile];
                Mp4Boxes.readFully(ch, ByteBuffer.wrap(was), p.offset());
                regions.add(new Mp4Boxes.Patch(p.offset(), was));
            }
            if (regions.isEmpty()) regions.add(new Mp4Boxes.Patch(0, new byte[0]));
            Mp4Boxes.writeJournal(Mp4Boxes.journalFor(file), file, plan.fileLength(), regions);
            long budget = byteLimit;
            for (Mp4Boxes.Patch p : plan.patches()) {
                if (budget <= 0) return;
                int n = (int) Math.min(p.bytes().length, budget);
                ByteBuffer b = ByteBuffer.wrap(p.bytes(), 0, n);
                while (b.hasRemaining()) ch.write(b, p.offset() + b.position());
                budget -= n;
                if (n < p.bytes().length) return;
            }
            if (ch.size() > plan.newLength()) ch.truncate(plan.newLength());
            ch.force(true);
        }
    }

    /** The Tags element's bytes as the file holds them now (for checking a write), or null when there is none. */
    public static byte[] readTags(Path file) throws IOException, Mp4Boxes.Unsupported {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            Layout l = layout(ch);
            List<Element> t = l.all(TAGS);
            if (t.size() != 1) return null;
            return read(ch, t.get(0).offset(), (int) t.get(0).size());
        }
    }

    // ------------------------------------------------------------------ EBML encoding

    /** {@code content} as an element of {@code id} padded with a Void to exactly {@code space} bytes, or null. */
    static byte[] fit(long id, byte[] content, long space) {
        byte[] idb = idBytes(id);
        for (int w = vintLength(content.length); w <= 8; w++) {
            long len = idb.length + w + (long) content.length;
            long rest = space - len;
            if (rest < 0) return null;
            if (rest == 1) continue; // no Void is one byte long: a wider size field takes it
            byte[] el = concat(idb, vint(content.length, w), content);
            return rest == 0 ? el : concat(el, voidOf(rest));
        }
        return null;
    }

    /** A Void element exactly {@code total} bytes long (at least 2), its data zero. */
    static byte[] voidOf(long total) {
        if (total < 2) throw new IllegalArgumentException("a Void is at least 2 bytes");
        int w = voidHeaderLength(total) - 1;
        byte[] out = new byte[(int) total];
        out[0] = (byte) VOID;
        System.arraycopy(vint(total - 1 - w, w), 0, out, 1, w);
        return out;
    }

    private static int voidHeaderLength(long total) {
        for (int w = 1; w <= 8; w++) {
            long d = total - 1 - w;
            if (d >= 0 && d <= maxSize(w)) return 1 + w;
        }
        throw new IllegalArgumentException("Void too large");
    }

    static long maxSize(int width) {
        return (1L << (7 * width)) - 2; // all ones means "unknown"
    }

    static int vintLength(long v) {
        int w = 1;
        while (v > maxSize(w)) w++;
        return w;
    }

    static byte[] vint(long v, int width) {
        byte[] b = new byte[width];
        for (int i = width - 1; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        b[0] |= (byte) (0x80 >> (width - 1));
        return b;
    }

    static byte[] element(long id, byte[] content) {
        return concat(idBytes(id), vint(content.length, vintLength(content.length)), content);
    }

    static byte[] idBytes(long id) {
        int n = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (id >>> (8 * (n - 1 - i)));
        return b;
    }

    private static byte[] uintBytes(long v) {
        int n = 1;
        while (n < 8 && (v >>> (8 * n)) != 0) n++;
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (v >>> (8 * (n - 1 - i)));
        return b;
    }

    /** A CRC-32 element over {@code content} (EBML: IEEE CRC-32, stored little-endian). */
    private static byte[] crcElement(byte[] content) {
        CRC32 c = new CRC32();
        c.update(content);
        long v = c.getValue();
        return new byte[]{(byte) CRC32_ID, (byte) 0x84, (byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    /** Recomputes the CRC-32 element that is the first of {@code kids} over the rest of {@code data}. */
    private static void setCrc(byte[] data, List<Element> kids) {
        Element c = kids.get(0);
        long base = c.offset();
        int after = (int) (c.end() - base);
        byte[] fresh = crcElement(Arrays.copyOfRange(data, after, data.length));
        System.arraycopy(fresh, 2, data, (int) (c.dataStart() - base), 4);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    // ------------------------------------------------------------------ EBML decoding

    private static Element header(FileChannel ch, long pos, long fileLength) throws IOException, Mp4Boxes.Unsupported {
        int n = (int) Math.min(12, fileLength - pos);
        if (n < 2) throw new Mp4Boxes.Unsupported("no element header at " + pos);
        byte[] b = read(ch, pos, n);
        Element e = header(b, 0, pos);
        return e;
    }

    /** The element header at {@code at} of {@code buf}, whose byte 0 is at file offset {@code base}. */
    static Element header(byte[] buf, int at, long base) throws Mp4Boxes.Unsupported {
        if (at >= buf.length) throw new Mp4Boxes.Unsupported("no element header");
        int first = buf[at] & 0xFF;
        int idLen = Integer.numberOfLeadingZeros(first) - 23;
        if (idLen < 1 || idLen > 4 || at + idLen >= buf.length) throw new Mp4Boxes.Unsupported("bad element id at " + (base + at));
        long id = 0;
        for (int i = 0; i < idLen; i++) id = (id << 8) | (buf[at + i] & 0xFF);
        int s0 = buf[at + idLen] & 0xFF;
        int sLen = Integer.numberOfLeadingZeros(s0) - 23;
        if (sLen < 1 || sLen > 8 || at + idLen + sLen > buf.length) throw new Mp4Boxes.Unsupported("bad element size at " + (base + at));
        long size = s0 & (0xFF >> sLen);
        boolean allOnes = size == (0xFF >> sLen);
        for (int i = 1; i < sLen; i++) {
            int v = buf[at + idLen + i] & 0xFF;
            allOnes &= v == 0xFF;
            size = (size << 8) | v;
        }
        return new Element(id, base + at, idLen + sLen, allOnes ? UNKNOWN : size);
    }

    /** The elements between {@code from} and {@code to} of {@code buf} (byte 0 at file offset {@code base}). */
    static List<Element> children(byte[] buf, long base, int from, int to) throws Mp4Boxes.Unsupported {
        List<Element> out = new ArrayList<>();
        int pos = from;
        while (pos < to) {
            Element e = header(buf, pos, base);
            if (e.dataSize() == UNKNOWN || e.end() - base > to) throw new Mp4Boxes.Unsupported("bad child element at " + (base + pos));
            out.add(e);
            pos = (int) (e.end() - base);
        }
        return out;
    }

    private static long idOf(byte[] raw) {
        try {
            return header(raw, 0, 0).id();
        } catch (Mp4Boxes.Unsupported e) {
            return -1;
        }
    }

    private static byte[] slice(byte[] buf, long base, Element e) {
        return Arrays.copyOfRange(buf, (int) (e.offset() - base), (int) (e.end() - base));
    }

    private static String string(byte[] buf, long base, Element e) {
        int from = (int) (e.dataStart() - base);
        int n = (int) e.dataSize();
        while (n > 0 && buf[from + n - 1] == 0) n--;
        return new String(buf, from, n, StandardCharsets.UTF_8);
    }

    private static long uint(byte[] buf, long base, Element e) {
        long v = 0;
        for (int i = 0; i < e.dataSize(); i++) v = (v << 8) | (buf[(int) (e.dataStart() - base) + i] & 0xFF);
        return v;
    }

    private static byte[] read(FileChannel ch, long pos, int len) throws IOException {
        byte[] b = new byte[len];
        Mp4Boxes.readFully(ch, ByteBuffer.wrap(b), pos);
        return b;
    }
}
