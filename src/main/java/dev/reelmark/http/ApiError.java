package dev.reelmark.http;

/**
 * An error a client can act on: an HTTP status, a short machine code, a message and, for bad input, the field
 * (JSON property, path or query parameter) at fault. Services throw it; the HTTP layer renders it as JSON and
 * the CLI as a message with exit code 2.
 */
public class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public ApiError(int status, String code, String field, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiError badField(String field, String message) {
        return new ApiError(400, "invalid_field", field, field + ": " + message);
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", null, message);
    }

    public static ApiError notFound(String what, Object id) {
        return new ApiError(404, "not_found", null, what + " " + id + " does not exist");
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, "conflict", null, message);
    }

    public static ApiError conflict(String field, String message) {
        return new ApiError(409, "conflict", field, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    /** The JSON body clients receive. */
    public ErrorBody body() {
        return new ErrorBody(status, code, getMessage(), field);
    }

    public record ErrorBody(int status, String error, String message, String field) {
    }
}
