package dev.reelmark.footage.comfy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one ComfyUI graph reader: follows links from each sampler back to its text encoders, model and LoRA loaders
 * and image loaders. Contract shared by provenance import and the segment-facts fallback (the clip's comment tag).
 *
 * <p>Work is bounded: a comment or text chunk over {@link #MAX_COMMENT_CHARS} characters is refused before it is
 * parsed, a graph over {@value Graph#MAX_NODES} nodes is refused, and every walk visits each node at most once.
 */
public final class ComfyGraph {
    /** The largest comment / text chunk read: 16 MiB of characters (a large UI workflow is well under 1 MiB). */
    public static final int MAX_COMMENT_CHARS = 16 * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(MAX_COMMENT_CHARS).maxNestingDepth(200).build());
    }

    private ComfyGraph() {
    }

    /**
     * Reads an API-format prompt graph ({@code {id: {class_type, inputs}}}) and/or a UI-format workflow
     * ({@code {nodes: [...], links: [...]}}); either may be null but not both. The prompt is what ComfyUI ran, so the
     * facts come from it when both are given; the workflow alone is read when there is no prompt.
     *
     * @throws ComfyGraphException naming the problem (no sampler, a cycle, not a graph)
     */
    public static ComfyReading read(JsonNode prompt, JsonNode workflow) {
        if (prompt != null && (prompt.isNull() || prompt.isMissingNode())) prompt = null;
        if (workflow != null && (workflow.isNull() || workflow.isMissingNode())) workflow = null;
        if (prompt == null && workflow == null) throw new ComfyGraphException("neither a ComfyUI prompt nor a workflow was given");
        Graph g = prompt != null ? Graph.fromPrompt(prompt) : Graph.fromWorkflow(workflow);
        if (prompt != null && workflow != null && !Graph.looksLikeWorkflow(workflow)) {
            throw new ComfyGraphException("the workflow is not a ComfyUI UI-format graph (no nodes array)");
        }
        GraphReader r = new GraphReader(g);
        GraphReader.Result res = r.read();
        return new ComfyReading(res.facts(), prompt, workflow, r.warnings(), res.samplers(), res.guidance(), res.denoise(), g.format);
    }

    /**
     * Reads a clip's comment tag or a PNG text chunk: JSON with {@code prompt}/{@code workflow} keys (VideoHelperSuite),
     * a bare prompt graph, or a UI workflow. Empty for anything that is not a ComfyUI graph (e.g. a {@code People:} line):
     * such text is never a prompt. Lenient: a graph that cannot be read (no sampler, a cycle, too large) is empty too;
     * {@link #readComment} says why.
     */
    public static Optional<ComfyReading> fromComment(String comment) {
        try {
            return Optional.of(readComment(comment));
        } catch (ComfyGraphException e) {
            return Optional.empty();
        }
    }

    /**
     * {@link #fromComment} that says why: throws {@link ComfyGraphException} for text that holds no ComfyUI graph, a
     * comment over {@link #MAX_COMMENT_CHARS}, a graph without a sampler or with a cycle.
     */
    public static ComfyReading readComment(String comment) {
        if (comment == null || comment.isBlank()) throw new ComfyGraphException("the comment is empty");
        if (comment.length() > MAX_COMMENT_CHARS) {
            throw new ComfyGraphException("the comment is " + (comment.length() / (1024 * 1024)) + " MiB; at most "
                    + (MAX_COMMENT_CHARS / (1024 * 1024)) + " MiB of ComfyUI metadata is read");
        }
        JsonNode root = firstJsonObject(comment);
        if (root == null) throw new ComfyGraphException("the comment holds no ComfyUI JSON");
        JsonNode prompt = null, workflow = null;
        if (root.has("prompt") || root.has("workflow")) {
            prompt = embedded(root.get("prompt"), "prompt");
            workflow = embedded(root.get("workflow"), "workflow");
        } else if (Graph.looksLikePrompt(root)) {
            prompt = root;
        } else if (Graph.looksLikeWorkflow(root)) {
            workflow = root;
        }
        if (prompt == null && workflow == null) throw new ComfyGraphException("the comment's JSON is not a ComfyUI prompt or workflow");
        return read(prompt, workflow);
    }

    /** Reads a PNG's {@code prompt} / {@code workflow} text chunks (ComfyUI's SaveImage), either may be null. */
    public static ComfyReading readTexts(String prompt, String workflow) {
        for (String s : new String[]{prompt, workflow}) {
            if (s != null && s.length() > MAX_COMMENT_CHARS) {
                throw new ComfyGraphException("a text chunk is " + (s.length() / (1024 * 1024)) + " MiB; at most "
                        + (MAX_COMMENT_CHARS / (1024 * 1024)) + " MiB of ComfyUI metadata is read");
            }
        }
        JsonNode p = prompt == null ? null : parse(prompt, "prompt");
        JsonNode w = workflow == null ? null : parse(workflow, "workflow");
        return read(p, w);
    }

    private static JsonNode embedded(JsonNode n, String what) {
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return parse(n.asText(), what);
        return n;
    }

    private static JsonNode parse(String text, String what) {
        try {
            JsonNode n = MAPPER.readTree(text);
            if (n == null || !n.isObject()) throw new ComfyGraphException("the " + what + " is not a JSON object");
            return n;
        } catch (IOException e) {
            throw new ComfyGraphException("the " + what + " is not JSON: " + firstLine(e.getMessage()));
        }
    }

    /** The first JSON object in the text that starts a line (a People line may stand before or after it). */
    private static JsonNode firstJsonObject(String text) {
        List<Integer> starts = new ArrayList<>();
        for (int i = text.indexOf('{'); i >= 0 && starts.size() < 8; i = text.indexOf('{', i + 1)) {
            int lineStart = text.lastIndexOf('\n', i) + 1;
            if (text.substring(lineStart, i).isBlank()) starts.add(i);
        }
        for (int s : starts) {
            try (JsonParser p = MAPPER.createParser(text.substring(s))) {
                JsonNode n = MAPPER.readTree(p);
                if (n != null && n.isObject()) return n;
            } catch (IOException ignored) {
                // not JSON from here; try the next line that starts with {
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
