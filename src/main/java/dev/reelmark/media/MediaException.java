package dev.reelmark.media;

/**
 * A media operation failed: a file is missing or not media, or ffmpeg/ffprobe failed or timed out.
 * The message is meant for a person; it carries the tail of ffmpeg's stderr when there is one.
 */
public class MediaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MediaException(String message) {
        super(message);
    }

    public MediaException(String message, Throwable cause) {
        super(message, cause);
    }
}
