package dev.reelmark.cli;

import dev.reelmark.errors.Conflict;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.errors.Unprocessable;
import dev.reelmark.media.MediaException;

/**
 * The exit code of a refusal by its kind ({@link Cli} documents the codes). Apart from {@code Cli} so the ledger's
 * fast path, which runs without picocli, maps refusals the same way without loading it.
 */
public final class ExitCodes {
    private ExitCodes() {
    }

    public static int of(Exception e) {
        if (e instanceof Conflict) return Cli.CONFLICT;
        if (e instanceof Unprocessable) return Cli.UNPROCESSABLE;
        if (e instanceof InvalidInput || e instanceof NotFound) return Cli.USAGE;
        if (e instanceof IllegalArgumentException || e instanceof MediaException) return Cli.USAGE;
        return Cli.FAILURE;
    }
}
