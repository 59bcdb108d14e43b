package dev.reelmark.ledger;

import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.InvalidInput;

/**
 * The values of an entry's two keys, e.g. spot {@code "harbor-01"} in era {@code "1920s"}. Each is 1 to
 * {@value #MAX_LENGTH} characters without {@code /} or NUL and is not {@code .} or {@code ..}, so every entry can be
 * addressed as {@code /api/ledger/{first}/{second}} and named on a command line.
 */
public record EntryKey(String spotId, String eraId) {
    public static final int MAX_LENGTH = 200;

    /** Builds a key, or a 400 {@link DomainException} naming the offending field (the configured key name). */
    public static EntryKey of(LedgerKeys names, String first, String second) {
        return new EntryKey(check(names.first(), first), check(names.second(), second));
    }

    /** The value, or a 400 naming {@code field} when it is not a valid key value. */
    public static String check(String field, String value) {
        if (value == null) throw InvalidInput.field(field, "is required");
        if (value.isEmpty()) throw InvalidInput.field(field, "must not be empty");
        if (value.length() > MAX_LENGTH) {
            throw InvalidInput.field(field, "must be at most " + MAX_LENGTH + " characters, got " + value.length());
        }
        if (value.indexOf('/') >= 0) throw InvalidInput.field(field, "must not contain '/'");
        if (value.indexOf('\0') >= 0) throw InvalidInput.field(field, "must not contain NUL");
        if (value.equals(".") || value.equals("..")) throw InvalidInput.field(field, "must not be '.' or '..'");
        return value;
    }

    // By hand: a record's generated equals/hashCode bootstrap through ObjectMethods at run time (see LedgerEntry).
    @Override
    public boolean equals(Object o) {
        return o instanceof EntryKey k && java.util.Objects.equals(spotId, k.spotId) && java.util.Objects.equals(eraId, k.eraId);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hashCode(spotId) + java.util.Objects.hashCode(eraId);
    }

    @Override
    public String toString() {
        return spotId + "/" + eraId;
    }
}
