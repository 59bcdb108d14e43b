package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code People: Alice, Bob} line inside a container comment: reading it, merging, and composing the comment to
 * write. A comment is one of: none, only a People line, ComfyUI's prompt/workflow JSON (generation provenance), or
 * someone's own text. A People line inside a longer comment is replaced in place, so the rest is always kept.
 */
public final class PeopleComment {
    /** Longest person name accepted (the API rejects longer ones; a catalog name longer than this blocks the file). */
    public static final int MAX_NAME_LENGTH = 200;
    private static final Pattern PEOPLE_LINE = Pattern.compile("(?im)^[ \\t]*People:[ \\t]*(.*?)[ \\t]*$");

    public enum Kind {
        NONE, PEOPLE, COMFYUI, JSON, CUSTOM;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private PeopleComment() {
    }

    /** What an existing comment holds. {@code rest} is the comment without its People line (null when empty). */
    public record Parsed(Kind kind, List<String> people, boolean hasPeopleLine, String rest) {
    }

    public static Parsed parse(String comment) {
        if (comment == null || comment.isBlank()) return new Parsed(Kind.NONE, List.of(), false, null);
        Matcher m = PEOPLE_LINE.matcher(comment);
        List<String> people = new ArrayList<>();
        boolean has = false;
        StringBuilder rest = new StringBuilder();
        int last = 0;
        while (m.find()) {
            has = true;
            people = splitNames(m.group(1));
            rest.append(comment, last, m.start());
            last = m.end();
        }
        rest.append(comment.substring(last));
        String r = rest.toString().strip();
        if (r.isEmpty()) return new Parsed(Kind.PEOPLE, people, has, null);
        return new Parsed(textKind(r), people, has, r);
    }

    /**
     * {@code isComfyGraph(r) ? COMFYUI : isJson(r) ? JSON : CUSTOM} with one parse of the text instead of two: the
     * first JSON value decides ComfyUI (trailing text allowed, as {@link #isComfyGraph} reads it), and JSON needs
     * nothing after it (as {@link #isJson}).
     */
    static Kind textKind(String text) {
        String t = text.strip();
        if (!t.startsWith("{") && !t.startsWith("[")) return Kind.CUSTOM;
        try (com.fasterxml.jackson.core.JsonParser p = Json.MAPPER.getFactory().createParser(t)) {
            JsonNode root = Json.MAPPER.readTree(p);
            if (root != null && root.isObject() && (root.has("prompt") || root.has("workflow"))) return Kind.COMFYUI;
            return p.nextToken() == null ? Kind.JSON : Kind.CUSTOM;
        } catch (Exception e) {
            return Kind.CUSTOM;
        }
    }

    /**
     * Where a file's people go. A JSON comment (ComfyUI's workflow, or any other) is data a program reads back, so it
     * is never changed: the people go to a key of their own. Plain text (or no comment) keeps the People line, which
     * every player and exiftool show as the comment. Files holding XMP get Iptc4xmpExt:PersonInImage as well.
     */
    public enum Target {
        COMMENT("comment"), MP4_KEY("mp4_key"), MATROSKA_TAG("matroska_tag");

        public final String label;

        Target(String label) {
            this.label = label;
        }

        public static Target of(String label) {
            for (Target t : values()) if (t.label.equals(label)) return t;
            return COMMENT;
        }

        /** The key that holds the people in this container when the comment is not theirs. */
        public static Target keyFor(String extension) {
            return extension.equals("mkv") || extension.equals("webm") ? MATROSKA_TAG : MP4_KEY;
        }

        public String location() {
            return switch (this) {
                case COMMENT -> "comment:People line";
                case MP4_KEY -> "mdta:" + dev.reelmark.media.Mp4Boxes.PEOPLE_KEY;
                case MATROSKA_TAG -> "matroska:" + TagWriter.MKV_PEOPLE_TAG;
            };
        }
    }

    /** The people of a people key's value ({@code Alice, Bob}). */
    public static List<String> keyPeople(String value) {
        return value == null ? List.of() : splitNames(value);
    }

    /** The people key's value for a list (null when there is nobody: the key is removed). */
    public static String keyValue(List<String> people) {
        return people.isEmpty() ? null : String.join(", ", people);
    }

    /** Whether the text is one JSON object or array (kept byte-identical: a program reads it back). */
    static boolean isJson(String text) {
        if (text == null) return false;
        String t = text.strip();
        if (!t.startsWith("{") && !t.startsWith("[")) return false;
        try (com.fasterxml.jackson.core.JsonParser p = Json.MAPPER.getFactory().createParser(t)) {
            Json.MAPPER.readTree(p);
            return p.nextToken() == null;
        } catch (Exception e) {
            return false;
        }
    }

