package dev.reelmark.footage.comfy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ComfyUI graph in one shape, whichever format it came in: nodes by id, each with its class and its inputs, an input
 * being either a literal value or a link to another node's output slot. Built from the API-format prompt
 * ({@code {id: {class_type, inputs}}}) or from the UI workflow ({@code {nodes, links}}, widget values mapped to
 * input names for the node classes the reader knows). Refuses cycles and oversized graphs.
 */
final class Graph {
    static final int MAX_NODES = 20_000;

    /** A link to output {@code slot} of node {@code node}. */
    record Link(String node, int slot) {
    }

    static final class Node {
        final String id;
        final String type;
        /** 0 always, 2 never (muted), 4 bypassed (UI format only; the API format leaves such nodes out) */
        final int mode;
        /** input name → {@link Link} or literal {@link JsonNode}, in the order written */
        final Map<String, Object> inputs = new LinkedHashMap<>();

        Node(String id, String type, int mode) {
            this.id = id;
            this.type = type;
            this.mode = mode;
        }

        Link link(String name) {
            return inputs.get(name) instanceof Link l ? l : null;
        }

        JsonNode literal(String name) {
            return inputs.get(name) instanceof JsonNode n ? n : null;
        }

        boolean has(String name) {
            return inputs.containsKey(name);
        }

        @Override
        public String toString() {
            return "node " + id + " (" + type + ")";
        }
    }

    final Map<String, Node> nodes = new LinkedHashMap<>();
    final String format;

    private Graph(String format) {
        this.format = format;
    }

    Node node(String id) {
        return nodes.get(id);
    }

    // ------------------------------------------------------------------ API format

    static boolean looksLikePrompt(JsonNode n) {
        if (n == null || !n.isObject() || n.isEmpty()) return false;
        for (JsonNode v : n) if (!v.isObject() || !v.path("class_type").isTextual()) return false;
        return true;
    }

    static boolean looksLikeWorkflow(JsonNode n) {
        return n != null && n.isObject() && n.path("nodes").isArray();
    }

    static Graph fromPrompt(JsonNode prompt) {
        if (!looksLikePrompt(prompt)) {
            throw new ComfyGraphException("the prompt is not a ComfyUI API-format graph (an object of nodes with class_type and inputs)");
        }
        if (prompt.size() > MAX_NODES) throw new ComfyGraphException("the graph has " + prompt.size() + " nodes; at most " + MAX_NODES + " are read");
        Graph g = new Graph("api");
        for (Map.Entry<String, JsonNode> e : prompt.properties()) {
            JsonNode n = e.getValue();
            Node node = new Node(e.getKey(), n.get("class_type").asText(), 0);
            JsonNode inputs = n.path("inputs");
            for (Iterator<Map.Entry<String, JsonNode>> it = inputs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> in = it.next();
                JsonNode v = in.getValue();
                if (isLink(v)) node.inputs.put(in.getKey(), new Link(v.get(0).asText(), v.get(1).intValue()));
                else node.inputs.put(in.getKey(), v);
            }
            g.nodes.put(node.id, node);
        }
        g.checkAcyclic();
        return g;
    }

    private static boolean isLink(JsonNode v) {
        return v.isArray() && v.size() == 2 && (v.get(0).isTextual() || v.get(0).isIntegralNumber()) && v.get(1).isIntegralNumber();
    }

    // ------------------------------------------------------------------ UI format

    /** Widget names in widgets_values order; "_" marks a value with no input (control_after_generate, upload). */
    private static final Map<String, List<String>> WIDGETS = new HashMap<>();

