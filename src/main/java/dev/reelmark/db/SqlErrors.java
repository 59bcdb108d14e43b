package dev.reelmark.db;

import java.sql.SQLException;

/** Classifies constraint violations the same way on both vendors. */
public final class SqlErrors {
    private SqlErrors() {
    }

    public static boolean isUniqueViolation(Throwable t) {
        SQLException e = find(t);
        if (e == null) return false;
        return "23505".equals(e.getSQLState()) || message(e).contains("UNIQUE constraint failed");
    }

    public static boolean isForeignKeyViolation(Throwable t) {
        SQLException e = find(t);
        if (e == null) return false;
        return "23503".equals(e.getSQLState()) || message(e).contains("FOREIGN KEY constraint failed");
    }

    public static boolean isCheckViolation(Throwable t) {
        SQLException e = find(t);
        if (e == null) return false;
        return "23514".equals(e.getSQLState()) || message(e).contains("CHECK constraint failed");
    }

    private static String message(SQLException e) {
        return e.getMessage() == null ? "" : e.getMessage();
    }

    private static SQLException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) return s;
        }
        return null;
    }
}
