package dev.reelmark.media;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * File names that unpack the same on Linux, macOS and Windows while staying the name the user gave: accents, emoji,
 * spaces and every script are kept verbatim. Only what one of those file systems cannot hold becomes '_': '/', NUL,
 * control characters (C0, DEL, C1), unpaired surrogates, the Windows-reserved {@code \ : * ? " < > |}, a trailing dot
 * or space (Windows drops them), and device names (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with any extension) get a
 * leading '_'. At most {@link #MAX_BYTES} UTF-8 bytes, the extension kept. Written by hand: the rule is the union
 * of three file systems' limits, which no library on our classpath states.
 */
public final class PortableNames {
    /** ext4, APFS and NTFS allow 255 bytes/units; leave room for a collision suffix. */
    public static final int MAX_BYTES = 200;
    private static final Pattern DEVICE = Pattern.compile("(?i)(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\\..*)?");
    private static final String RESERVED = "/\\:*?\"<>|";

    private PortableNames() {
    }

    /** One path element from any name (never empty, ".", ".." or a device name). */
    public static String element(String name) {
        String s = name == null ? "" : name;
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean bad = cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || RESERVED.indexOf(cp) >= 0
                    || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
            if (bad) out.append('_');
            else out.appendCodePoint(cp);
        }
        int end = out.length();
        while (end > 0 && (out.charAt(end - 1) == '.' || out.charAt(end - 1) == ' ')) out.setCharAt(--end, '_');
        String r = truncate(out.toString(), MAX_BYTES);
        if (r.isEmpty() || r.equals(".") || r.equals("..")) return "_";
        if (DEVICE.matcher(r).matches()) return "_" + r;
        return r;
    }

    /** {@code name} without its extension ("clip.final.mp4" → "clip.final"; a leading dot is no extension). */
    public static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The extension with its dot, or "". */
    public static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot) : "";
    }

    /**
     * The key two names collide under on a case-insensitive, normalization-insensitive file system (Windows, macOS):
     * NFC, then lower case.
     */
    public static String collisionKey(String path) {
        return Normalizer.normalize(path, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    /** Cuts the stem (whole code points) so the name fits in {@code maxBytes}, keeping a short extension. */
    static String truncate(String s, int maxBytes) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) return s;
        String ext = extension(s);
        if (ext.getBytes(StandardCharsets.UTF_8).length > 16) ext = "";
        String stem = ext.isEmpty() ? s : stem(s);
        int budget = maxBytes - ext.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < stem.length(); ) {
            int cp = stem.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > budget) break;
            out.appendCodePoint(cp);
            bytes += len;
            i += Character.charCount(cp);
        }
        return out + ext;
    }
}
