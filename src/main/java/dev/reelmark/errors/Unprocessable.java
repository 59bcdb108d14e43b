package dev.reelmark.errors;

/**
 * The request is well-formed but what it points at cannot be used as it is: a missing or unreadable file, a clip
 * outside the media roots, a project with nothing to generate.
 */
public class Unprocessable extends DomainException {
    public Unprocessable(String code, String field, String message) {
        super(code, field, message);
    }
}
