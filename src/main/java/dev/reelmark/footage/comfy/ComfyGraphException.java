package dev.reelmark.footage.comfy;

/** A ComfyUI graph that cannot be read, with a message in the user's terms. */
public final class ComfyGraphException extends RuntimeException {
    public ComfyGraphException(String message) {
        super(message);
    }
}
