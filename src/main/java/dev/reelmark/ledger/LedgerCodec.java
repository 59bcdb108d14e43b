package dev.reelmark.ledger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.DomainException;
import dev.reelmark.json.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the ledger file format: a JSON array of entry objects. Reading is strict and streaming, so every
 * problem (malformed JSON, {@code "status": 7}, a missing key, two entries with the same keys) is reported with the
 * line and column where it is.
 *
 * <p>Only jackson-core's streaming parser and generator are used (hand-written tree reading and writing of
 * hand-added fields): building databind's {@code ObjectMapper} (with its JavaTimeModule) cost a {@code ledger set}
 * process more CPU than the whole update. The output is byte for byte what {@code Json.PRETTY} wrote
 * ({@code LedgerCodecGoldenTest}).
 */
final class LedgerCodec {
    /** Like {@code Json.MAPPER}'s factory: strict duplicate detection, everything else jackson's defaults. */
    private static final JsonFactory FACTORY = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    /** {@code Json.PRETTY}'s printer: two-space indents, {@code "key" : value}. */
    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    private final LedgerKeys keys;

    LedgerCodec(LedgerKeys keys) {
        this.keys = keys;
    }

    LedgerKeys keys() {
        return keys;
    }

    /** What is wrong with a file, and where. */
    static final class Problem extends Exception {
        final long line;
        final long column;

        Problem(JsonLocation at, String message) {
            super(message, null, false, false);
            this.line = at == null ? 0 : Math.max(at.getLineNr(), 0);
            this.column = at == null ? 0 : Math.max(at.getColumnNr(), 0);
        }
    }

    // ---- writing ----

    /** The file's bytes: pretty-printed (two-space indents) with a final newline, written by streaming. */
    byte[] write(List<LedgerEntry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + entries.size() * 320);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(PRINTER.createInstance());
            g.writeStartArray();
            for (LedgerEntry e : entries) writeEntry(g, e);
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private void writeEntry(JsonGenerator g, LedgerEntry e) throws IOException {
        g.writeStartObject();
        g.writeStringField(keys.first(), e.spotId());
        g.writeStringField(keys.second(), e.eraId());
        g.writeStringField("prompt", e.prompt());
        g.writeStringField("localPath", e.localPath());
        g.writeStringField("status", e.status().value());
        g.writeStringField("createdAt", format(e.createdAt()));
        g.writeStringField("completedAt", e.completedAt() == null ? null : format(e.completedAt()));
        g.writeStringField("error", e.error());
        if (e.catalog() != null) {
            g.writeObjectFieldStart(LedgerEntry.CATALOG_FIELD);
            g.writeNumberField("projectId", e.catalog().projectId());
            g.writeNumberField("sceneId", e.catalog().sceneId());
            g.writeNumberField("segmentId", e.catalog().segmentId());
            g.writeEndObject();
        }
        for (var extra : e.extra().entrySet()) {
            g.writeFieldName(extra.getKey());
            writeTree(g, extra.getValue());
        }
        g.writeEndObject();
    }

    /** A hand-added value as databind's serializers write it (the generator has no ObjectCodec here). */
    private static void writeTree(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (var f : n.properties()) {
                    g.writeFieldName(f.getKey());
                    writeTree(g, f.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode item : n) writeTree(g, item);
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL, MISSING -> g.writeNull();
            case NUMBER -> {
                switch (n.numberType()) {
                    case INT -> g.writeNumber(n.intValue());
                    case LONG -> g.writeNumber(n.longValue());
                    case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
                    case FLOAT -> g.writeNumber(n.floatValue());
                    case DOUBLE -> g.writeNumber(n.doubleValue());
                    default -> g.writeNumber(n.decimalValue());
                }
            }
            default -> g.writeString(n.asText()); // BINARY / POJO nodes never come from a parsed file
        }
    }

    /** One entry as the CLI prints it (pretty, no final newline). */
    String writeEntry(LedgerEntry e) {
        java.io.StringWriter out = new java.io.StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(PRINTER.createInstance());
            writeEntry(g, e);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return out.toString();
    }

