package dev.reelmark.errors;

/** Reelmark itself failed (a document it built breaks its own schema, a media root it cannot list): not the caller's fault. */
public class Failed extends DomainException {
    public Failed(String code, String field, String message) {
        super(code, field, message);
    }
}
