package dev.reelmark.errors;

/**
 * Something a caller asked for that the domain refuses, with a short machine code, a message and, for bad input, the
 * field at fault (a JSON property, path or query parameter, or a CLI option). Domain code throws one of the kinds
 * below; the web layer turns the kind into an HTTP status ({@code http.DomainException#statusOf}) and the CLI into an exit
 * code ({@code cli.Cli}). The kinds, not the callers, decide what each means.
 */
public abstract class DomainException extends RuntimeException {
    private final String code;
    private final String field;

    protected DomainException(String code, String field, String message) {
        super(message);
        this.code = code;
        this.field = field;
    }

    protected DomainException(String code, String field, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.field = field;
    }

    public String code() {
        return code;
    }

    /** The input at fault, or null when the whole request is. */
    public String field() {
        return field;
    }
}