    static List<String> splitNames(String list) {
        List<String> out = new ArrayList<>();
        for (String part : list.split(",")) {
            String n = part.strip();
            if (!n.isEmpty() && out.stream().noneMatch(x -> x.equalsIgnoreCase(n))) out.add(n);
        }
        return out;
    }

    /**
     * Whether the text is ComfyUI's output JSON as VideoHelperSuite stores it ({@code {"prompt": ..., "workflow": ...}}):
     * such a comment is kept when the People line is written. What the graph says is read by the segment-facts module.
     */
    static boolean isComfyGraph(String text) {
        String t = text.strip();
        if (!t.startsWith("{")) return false;
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(t);
        } catch (Exception e) {
            return false;
        }
        return root != null && root.isObject() && (root.has("prompt") || root.has("workflow"));
    }

    /** Why a name cannot be written into a People line, or null when it can. */
    public static String nameProblem(String name) {
        if (name == null || name.isBlank()) return "a person's name must not be empty";
        if (name.length() > MAX_NAME_LENGTH) {
            return "a person's name must be at most " + MAX_NAME_LENGTH + " characters (got " + name.length() + ")";
        }
        if (name.indexOf(',') >= 0) return "a person's name must not contain a comma (it separates names in 'People: A, B'): '" + shorten(name) + "'";
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\n' || c == '\r') return "a person's name must be on one line: '" + shorten(name) + "'";
            if (Character.isISOControl(c)) return "a person's name must not contain control characters: '" + shorten(name) + "'";
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1));
                if (!paired) return "a person's name is not valid Unicode (lone surrogate)";
                i++;
            }
        }
        if (!name.equals(name.strip())) return "a person's name must not start or end with spaces: '" + shorten(name) + "'";
        return null;
    }

    static String shorten(String s) {
        String one = s.replace("\n", "\\n").replace("\r", "\\r");
        return one.length() <= 60 ? one : one.substring(0, 57) + "...";
    }

    /** Case-insensitive union keeping first spellings: {@code first} then the new ones of {@code second}. */
    public static List<String> merge(List<String> first, List<String> second) {
        Map<String, String> seen = new LinkedHashMap<>();
        for (String n : first) seen.putIfAbsent(n.toLowerCase(Locale.ROOT), n);
        for (String n : second) seen.putIfAbsent(n.toLowerCase(Locale.ROOT), n);
        return List.copyOf(seen.values());
    }

    /** Names of {@code a} not in {@code b}, case-insensitively. */
    public static List<String> minus(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>();
        for (String n : a) {
            if (b.stream().noneMatch(x -> x.equalsIgnoreCase(n))) out.add(n);
        }
        return out;
    }

    public static String peopleLine(List<String> people) {
        return "People: " + String.join(", ", people);
    }

    /**
     * The comment to write. A People line already present is replaced where it is (the other text stays). Otherwise:
     * no comment → the People line; other text → appended on a new line when {@code preserve}, else replaced.
     * Returns null when the result is empty (the comment tag is removed).
     */
    public static String compose(String existing, Parsed parsed, List<String> people, boolean preserve) {
        String line = people.isEmpty() ? null : peopleLine(people);
        if (parsed.kind() == Kind.NONE) return line;
        if (parsed.hasPeopleLine()) {
            Matcher m = PEOPLE_LINE.matcher(existing);
            StringBuilder out = new StringBuilder();
            int last = 0;
            boolean replaced = false;
            while (m.find()) {
                out.append(existing, last, m.start());
                if (!replaced && line != null) out.append(line);
                replaced = true;
                last = m.end();
                // drop the newline after a removed line so no blank line is left behind
                if (line == null && last < existing.length() && existing.charAt(last) == '\n') last++;
            }
            out.append(existing.substring(last));
            String r = line == null ? out.toString().strip() : out.toString();
            return r.isEmpty() ? null : r;
        }
        if (!preserve) return line;
        if (line == null) return existing;
        return existing.endsWith("\n") ? existing + line : existing + "\n" + line;
    }

    /** Backslash-escapes what the FFMETADATA format treats specially: '=', ';', '#', '\' and newlines. */
    static String escapeFfmetadata(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=' || c == ';' || c == '#' || c == '\\' || c == '\n') b.append('\\');
            b.append(c);
        }
        return b.toString();
    }
}
