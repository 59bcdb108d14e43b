package dev.reelmark.dataset;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names samples get inside a dataset package. A sample is {@code seg<segment id>_<the clip's own name>}: the
 * segment id ties it to its catalog row and keeps names apart; the clip's name is kept as the user wrote it (UTF-8,
 * NFC, spaces and accents included), with only what a filesystem cannot hold replaced by {@code _} (control
 * characters and {@code / \ : * ? " < > |}; leading and trailing dots and spaces, which Windows and Unix treat
 * specially). A WebDataset key is the same name with dots replaced, since WebDataset splits a member's key from
 * its extension at the first dot. One instance allocates the names of one package: a name whose key would equal
 * an earlier one (compared case-folded, as macOS and Windows extract) gets a deterministic {@code ~2}, {@code ~3}…
 */
final class SampleNames {
    /** Stays well below the 255-byte file-name limit once an extension (and a collision suffix) is added. */
    static final int MAX_NAME_BYTES = 180;
    private static final Pattern UNSAFE = Pattern.compile("[\\p{Cc}/\\\\:*?\"<>|]");
    private static final Pattern EDGES = Pattern.compile("^[. ]+|[. ]+$");

    private final Set<String> taken = new HashSet<>();

    /** The name part for any text: filesystem-safe, at most {@value #MAX_NAME_BYTES} UTF-8 bytes, never empty. */
    static String clean(String text) {
        String s = text == null ? "" : Normalizer.normalize(text, Normalizer.Form.NFC);
        s = UNSAFE.matcher(s).replaceAll("_");
        s = EDGES.matcher(s).replaceAll("");
        s = truncate(s, MAX_NAME_BYTES);
        s = EDGES.matcher(s).replaceAll("");
        return s.isEmpty() ? "_" : s;
    }

    /** The WebDataset key of a sample name: no dots (the key ends at a member name's first dot). */
    static String key(String sampleName) {
        return sampleName.replace('.', '_');
    }

    /** The unique sample name of a segment's clip within this package. */
    String allocate(long segmentId, String clipName) {
        String base = "seg" + segmentId + "_" + clean(clipName);
        String name = base;
        for (int n = 2; !taken.add(key(name).toLowerCase(Locale.ROOT)); n++) name = base + "~" + n;
        return name;
    }

    /** Cuts at a code point boundary so no character is split. */
    private static String truncate(String s, int maxBytes) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) return s;
        StringBuilder b = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > maxBytes) break;
            b.appendCodePoint(cp);
            bytes += len;
            i += Character.charCount(cp);
        }
        return b.toString();
    }
}
