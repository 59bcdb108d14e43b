package dev.reelmark.http;

import dev.reelmark.errors.Conflict;
import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.Failed;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.errors.Unprocessable;

/**
 * The web layer's errors: what only HTTP has (401, 403, 406, 415, 416, 421, 429), thrown by routes and the gate, and
 * the one place a {@link DomainException}'s kind becomes a status. Domain code throws the kinds in
 * {@code dev.reelmark.errors}, never this.
 */
public class ApiError extends DomainException {
    private final int status;

    public ApiError(int status, String code, String field, String message) {
        super(code, field, message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The HTTP status of any domain error. */
    public static int statusOf(DomainException e) {
        if (e instanceof ApiError a) return a.status;
        if (e instanceof InvalidInput) return 400;
        if (e instanceof NotFound) return 404;
        if (e instanceof Conflict) return 409;
        if (e instanceof Unprocessable) return 422;
        return 500;
    }

    /** The JSON body clients receive. */
    public static ErrorBody bodyOf(DomainException e) {
        return new ErrorBody(statusOf(e), e.code(), e.getMessage(), e.field());
    }

    public record ErrorBody(int status, String error, String message, String field) {
    }
}
