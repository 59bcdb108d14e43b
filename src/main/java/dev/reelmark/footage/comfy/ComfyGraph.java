package dev.reelmark.footage.comfy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/**
 * The one ComfyUI graph reader: follows links from each sampler back to its text encoders, model and LoRA loaders
 * and image loaders. Contract shared by provenance import and the segment-facts fallback (the clip's comment tag).
 */
public final class ComfyGraph {
    private ComfyGraph() {
    }

    /**
     * Reads an API-format prompt graph ({@code {id: {class_type, inputs}}}) and/or a UI-format workflow
     * ({@code {nodes: [...], links: [...]}}); either may be null but not both.
     *
     * @throws ComfyGraphException naming the problem (no sampler, a cycle, not a graph)
     */
    public static ComfyReading read(JsonNode prompt, JsonNode workflow) {
        throw new ComfyGraphException("the ComfyUI graph reader is not built yet");
    }

    /**
     * Reads a clip's comment tag or a PNG text chunk: JSON with {@code prompt}/{@code workflow} keys (VideoHelperSuite),
     * a bare prompt graph, or a UI workflow. Empty for anything that is not a ComfyUI graph (e.g. a {@code People:} line):
     * such text is never a prompt.
     */
    public static Optional<ComfyReading> fromComment(String comment) {
        return Optional.empty();
    }
}
