package dev.reelmark.credentials;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * JUMBF (ISO/IEC 19566-5) boxes as the C2PA manifest store uses them: superboxes ({@code jumb}) that start with a
 * description box ({@code jumd}: type UUID, toggles, label) followed by content boxes ({@code cbor}) or more
 * superboxes. Written by hand: no Java library reads or writes JUMBF, and C2PA needs only this small subset.
 */
final class Jumbf {
    static final byte[] STORE = uuid("6332706100110010800000AA00389B71");       // c2pa
    static final byte[] MANIFEST = uuid("63326D6100110010800000AA00389B71");    // c2ma
    static final byte[] ASSERTIONS = uuid("6332617300110010800000AA00389B71");  // c2as
    static final byte[] CLAIM = uuid("6332636C00110010800000AA00389B71");       // c2cl
    static final byte[] SIGNATURE = uuid("6332637300110010800000AA00389B71");   // c2cs
    static final byte[] CBOR = uuid("63626F7200110010800000AA00389B71");        // cbor
    /** Toggles: requestable and label present, the only form C2PA writes. */
    private static final int TOGGLES = 0x03;

    private Jumbf() {
    }

    static byte[] uuid(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** A superbox: its description, then the children (whole boxes). */
    static byte[] superbox(byte[] type, String label, byte[]... children) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(description(type, label));
        for (byte[] c : children) body.writeBytes(c);
        return box("jumb", body.toByteArray());
    }

    /** A superbox holding one CBOR content box (an assertion, the claim, the signature). */
    static byte[] cborBox(byte[] type, String label, byte[] cbor) {
        return superbox(type, label, box("cbor", cbor));
    }

    static byte[] description(byte[] type, String label) {
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(16 + 1 + l.length + 1);
        b.put(type).put((byte) TOGGLES).put(l).put((byte) 0);
        return box("jumd", b.array());
    }

    static byte[] box(String type, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(8 + body.length);
        b.putInt(8 + body.length).put(type.getBytes(StandardCharsets.ISO_8859_1)).put(body);
        return b.array();
    }

    /** The bytes after a box's 8-byte header: what C2PA hashes for an assertion's hashed URI. */
    static byte[] payload(byte[] box) {
        return java.util.Arrays.copyOfRange(box, 8, box.length);
    }

    // ------------------------------------------------------------------ reading

    /** A parsed superbox: its type and label, its content boxes (type + body) and child superboxes. */
    record Super(byte[] type, String label, byte[] payload, List<Content> contents, List<Super> children) {
        Super child(String wanted) {
            for (Super c : children) if (c.label.equals(wanted)) return c;
            return null;
        }

        /** The body of the first content box of this type, or null. */
        byte[] content(String boxType) {
            for (Content c : contents) if (c.type.equals(boxType)) return c.body;
            return null;
        }

        boolean is(byte[] t) {
            return java.util.Arrays.equals(type, t);
        }
    }

    record Content(String type, byte[] body) {
    }

    /** Parses one {@code jumb} box starting at {@code at}; throws {@link IllegalArgumentException} on malformed input. */
    static Super parse(byte[] buf, int at, int end) {
        if (at + 8 > end) throw new IllegalArgumentException("short JUMBF box");
        int size = ByteBuffer.wrap(buf, at, 4).getInt();
        String type = new String(buf, at + 4, 4, StandardCharsets.ISO_8859_1);
        if (!type.equals("jumb") || size < 8 || at + (long) size > end) throw new IllegalArgumentException("not a JUMBF superbox at " + at);
        int pos = at + 8, stop = at + size;
        int dsize = ByteBuffer.wrap(buf, pos, 4).getInt();
        if (!new String(buf, pos + 4, 4, StandardCharsets.ISO_8859_1).equals("jumd") || dsize < 8 + 17 || pos + dsize > stop) {
            throw new IllegalArgumentException("JUMBF superbox without a description box");
        }
        byte[] t = java.util.Arrays.copyOfRange(buf, pos + 8, pos + 24);
        int toggles = buf[pos + 24] & 0xFF;
        String label = "";
        if ((toggles & 0x02) != 0) {
            int l = pos + 25, z = l;
            while (z < pos + dsize && buf[z] != 0) z++;
            label = new String(buf, l, z - l, StandardCharsets.UTF_8);
        }
        List<Content> contents = new ArrayList<>();
        List<Super> children = new ArrayList<>();
        int p = pos + dsize;
        while (p + 8 <= stop) {
            int s = ByteBuffer.wrap(buf, p, 4).getInt();
            if (s < 8 || p + (long) s > stop) throw new IllegalArgumentException("JUMBF box runs past its superbox");
            String bt = new String(buf, p + 4, 4, StandardCharsets.ISO_8859_1);
            if (bt.equals("jumb")) children.add(parse(buf, p, p + s));
            else contents.add(new Content(bt, java.util.Arrays.copyOfRange(buf, p + 8, p + s)));
            p += s;
        }
        return new Super(t, label, java.util.Arrays.copyOfRange(buf, at + 8, stop), contents, children);
    }
}