    static {
        w("KSampler", "seed", "_", "steps", "cfg", "sampler_name", "scheduler", "denoise");
        w("KSamplerAdvanced", "add_noise", "noise_seed", "_", "steps", "cfg", "sampler_name", "scheduler",
                "start_at_step", "end_at_step", "return_with_leftover_noise");
        w("SamplerCustom", "add_noise", "noise_seed", "_", "cfg");
        w("RandomNoise", "noise_seed", "_");
        w("KSamplerSelect", "sampler_name");
        w("BasicScheduler", "scheduler", "steps", "denoise");
        w("KarrasScheduler", "steps", "sigma_max", "sigma_min", "rho");
        w("CFGGuider", "cfg");
        w("DualCFGGuider", "cfg_conds", "cfg_cond2_negative");
        w("FluxGuidance", "guidance");
        w("CheckpointLoaderSimple", "ckpt_name");
        w("UNETLoader", "unet_name", "weight_dtype");
        w("UnetLoaderGGUF", "unet_name");
        w("CLIPLoader", "clip_name", "type", "device");
        w("DualCLIPLoader", "clip_name1", "clip_name2", "type", "device");
        w("VAELoader", "vae_name");
        w("CLIPVisionLoader", "clip_name");
        w("LoraLoader", "lora_name", "strength_model", "strength_clip");
        w("LoraLoader|pysssss", "lora_name", "strength_model", "strength_clip");
        w("LoraLoaderModelOnly", "lora_name", "strength_model");
        w("CLIPTextEncode", "text");
        w("CLIPTextEncodeSDXL", "width", "height", "crop_w", "crop_h", "target_width", "target_height", "text_g", "text_l");
        w("CLIPTextEncodeFlux", "clip_l", "t5xxl", "guidance");
        w("EmptyLatentImage", "width", "height", "batch_size");
        w("EmptySD3LatentImage", "width", "height", "batch_size");
        w("EmptyHunyuanLatentVideo", "width", "height", "length", "batch_size");
        w("WanImageToVideo", "width", "height", "length", "batch_size");
        w("LoadImage", "image", "_");
        w("ModelSamplingSD3", "shift");
        w("ModelSamplingFlux", "max_shift", "base_shift", "width", "height");
        w("ControlNetLoader", "control_net_name");
        w("ControlNetApply", "strength");
        w("ControlNetApplyAdvanced", "strength", "start_percent", "end_percent");
        w("ConditioningSetArea", "width", "height", "x", "y", "strength");
        w("PrimitiveNode", "value", "_");
        w("PrimitiveInt", "value", "_");
        w("PrimitiveFloat", "value");
        w("PrimitiveString", "value");
        w("PrimitiveStringMultiline", "value");
        w("Seed (rgthree)", "seed");
        w("CR Seed", "seed", "_");
        w("easy seed", "seed", "_");
        w("Int Literal", "int");
        w("String Literal", "string");
        w("Primitive string multiline", "string");
        w("CR LoRA Stack", "switch_1", "lora_name_1", "model_weight_1", "clip_weight_1", "switch_2", "lora_name_2",
                "model_weight_2", "clip_weight_2", "switch_3", "lora_name_3", "model_weight_3", "clip_weight_3");
    }

    private static void w(String type, String... names) {
        WIDGETS.put(type, List.of(names));
    }

