package dev.reelmark.metadata;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * File and folder names made from catalog names. A safe name is one path element: letters and digits of any
 * script, space, '-', '_' and '.' (not leading), at most {@link #MAX_BYTES} UTF-8 bytes, never "", "." or "..",
 * never a Windows device name. Everything else ('/', '\\', ':', NUL, control characters, emoji) becomes '_'.
 * So a safe name can never leave the folder it is joined to.
 */
public final class SafeNames {
    /** Well under the 255-byte limit of common file systems, leaving room for an id suffix. */
    public static final int MAX_BYTES = 120;
    private static final Pattern RESERVED = Pattern.compile("(?i)^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\\..*)?$");

    private SafeNames() {
    }

    /** The sanitized form of {@code name} (never empty: "unnamed" when nothing usable is left). */
    public static String sanitize(String name) {
        String nfc = Normalizer.normalize(name == null ? "" : name, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder();
        boolean lastUnderscore = false;
        for (int i = 0; i < nfc.length(); ) {
            int cp = nfc.codePointAt(i);
            i += Character.charCount(cp);
            boolean ok = Character.isLetterOrDigit(cp) || cp == ' ' || cp == '-' || cp == '_' || cp == '.';
            if (ok) {
                out.appendCodePoint(cp);
                lastUnderscore = cp == '_';
            } else if (!lastUnderscore) {
                out.append('_');
                lastUnderscore = true;
            }
        }
        String s = out.toString().strip();
        while (s.startsWith(".")) s = s.substring(1);
        while (s.endsWith(".") || s.endsWith(" ")) s = s.substring(0, s.length() - 1);
        s = truncate(s, MAX_BYTES);
        if (s.isEmpty() || s.chars().allMatch(c -> c == '_')) s = s.isEmpty() ? "unnamed" : s;
        if (RESERVED.matcher(s).matches()) s = "_" + s;
        return s;
    }

    /** {@code sanitize(name) + "-" + id}: unique whenever ids are, readable, and stable while the name is. */
    public static String withId(String name, long id) {
        return sanitize(name) + "-" + id;
    }

    /**
     * Folder names for a set of siblings ({@code id → name}): the plain sanitized name where it is the name as
     * typed and no sibling's name collides with it (ignoring case, for case-insensitive file systems), otherwise
     * the name with "-id" appended. The result never has two equal names, ignoring case.
     */
    public static Map<Long, String> assign(Map<Long, String> names) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        names.values().forEach(n -> counts.merge(key(sanitize(n)), 1, Integer::sum));
        Map<Long, String> result = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        // Plain names first, so a suffixed name never takes a plain one's place.
        for (var e : names.entrySet()) {
            String plain = sanitize(e.getValue());
            if (plain.equals(e.getValue()) && counts.get(key(plain)) == 1) {
                result.put(e.getKey(), plain);
                taken.add(key(plain));
            }
        }
        for (var e : names.entrySet()) {
            if (result.containsKey(e.getKey())) continue;
            String candidate = withId(e.getValue(), e.getKey());
            for (int n = 2; taken.contains(key(candidate)); n++) candidate = withId(e.getValue(), e.getKey()) + "-" + n;
            result.put(e.getKey(), candidate);
            taken.add(key(candidate));
        }
        // Keep the caller's order.
        Map<Long, String> ordered = new LinkedHashMap<>();
        names.keySet().forEach(id -> ordered.put(id, result.get(id)));
        return ordered;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String truncate(String s, int maxBytes) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) return s;
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > maxBytes) break;
            out.appendCodePoint(cp);
            bytes += len;
            i += Character.charCount(cp);
        }
        return out.toString().strip();
    }
}
