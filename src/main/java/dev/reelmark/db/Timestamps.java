package dev.reelmark.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Timestamps cross the JDBC boundary as ISO-8601 UTC text with milliseconds ("2026-01-02T03:04:05.678Z"):
 * SQLite stores that text as is (it sorts correctly), PostgreSQL parses it into timestamptz.
 */
public final class Timestamps {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return instant == null ? null : ISO_MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    public static String now() {
        return format(Instant.now());
    }

    /** Reads a timestamp column from either vendor. */
    public static Instant read(ResultSet rs, String column) throws SQLException {
        Object value = rs.getObject(column);
        if (value == null) return null;
        if (value instanceof java.sql.Timestamp ts) return ts.toInstant();
        if (value instanceof OffsetDateTime odt) return odt.toInstant();
        return parse(value.toString());
    }

    /** Parses ISO-8601 with or without zone (SQLite's own "YYYY-MM-DD HH:MM:SS" is UTC). */
    public static Instant parse(String text) {
        String t = text.trim().replace(' ', 'T');
        if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d(:?\\d\\d)?$")) {
            if (t.matches(".*[+-]\\d\\d$")) t = t + ":00";
            return OffsetDateTime.parse(t).toInstant();
        }
        return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    }
}
