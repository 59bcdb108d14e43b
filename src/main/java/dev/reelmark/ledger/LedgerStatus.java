package dev.reelmark.ledger;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.reelmark.errors.InvalidInput;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where an entry's video is: the seed's pending → generating → ready | failed. JSON spells it in lower case. */
public enum LedgerStatus {
    PENDING, GENERATING, READY, FAILED;

    private final String value = name().toLowerCase(java.util.Locale.ROOT);

    @JsonValue
    public String value() {
        return value;
    }

    /** Ready and failed entries are finished: they carry {@code completedAt}. */
    public boolean isFinished() {
        return this == READY || this == FAILED;
    }

    public static Optional<LedgerStatus> find(String value) {
        for (LedgerStatus s : values()) {
            if (s.value.equals(value)) return Optional.of(s);
        }
        return Optional.empty();
    }

    /** Parses user input as a 400 naming {@code field}. */
    public static LedgerStatus parse(String field, String raw) {
        return find(raw == null ? null : raw.trim()).orElseThrow(() ->
                InvalidInput.field(field, "must be one of " + allValues() + ", got '" + raw + "'"));
    }

    public static String allValues() {
        return Arrays.stream(values()).map(LedgerStatus::value).collect(Collectors.joining(", "));
    }
}
