package dev.reelmark.jobs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.reelmark.errors.InvalidInput;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The life cycle of a job. JSON and database spell it in lower case. */
public enum JobStatus {
    QUEUED, RUNNING, PAUSED, COMPLETED, FAILED, CANCELLED;

    /** The database and JSON spelling. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Completed, failed and cancelled jobs never change again. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    @JsonCreator
    public static JobStatus of(String value) {
        for (JobStatus s : values()) {
            if (s.value().equals(value)) return s;
        }
        throw new IllegalArgumentException("unknown job status '" + value + "'");
    }

    /** Parses user input (a query parameter), as a 400 naming {@code field}. */
    public static JobStatus parse(String field, String raw) {
        String v = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
        for (JobStatus s : values()) {
            if (s.value().equals(v)) return s;
        }
        throw InvalidInput.field(field, "must be one of " + allValues() + ", got '" + raw + "'");
    }

    static String allValues() {
        return Arrays.stream(values()).map(JobStatus::value).collect(Collectors.joining(", "));
    }
}
