package dev.reelmark.errors;

/** The thing the caller named does not exist (or is not theirs to see). */
public class NotFound extends DomainException {
    public NotFound(String code, String field, String message) {
        super(code, field, message);
    }

    public static NotFound of(String what, Object id) {
        return new NotFound("not_found", null, what + " " + id + " does not exist");
    }
}
