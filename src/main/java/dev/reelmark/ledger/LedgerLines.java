package dev.reelmark.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.json.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Partial updates as JSON: one object per line for {@code ledger apply} (the two keys under their configured names
 * plus any of prompt, status, localPath, error), and the body of {@code PATCH /api/ledger/{spotId}/{eraId}}. A
 * field left out is kept; {@code null} clears localPath or error.
 */
public final class LedgerLines {
    static final Set<String> FIELDS = Set.of("prompt", "status", "localPath", "error");

    private LedgerLines() {
    }

    /** Every non-blank line as an update; every bad line is reported at once (a {@link LedgerService.BatchException}). */
    public static List<LedgerService.KeyedPatch> read(Reader in, LedgerKeys keys) {
        List<LedgerService.KeyedPatch> updates = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16);
        try {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.isBlank()) continue;
                try {
                    updates.add(parseLine(number, line, keys));
                } catch (DomainException e) {
                    problems.add("line " + number + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!problems.isEmpty()) throw new LedgerService.BatchException(problems);
        if (updates.isEmpty()) throw InvalidInput.request("no updates: the input has no JSON lines");
        return updates;
    }

    static LedgerService.KeyedPatch parseLine(int number, String line, LedgerKeys keys) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw InvalidInput.request("not valid JSON (column " + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode body)) throw InvalidInput.request("must be a JSON object");
        EntryKey key = EntryKey.of(keys, keyString(body, keys.first()), keyString(body, keys.second()));
        return new LedgerService.KeyedPatch(number, key, patch(body, Set.of(keys.first(), keys.second())));
    }

    /** The patch in {@code body}; {@code alsoAllowed} are fields that may be there and are not part of it (keys). */
    public static LedgerService.EntryPatch patch(ObjectNode body, Set<String> alsoAllowed) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name) && !alsoAllowed.contains(name)) {
                boolean managed = Set.of("createdAt", "completedAt", LedgerEntry.CATALOG_FIELD).contains(name);
                throw InvalidInput.field(name, managed ? "is set by the server" : "is not a field here (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(union(FIELDS, alsoAllowed))) + ")");
            }
        }
        String prompt = body.has("prompt") ? text(body, "prompt", false) : null;
        String status = body.has("status") ? text(body, "status", false) : null;
        return new LedgerService.EntryPatch(prompt, status == null ? null : LedgerStatus.parse("status", status),
                clearable(body, "localPath"), clearable(body, "error"));
    }

    private static Optional<String> clearable(ObjectNode body, String field) {
        if (!body.has(field)) return null;
        return Optional.ofNullable(text(body, field, true));
    }

    private static String text(ObjectNode body, String field, boolean nullable) {
        JsonNode v = body.get(field);
        if (v.isNull()) {
            if (nullable) return null;
            throw InvalidInput.field(field, "must be a string (leave it out to keep it)");
        }
        if (!v.isTextual()) throw InvalidInput.field(field, nullable ? "must be a string or null" : "must be a string");
        return v.asText();
    }

    private static String keyString(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) throw InvalidInput.field(field, "is required");
        if (!v.isTextual()) throw InvalidInput.field(field, "must be a string");
        return v.asText();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
