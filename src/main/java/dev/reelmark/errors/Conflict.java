package dev.reelmark.errors;

/** The request is valid but clashes with the current state (a duplicate, a changed file, a running job). */
public class Conflict extends DomainException {
    public Conflict(String code, String field, String message) {
        super(code, field, message);
    }

    public static Conflict of(String message) {
        return new Conflict("conflict", null, message);
    }

    public static Conflict of(String field, String message) {
        return new Conflict("conflict", field, message);
    }
}