    static Graph fromWorkflow(JsonNode wf) {
        if (!looksLikeWorkflow(wf)) throw new ComfyGraphException("the workflow is not a ComfyUI UI-format graph (no nodes array)");
        JsonNode nodes = wf.get("nodes");
        if (nodes.size() > MAX_NODES) throw new ComfyGraphException("the workflow has " + nodes.size() + " nodes; at most " + MAX_NODES + " are read");
        // link id → origin (node, slot); links are [id, origin, originSlot, target, targetSlot, type] or objects
        Map<Long, Link> links = new HashMap<>();
        for (JsonNode l : wf.path("links")) {
            if (l.isArray() && l.size() >= 5) links.put(l.get(0).asLong(), new Link(l.get(1).asText(), l.get(2).asInt()));
            else if (l.isObject() && l.has("id")) links.put(l.get("id").asLong(), new Link(l.path("origin_id").asText(), l.path("origin_slot").asInt()));
        }
        Graph g = new Graph("ui");
        for (JsonNode n : nodes) {
            if (!n.isObject() || !n.has("id") || !n.path("type").isTextual()) {
                throw new ComfyGraphException("a workflow node has no id or type");
            }
            Node node = new Node(n.get("id").asText(), n.get("type").asText(), n.path("mode").asInt(0));
            JsonNode widgets = n.get("widgets_values");
            if (widgets != null && widgets.isObject()) {
                widgets.properties().forEach(e -> node.inputs.put(e.getKey(), e.getValue()));
            } else if (widgets != null && widgets.isArray()) {
                mapWidgets(node, n, widgets);
            }
            // linked inputs win over the widget value of the same name (a widget converted to an input)
            for (JsonNode in : n.path("inputs")) {
                JsonNode link = in.get("link");
                String name = in.path("name").asText("");
                if (in.path("widget").path("name").isTextual()) name = in.path("widget").path("name").asText();
                if (link == null || link.isNull() || name.isEmpty() && !node.type.startsWith("Reroute")) continue;
                Link target = links.get(link.asLong());
                if (target != null) node.inputs.put(name.isEmpty() ? "input" : name, target);
            }
            g.nodes.put(node.id, node);
        }
        g.checkAcyclic();
        return g;
    }

    private static void mapWidgets(Node node, JsonNode n, JsonNode values) {
        if (node.type.equals("Power Lora Loader (rgthree)")) {
            int row = 0;
            for (JsonNode v : values) {
                if (v.isObject() && v.has("lora")) node.inputs.put("lora_" + (++row), v);
            }
            return;
        }
        List<String> names = WIDGETS.get(node.type);
        if (names == null) {
            // newer frontends list every widget as an input with a "widget" entry, in widget order
            List<String> fromInputs = new ArrayList<>();
            for (JsonNode in : n.path("inputs")) {
                if (in.path("widget").path("name").isTextual()) fromInputs.add(in.get("widget").get("name").asText());
            }
            if (fromInputs.size() != values.size()) return;
            names = fromInputs;
        }
        for (int i = 0; i < names.size() && i < values.size(); i++) {
            if (!names.get(i).equals("_")) node.inputs.put(names.get(i), values.get(i));
        }
    }

    // ------------------------------------------------------------------ cycles

    /** Depth-first over every link, iteratively (no stack overflow on deep graphs); a back edge is a cycle. */
    private void checkAcyclic() {
        Map<String, Integer> state = new HashMap<>(); // 1 on the path, 2 done
        for (String start : nodes.keySet()) {
            if (state.containsKey(start)) continue;
            Deque<Iterator<Link>> stack = new ArrayDeque<>();
            Deque<String> path = new ArrayDeque<>();
            state.put(start, 1);
            path.push(start);
            stack.push(linksOf(start));
            while (!stack.isEmpty()) {
                Iterator<Link> it = stack.peek();
                if (!it.hasNext()) {
                    state.put(path.pop(), 2);
                    stack.pop();
                    continue;
                }
                String next = it.next().node();
                if (!nodes.containsKey(next)) continue;
                Integer s = state.get(next);
                if (s == null) {
                    state.put(next, 1);
                    path.push(next);
                    stack.push(linksOf(next));
                } else if (s == 1) {
                    List<String> cycle = new ArrayList<>();
                    for (Iterator<String> p = path.descendingIterator(); p.hasNext(); ) cycle.add(p.next());
                    List<String> loop = new ArrayList<>(cycle.subList(cycle.indexOf(next), cycle.size()));
                    loop.add(next);
                    StringBuilder b = new StringBuilder();
                    for (String id : loop) {
                        if (b.length() > 0) b.append(" → ");
                        b.append(id).append(" (").append(nodes.get(id).type).append(')');
                    }
                    throw new ComfyGraphException("the graph has a cycle: " + b + "; ComfyUI cannot run it");
                }
            }
        }
    }

    private Iterator<Link> linksOf(String id) {
        List<Link> out = new ArrayList<>();
        for (Object v : nodes.get(id).inputs.values()) if (v instanceof Link l) out.add(l);
        return out.iterator();
    }
}
