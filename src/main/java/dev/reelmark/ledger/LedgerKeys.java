package dev.reelmark.ledger;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSON field names of the two keys every ledger entry is identified by. The default is the seed's
 * {@code spotId}/{@code eraId}; a studio that tracks, say, shots and takes configures {@code new LedgerKeys("shotId",
 * "take")} (CLI {@code --keys shotId,take}, environment {@code REELMARK_LEDGER_KEYS=shotId,take}) and the file, the
 * API bodies and the job parameters then use those names. In Java the two values stay {@link LedgerEntry#spotId()}
 * (the first key) and {@link LedgerEntry#eraId()} (the second).
 *
 * <p>Names are JSON identifiers ({@code [A-Za-z_][A-Za-z0-9_]*}, at most 64 characters), differ from each other and
 * from the entry's own fields.
 */
public record LedgerKeys(String first, String second) {
    /** The entry fields that are not keys, in file order. */
    public static final List<String> ENTRY_FIELDS = List.of("prompt", "localPath", "status", "createdAt",
            "completedAt", "error");
    private static final Set<String> RESERVED = Set.of("prompt", "localPath", "status", "createdAt", "completedAt",
            "error", LedgerEntry.CATALOG_FIELD);
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    /** The seed's names. (Declared after the constants the constructor uses.) */
    public static final LedgerKeys DEFAULT = new LedgerKeys("spotId", "eraId");

    public LedgerKeys {
        check(first, "first");
        check(second, "second");
        if (first.equals(second)) throw new IllegalArgumentException("the two ledger key names must differ, both are '" + first + "'");
    }

    /** Parses {@code "shotId,take"}; null or blank means {@link #DEFAULT}. */
    public static LedgerKeys parse(String spec) {
        if (spec == null || spec.isBlank()) return DEFAULT;
        String[] parts = spec.split(",", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("ledger keys must be two names separated by a comma (e.g. spotId,eraId), got '" + spec + "'");
        }
        return new LedgerKeys(parts[0].trim(), parts[1].trim());
    }

    private static void check(String name, String which) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("the " + which + " ledger key name must be a JSON identifier "
                    + "([A-Za-z_][A-Za-z0-9_]*, at most 64 characters), got '" + name + "'");
        }
        if (RESERVED.contains(name) || RESERVED.stream().anyMatch(r -> r.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))) {
            throw new IllegalArgumentException("'" + name + "' is an entry field, not usable as a ledger key name");
        }
    }

    @Override
    public String toString() {
        return first + "," + second;
    }
}
