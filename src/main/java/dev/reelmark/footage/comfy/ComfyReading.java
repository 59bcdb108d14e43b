package dev.reelmark.footage.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.footage.GenerationFacts;

import java.util.List;

/**
 * What {@link ComfyGraph} read from one ComfyUI output: the facts (names as written in the graph, asset refs not yet
 * matched to the catalog, source {@code file_comment}), the raw API-format prompt graph and UI workflow as found
 * (kept with a receipt so the generation can be re-queued), and what the reader could not resolve.
 */
public record ComfyReading(GenerationFacts facts, JsonNode prompt, JsonNode workflow, List<String> warnings) {
    public ComfyReading {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