    /** The entry as the file and the API show it. */
    ObjectNode toJson(LedgerEntry e) {
        ObjectNode o = Json.object();
        o.put(keys.first(), e.spotId());
        o.put(keys.second(), e.eraId());
        o.put("prompt", e.prompt());
        o.put("localPath", e.localPath());
        o.put("status", e.status().value());
        o.put("createdAt", format(e.createdAt()));
        o.put("completedAt", e.completedAt() == null ? null : format(e.completedAt()));
        o.put("error", e.error());
        if (e.catalog() != null) {
            o.putObject(LedgerEntry.CATALOG_FIELD)
                    .put("projectId", e.catalog().projectId())
                    .put("sceneId", e.catalog().sceneId())
                    .put("segmentId", e.catalog().segmentId());
        }
        e.extra().forEach(o::set);
        return o;
    }

    // ---- reading ----

    List<LedgerEntry> read(byte[] content) throws Problem {
        try (JsonParser p = FACTORY.createParser(content)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new Problem(p.currentLocation(), "the file is empty; expected a JSON array of entries ([] when there are none)");
            if (t != JsonToken.START_ARRAY) {
                throw new Problem(p.currentTokenLocation(), "expected a JSON array of entries, found " + describe(p, t));
            }
            List<LedgerEntry> entries = new ArrayList<>();
            Map<EntryKey, Integer> seen = new HashMap<>(Math.max(16, content.length / 100));
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) throw new Problem(p.currentLocation(), "the array is not closed (the file ends early)");
                int index = entries.size();
                JsonLocation start = p.currentTokenLocation();
                if (t != JsonToken.START_OBJECT) {
                    throw new Problem(start, "entry " + index + ": expected an object, found " + describe(p, t));
                }
                LedgerEntry entry = readEntry(p, index, start);
                Integer previous = seen.putIfAbsent(entry.key(), index);
                if (previous != null) {
                    throw new Problem(start, "entry " + index + " has the same " + keys.first() + " and " + keys.second()
                            + " (" + quote(entry.spotId()) + ", " + quote(entry.eraId()) + ") as entry " + previous);
                }
                entries.add(entry);
            }
            t = p.nextToken();
            if (t != null) throw new Problem(p.currentTokenLocation(), "unexpected content after the closing ]: " + describe(p, t));
            return entries;
        } catch (JsonProcessingException e) {
            throw new Problem(e.getLocation(), "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LedgerEntry readEntry(JsonParser p, int index, JsonLocation start) throws IOException, Problem {
        String first = null;
        String second = null;
        String prompt = null;
        String localPath = null;
        LedgerStatus status = null;
        Instant createdAt = null;
        Instant completedAt = null;
        String error = null;
        LedgerEntry.CatalogLink link = null;
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            t = p.nextToken();
            JsonLocation at = p.currentTokenLocation();
            String where = "entry " + index + ", \"" + name + "\"";
            if (name.equals(keys.first()) || name.equals(keys.second())) {
                String value = requireString(p, t, at, where);
                try {
                    EntryKey.check(name, value);
                } catch (DomainException e) {
                    throw new Problem(at, "entry " + index + ": " + e.getMessage());
                }
                if (name.equals(keys.first())) first = value;
                else second = value;
                continue;
            }
            switch (name) {
                case "prompt" -> prompt = optionalString(p, t, at, where);
                case "localPath" -> localPath = optionalString(p, t, at, where);
                case "error" -> error = optionalString(p, t, at, where);
                case "status" -> {
                    String raw = requireString(p, t, at, where);
                    status = LedgerStatus.find(raw).orElseThrow(() -> new Problem(at, where + " must be one of "
                            + LedgerStatus.allValues() + ", found " + quote(raw)));
                }
                case "createdAt" -> createdAt = instant(requireString(p, t, at, where), at, where);
                case "completedAt" -> {
                    String raw = optionalString(p, t, at, where);
                    completedAt = raw == null ? null : instant(raw, at, where);
                }
                case LedgerEntry.CATALOG_FIELD -> link = catalogLink(p, t, at, where);
                default -> extra.put(name, readTree(p, t));
            }
        }
        if (t != JsonToken.END_OBJECT) throw new Problem(p.currentTokenLocation(), "entry " + index + " is not closed");
        if (first == null) throw new Problem(start, "entry " + index + " has no \"" + keys.first() + "\" (a key, required)");
        if (second == null) throw new Problem(start, "entry " + index + " has no \"" + keys.second() + "\" (a key, required)");
        if (status == null) throw new Problem(start, "entry " + index + " has no \"status\" (required: " + LedgerStatus.allValues() + ")");
        if (createdAt == null) throw new Problem(start, "entry " + index + " has no \"createdAt\" (required, an ISO-8601 timestamp)");
        return new LedgerEntry(first, second, prompt, localPath, status, createdAt, completedAt, error, link, extra);
    }

    private static String requireString(JsonParser p, JsonToken t, JsonLocation at, String where) throws Problem, IOException {
        if (t != JsonToken.VALUE_STRING) throw new Problem(at, where + " must be a string, found " + describe(p, t));
        return p.getText();
    }

    private static String optionalString(JsonParser p, JsonToken t, JsonLocation at, String where) throws Problem, IOException {
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.VALUE_STRING) throw new Problem(at, where + " must be a string or null, found " + describe(p, t));
        return p.getText();
    }

    private static Instant instant(String raw, JsonLocation at, String where) throws Problem {
        Instant fast = fastInstant(raw);
        if (fast != null) return fast;
        try {
            return Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw new Problem(at, where + " must be an ISO-8601 UTC timestamp such as 2024-05-01T12:00:00.000Z, found " + quote(raw));
        }
    }

    /**
     * The format this class writes, {@code 2026-11-23T10:00:00.123Z} (or without the fraction), parsed without
     * java.time's general parser, which dominated the cost of reading a large ledger. Null: not that shape (the
     * caller falls back to {@link Instant#parse}).
     */
    static Instant fastInstant(String s) {
        int n = s.length();
        if ((n != 20 && n != 24) || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z' || (n == 24 && s.charAt(19) != '.')) return null;
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int millis = n == 24 ? digits(s, 20, 23) : 0;
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59 || millis < 0) return null;
        try {
            long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, millis * 1_000_000L);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** ISO-8601 UTC with milliseconds, always ({@code 2026-11-23T10:00:00.000Z}), like JavaScript's toISOString. */
    static String format(Instant t) {
        java.time.LocalDateTime d = java.time.LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, java.time.ZoneOffset.UTC);
        if (d.getYear() < 0 || d.getYear() > 9999) return t.toString();
        char[] c = new char[24];
        put(c, 0, d.getYear(), 4);
        c[4] = '-';
        put(c, 5, d.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, d.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, d.getHour(), 2);
        c[13] = ':';
        put(c, 14, d.getMinute(), 2);
        c[16] = ':';
        put(c, 17, d.getSecond(), 2);
        c[19] = '.';
        put(c, 20, t.getNano() / 1_000_000, 3);
        c[23] = 'Z';
        return new String(c);
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static LedgerEntry.CatalogLink catalogLink(JsonParser p, JsonToken t, JsonLocation at, String where) throws Problem, IOException {
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.START_OBJECT) throw new Problem(at, where + " must be an object or null, found " + describe(p, t));
        JsonNode node = readTree(p, t);
        long[] ids = new long[3];
        String[] names = {"projectId", "sceneId", "segmentId"};
        for (int i = 0; i < 3; i++) {
            JsonNode v = node.get(names[i]);
            if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.longValue() <= 0) {
                throw new Problem(at, where + "." + names[i] + " must be a positive integer");
            }
            ids[i] = v.longValue();
        }
        return new LedgerEntry.CatalogLink(ids[0], ids[1], ids[2]);
    }

    /**
     * The value starting at the current token {@code t} as a tree, with the node types databind's {@code readTree}
     * gives (int, long, BigInteger, double), built without an ObjectMapper.
     */
    private static JsonNode readTree(JsonParser p, JsonToken t) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = f.objectNode();
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    o.set(name, readTree(p, p.nextToken()));
                }
                if (t != JsonToken.END_OBJECT) throw new com.fasterxml.jackson.core.JsonParseException(p, "object not closed");
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = f.arrayNode();
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) throw new com.fasterxml.jackson.core.JsonParseException(p, "array not closed");
                    a.add(readTree(p, t));
                }
                return a;
            }
            case VALUE_STRING -> {
                return f.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> f.numberNode(p.getIntValue());
                    case LONG -> f.numberNode(p.getLongValue());
                    default -> f.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return f.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return f.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return f.booleanNode(false);
            }
            case VALUE_NULL -> {
                return f.nullNode();
            }
            default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token " + t);
        }
    }

    private static String describe(JsonParser p, JsonToken t) throws IOException {
        if (t == null) return "the end of the file";
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "the string " + quote(p.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + p.getText();
            case VALUE_TRUE, VALUE_FALSE -> p.getText();
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    private static String quote(String s) {
        String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
        // What Json.write(String) gives, without building the ObjectMapper on this path.
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(shown)) + "\"";
    }
}
