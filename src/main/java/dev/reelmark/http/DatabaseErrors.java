package dev.reelmark.http;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/** Tells "the database is out of reach" (answer 503, it will come back) from a bug (answer 500). */
final class DatabaseErrors {
    private DatabaseErrors() {
    }

    static boolean isUnavailable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLTransientConnectionException || c instanceof SQLNonTransientConnectionException) return true;
            if (c.getClass().getName().equals("com.zaxxer.hikari.pool.HikariPool$PoolInitializationException")) return true;
            if (c instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                // 08: connection exceptions; 57P01-03: the server is shutting down or not yet accepting connections
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) return true;
            }
            if (c.getCause() == c) break;
        }
        return false;
    }

    /** One line for the log: the exception types, without SQL or connection details. */
    static String summary(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 300; c = c.getCause()) {
            if (!sb.isEmpty()) sb.append(" <- ");
            sb.append(c.getClass().getSimpleName());
            if (c instanceof SQLException s && s.getSQLState() != null) sb.append("[").append(s.getSQLState()).append("]");
            if (c.getCause() == c) break;
        }
        return sb.toString();
    }
}
