package dev.reelmark.footage.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.footage.GenerationFacts;

import java.math.BigInteger;
import java.util.List;

/**
 * What {@link ComfyGraph} read from one ComfyUI output: the facts (names as written in the graph, asset refs not yet
 * matched to the catalog, source {@code file_comment}), the raw API-format prompt graph and UI workflow as found
 * (kept with a receipt so the generation can be re-queued), and what the reader could not resolve.
 *
 * @param samplers every sampler of the chain that was read, first one first (Wan 2.2: high noise, then low noise)
 * @param guidance Flux guidance ({@code FluxGuidance} or {@code CLIPTextEncodeFlux}) on the positive conditioning, if any
 * @param denoise  the first sampler's denoise, if given
 * @param format   which graph the facts were read from: {@code api} (the prompt) or {@code ui} (the workflow)
 */
public record ComfyReading(GenerationFacts facts, JsonNode prompt, JsonNode workflow, List<String> warnings,
                           List<SamplerStep> samplers, Double guidance, Double denoise, String format) {
    public ComfyReading {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        samplers = samplers == null ? List.of() : List.copyOf(samplers);
    }

    public ComfyReading(GenerationFacts facts, JsonNode prompt, JsonNode workflow, List<String> warnings) {
        this(facts, prompt, workflow, warnings, List.of(), null, null, prompt != null ? "api" : "ui");
    }

    /**
     * One sampler node of the chain: its role ({@code base}, {@code high_noise}/{@code low_noise} for a split
     * KSamplerAdvanced pair, {@code base}/{@code refiner}, {@code stage_N}), the model it ran, and its settings.
     */
    public record SamplerStep(String nodeId, String type, String role, String model, BigInteger seed, Integer steps,
                              Double cfg, String sampler, String scheduler, Double denoise, Integer startAtStep,
                              Integer endAtStep) {
    }
}
