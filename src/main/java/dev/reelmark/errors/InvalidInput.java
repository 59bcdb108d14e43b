package dev.reelmark.errors;

/** The caller's input is malformed or out of range: fixing the input fixes it. */
public class InvalidInput extends DomainException {
    public InvalidInput(String code, String field, String message) {
        super(code, field, message);
    }

    /** A field with a bad value; the message names the field first. */
    public static InvalidInput field(String field, String message) {
        return new InvalidInput("invalid_field", field, field + ": " + message);
    }

    /** A request that is wrong as a whole (no single field to name). */
    public static InvalidInput request(String message) {
        return new InvalidInput("bad_request", null, message);
    }
}
