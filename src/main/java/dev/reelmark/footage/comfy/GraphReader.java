package dev.reelmark.footage.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.footage.GenerationFacts;
import dev.reelmark.footage.comfy.Graph.Link;
import dev.reelmark.footage.comfy.Graph.Node;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Follows the links of one {@link Graph} from its samplers: conditioning back to the text encoders, the model input
 * back through LoRA loaders and model patches to the loaders, the latent back to its size, value inputs back to the
 * primitive node that holds them. Node order and node ids never decide anything except which of several unrelated
 * sampler chains is read (the lowest id, with a warning).
 */
final class GraphReader {
    static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    static final Set<String> SAMPLERS = Set.of("KSampler", "KSamplerAdvanced", "SamplerCustom", "SamplerCustomAdvanced");
    private static final Set<String> MODEL_LOADERS = Set.of("CheckpointLoaderSimple", "CheckpointLoader", "UNETLoader",
            "UnetLoaderGGUF", "UnetLoaderGGUFAdvanced", "ImageOnlyCheckpointLoader", "unCLIPCheckpointLoader",
            "DiffusionModelLoaderKJ", "DiffusersLoader");
    private static final List<String> MODEL_NAME_INPUTS = List.of("ckpt_name", "unet_name", "model_name", "model_path", "gguf_name");
    private static final Set<String> IMAGE_LOADERS = Set.of("LoadImage", "LoadImageMask", "LoadImageOutput");
    /** inputs that hold a value on primitive, seed, literal and string nodes, in the order they are tried */
    private static final List<String> VALUE_INPUTS = List.of("value", "seed", "noise_seed", "string", "text", "int",
            "float", "number", "Text", "STRING", "INT", "FLOAT");
    private static final List<String> TEXT_INPUTS = List.of("text", "prompt", "positive_prompt", "text_g", "t5xxl", "clip_l", "text_l");

    private final Graph g;
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Double> guidance = new LinkedHashMap<>();

    GraphReader(Graph g) {
        this.g = g;
    }

    List<String> warnings() {
        return warnings;
    }

    /** The sampler nodes' facts, first sampler of the chain first; see {@link ComfyReading.SamplerStep}. */
    record Result(GenerationFacts facts, List<ComfyReading.SamplerStep> samplers, Double guidance, Double denoise) {
    }

    Result read() {
        List<Node> samplers = g.nodes.values().stream().filter(n -> SAMPLERS.contains(n.type) && n.mode != 2 && n.mode != 4).toList();
        if (samplers.isEmpty()) {
            throw new ComfyGraphException("the graph has no sampler node (KSampler, KSamplerAdvanced, SamplerCustom or SamplerCustomAdvanced)");
        }
        List<Node> chain = chain(samplers);
        Node first = chain.get(0);
        Sampling s0 = sampling(first);

        // prompts from the first sampler's conditioning
        String positive = s0.positive == null ? null : text(s0.positive);
        String negative = s0.negative == null ? null : text(s0.negative);
        if (positive == null) warnings.add("no text encoder found on the positive conditioning of " + first);

        // models and LoRAs along each sampler's model input, in chain order
        List<GenerationFacts.Model> models = new ArrayList<>();
        Map<String, GenerationFacts.Lora> loras = new LinkedHashMap<>();
        Set<String> modelNodes = new HashSet<>();
        List<ComfyReading.SamplerStep> steps = new ArrayList<>();
        boolean split = chain.size() == 2 && "KSamplerAdvanced".equals(first.type)
                && "enable".equals(str(value(first, "return_with_leftover_noise")));
        for (int i = 0; i < chain.size(); i++) {
            Node sn = chain.get(i);
            Sampling s = i == 0 ? s0 : sampling(sn);
            String role = chain.size() == 1 ? "base" : chain.size() == 2
                    ? (split ? (i == 0 ? "high_noise" : "low_noise") : (i == 0 ? "base" : "refiner")) : "stage_" + (i + 1);
            ModelChain mc = s.model == null ? new ModelChain(null, List.of()) : modelChain(s.model);
            for (Map.Entry<String, GenerationFacts.Lora> e : mc.loras) loras.putIfAbsent(e.getKey(), e.getValue());
            String modelName = null;
            if (mc.loader != null) {
                modelName = modelName(mc.loader);
                if (modelNodes.add(mc.loader.id) && modelName != null) models.add(new GenerationFacts.Model(role, ref(modelName)));
            } else {
                warnings.add("no model loader found on the model input of " + sn);
            }
            steps.add(new ComfyReading.SamplerStep(sn.id, sn.type, role, modelName, s.seed, s.steps, s.cfg, s.sampler,
                    s.scheduler, s.denoise, intOrNull(value(sn, "start_at_step")), intOrNull(value(sn, "end_at_step"))));
        }
        // LoRAs that only touch the text encoders' CLIP input
        for (Link l : java.util.Arrays.asList(s0.positive, s0.negative)) {
            if (l == null) continue;
            for (Node enc : encoders(l)) {
                Link clip = enc.link("clip");
                if (clip != null) for (Map.Entry<String, GenerationFacts.Lora> e : modelChain(clip).loras) loras.putIfAbsent(e.getKey(), e.getValue());
            }
        }

        // the latent size and frame count
        Integer width = null, height = null, frames = null;
        Node latent = s0.latent == null ? null : latentSource(s0.latent);
        if (latent != null) {
            width = intOrNull(value(latent, "width"));
            height = intOrNull(value(latent, "height"));
            if (latent.has("length")) frames = intOrNull(value(latent, "length"));
            else if (latent.has("num_frames")) frames = intOrNull(value(latent, "num_frames"));
        }

        List<GenerationFacts.SourceImage> images = sourceImages(chain);
        GenerationFacts facts = new GenerationFacts(GenerationFacts.Source.FILE_COMMENT, null, positive, negative,
                s0.seed, s0.sampler, s0.scheduler, s0.cfg, s0.steps, width, height, frames, models,
                new ArrayList<>(loras.values()), images, null);
        Double guide = guidance.isEmpty() ? null : guidance.values().iterator().next();
        return new Result(facts, steps, guide, s0.denoise);
    }

    // ------------------------------------------------------------------ samplers

    /** The chain of samplers that ends in the final one: each sampler after the first takes the latent of the one before. */
    private List<Node> chain(List<Node> samplers) {
        Map<String, Node> previous = new HashMap<>();
        Set<String> consumed = new HashSet<>();
        for (Node s : samplers) {
            Node p = upstreamSampler(s);
            if (p != null) {
                previous.put(s.id, p);
                consumed.add(p.id);
            }
        }
        List<Node> finals = samplers.stream().filter(s -> !consumed.contains(s.id))
                .sorted(Comparator.comparing((Node n) -> numeric(n.id)).thenComparing(n -> n.id)).toList();
        if (finals.size() > 1) {
            warnings.add(finals.size() + " separate sampler chains; read the one ending at " + finals.get(0));
        }
        Deque<Node> chain = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        for (Node n = finals.get(0); n != null && seen.add(n.id); n = previous.get(n.id)) chain.addFirst(n);
        return new ArrayList<>(chain);
    }

    private Node upstreamSampler(Node s) {
        Link start = s.link("latent_image");
        if (start == null) return null;
        Deque<Link> todo = new ArrayDeque<>(List.of(start));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Node n = g.node(todo.poll().node());
            if (n == null || !seen.add(n.id)) continue;
            if (SAMPLERS.contains(n.type)) return n;
            for (Object v : n.inputs.values()) if (v instanceof Link l) todo.add(l);
        }
        return null;
    }

    private static long numeric(String id) {
        try {
            return Long.parseLong(id.contains(":") ? id.substring(0, id.indexOf(':')) : id);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** What one sampler node says, with SamplerCustomAdvanced's guider, noise, sampler and sigmas nodes read. */
    private static final class Sampling {
        Link model, positive, negative, latent;
        BigInteger seed;
        Integer steps;
        Double cfg, denoise;
        String sampler, scheduler;
    }

    private Sampling sampling(Node n) {
        Sampling s = new Sampling();
        s.latent = n.link("latent_image");
        switch (n.type) {
            case "SamplerCustomAdvanced" -> {
                Node guider = target(n.link("guider"));
                if (guider != null) {
                    s.model = guider.link("model");
                    switch (guider.type) {
                        case "BasicGuider" -> {
                            s.positive = guider.link("conditioning");
                            s.cfg = 1.0; // a basic guider is CFG 1: the conditioning alone, no negative
                        }
                        case "DualCFGGuider" -> {
                            s.positive = guider.link("cond1");
                            s.negative = guider.link("negative");
                            s.cfg = dbl(value(guider, "cfg_conds"));
                        }
                        default -> {
                            s.positive = guider.link("positive");
                            s.negative = guider.link("negative");
                            s.cfg = dbl(value(guider, "cfg"));
                        }
                    }
                } else {
                    warnings.add(n + " has no guider node");
                }
                Node noise = target(n.link("noise"));
                if (noise != null && noise.has("noise_seed")) s.seed = seed(noise, "noise_seed");
                samplerSelect(s, target(n.link("sampler")));
                sigmas(s, target(n.link("sigmas")));
            }
            case "SamplerCustom" -> {
                s.model = n.link("model");
                s.positive = n.link("positive");
                s.negative = n.link("negative");
                s.cfg = dbl(value(n, "cfg"));
                s.seed = seed(n, "noise_seed");
                samplerSelect(s, target(n.link("sampler")));
                sigmas(s, target(n.link("sigmas")));
            }
            default -> { // KSampler, KSamplerAdvanced
                s.model = n.link("model");
                s.positive = n.link("positive");
                s.negative = n.link("negative");
                s.cfg = dbl(value(n, "cfg"));
                s.seed = seed(n, n.has("noise_seed") ? "noise_seed" : "seed");
                s.steps = intOrNull(value(n, "steps"));
                s.sampler = str(value(n, "sampler_name"));
                s.scheduler = str(value(n, "scheduler"));
                s.denoise = dbl(value(n, "denoise"));
            }
        }
        return s;
    }

    private void samplerSelect(Sampling s, Node sel) {
        if (sel == null) return;
        s.sampler = sel.has("sampler_name") ? str(value(sel, "sampler_name")) : sel.type;
    }

    private void sigmas(Sampling s, Node sig) {
        Set<String> seen = new HashSet<>();
        while (sig != null && seen.add(sig.id) && !sig.has("steps") && sig.link("sigmas") != null) sig = target(sig.link("sigmas"));
        if (sig == null) return;
        s.steps = intOrNull(value(sig, "steps"));
        s.scheduler = sig.has("scheduler") ? str(value(sig, "scheduler")) : sig.type;
        if (sig.has("denoise")) s.denoise = dbl(value(sig, "denoise"));
    }

    private BigInteger seed(Node n, String input) {
        JsonNode v = value(n, input);
        if (v == null || v.isNull()) return null;
        BigInteger b;
        if (v.isIntegralNumber()) b = v.bigIntegerValue();
        else if (v.isTextual() && v.asText().strip().matches("-?\\d{1,20}")) b = new BigInteger(v.asText().strip());
        else if (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue())) b = v.decimalValue().toBigInteger();
        else {
            warnings.add("the seed of " + n + " is not an integer: " + v);
            return null;
        }
        if (b.signum() < 0 || b.compareTo(U64_MAX) > 0) {
            warnings.add("the seed of " + n + " is outside 0..18446744073709551615: " + b);
            return null;
        }
        return b;
    }

    // ------------------------------------------------------------------ values

    /** Follows reroute nodes to the node that really produces a link's value. */
    private Node target(Link l) {
        Set<String> seen = new HashSet<>();
        while (l != null) {
            Node n = g.node(l.node());
            if (n == null) {
                warnings.add("a link points at node " + l.node() + ", which is not in the graph");
                return null;
            }
            if (!n.type.startsWith("Reroute") || !seen.add(n.id)) return n;
            l = n.inputs.values().stream().filter(v -> v instanceof Link).map(v -> (Link) v).findFirst().orElse(null);
        }
        return null;
    }

    /** An input's value: the literal, or the value held by the primitive/seed/string node it links to. */
    JsonNode value(Node n, String input) {
        Object v = n.inputs.get(input);
        if (v instanceof JsonNode j) return j;
        if (!(v instanceof Link l)) return null;
        Set<String> seen = new HashSet<>();
        Node p = target(l);
        while (p != null && seen.add(p.id)) {
            for (String k : VALUE_INPUTS) {
                JsonNode lit = p.literal(k);
                if (lit != null && !lit.isContainerNode()) return lit;
            }
            Link next = null;
            for (String k : VALUE_INPUTS) if (p.link(k) != null) { next = p.link(k); break; }
            if (next == null) {
                List<Link> all = p.inputs.values().stream().filter(x -> x instanceof Link).map(x -> (Link) x).toList();
                if (all.size() == 1) next = all.get(0);
            }
            if (next == null) break;
            p = target(next);
        }
        warnings.add("input " + input + " of " + n + " links to " + (p == null ? "a missing node" : p.toString()) + ", whose value is not in the graph");
        return null;
    }

    private static String str(JsonNode v) {
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    private static Double dbl(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (v.isNumber()) return v.doubleValue();
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.asText().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Integer intOrNull(JsonNode v) {
        Double d = dbl(v);
        return d == null || d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE ? null : d.intValue();
    }

    // ------------------------------------------------------------------ conditioning → text

    private static final Set<String> ZERO = Set.of("ConditioningZeroOut");

    /** The prompt text a conditioning link carries (texts of combined conditionings joined by a newline), or null. */
    private String text(Link l) {
        List<String> texts = new ArrayList<>();
        collectTexts(l, texts, new HashSet<>(), 0);
        LinkedHashSet<String> distinct = new LinkedHashSet<>(texts);
        return distinct.isEmpty() ? null : String.join("\n", distinct);
    }

    private void collectTexts(Link l, List<String> out, Set<String> seen, int depth) {
        Node n = target(l);
        if (n == null || depth > Graph.MAX_NODES || !seen.add(n.id + ":" + l.slot())) return;
        if (ZERO.contains(n.type)) return; // zeroed conditioning: no text, whatever it was made from
        if (n.type.equals("FluxGuidance")) {
            Double gd = dbl(value(n, "guidance"));
            if (gd != null) guidance.putIfAbsent(n.id, gd);
        }
        if (isEncoder(n)) {
            String t = encoderText(n);
            if (t != null) out.add(t);
            if (n.type.equals("CLIPTextEncodeFlux")) {
                Double gd = dbl(value(n, "guidance"));
                if (gd != null) guidance.putIfAbsent(n.id, gd);
            }
            return;
        }
        // nodes that carry a positive and a negative through (ControlNetApplyAdvanced, WanImageToVideo, ...):
        // output slot 0 is the positive, slot 1 the negative
        if (n.link("positive") != null && n.link("negative") != null) {
            if (l.slot() == 0) collectTexts(n.link("positive"), out, seen, depth + 1);
            else if (l.slot() == 1) collectTexts(n.link("negative"), out, seen, depth + 1);
            return;
        }
        for (Map.Entry<String, Object> e : n.inputs.entrySet()) {
            if (e.getValue() instanceof Link next && isConditioningInput(e.getKey())) collectTexts(next, out, seen, depth + 1);
        }
    }

    private static boolean isConditioningInput(String name) {
        String k = name.toLowerCase(Locale.ROOT);
        return k.startsWith("conditioning") || k.equals("positive") || k.startsWith("cond") && !k.startsWith("control");
    }

    private static boolean isEncoder(Node n) {
        if (n.type.startsWith("CLIPTextEncode") || n.type.contains("TextEncode")) return true;
        return n.has("clip") && TEXT_INPUTS.stream().anyMatch(n::has);
    }

    private String encoderText(Node n) {
        switch (n.type) {
            case "CLIPTextEncodeSDXL" -> {
                return joinDistinct(str(value(n, "text_g")), str(value(n, "text_l")));
            }
            case "CLIPTextEncodeFlux" -> {
                return joinDistinct(str(value(n, "t5xxl")), str(value(n, "clip_l")));
            }
            default -> {
                for (String k : TEXT_INPUTS) {
                    if (n.has(k)) {
                        String t = str(value(n, k));
                        if (t != null) return t;
                    }
                }
                warnings.add(n + " has no text input the reader knows");
                return null;
            }
        }
    }

    private static String joinDistinct(String a, String b) {
        if (a == null || a.isEmpty()) return b;
        if (b == null || b.isEmpty() || b.equals(a)) return a;
        return a + "\n" + b;
    }

    private List<Node> encoders(Link l) {
        List<Node> out = new ArrayList<>();
        Deque<Link> todo = new ArrayDeque<>(List.of(l));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Node n = target(todo.poll());
            if (n == null || !seen.add(n.id)) continue;
            if (isEncoder(n)) {
                out.add(n);
                continue;
            }
            for (Map.Entry<String, Object> e : n.inputs.entrySet()) {
                if (e.getValue() instanceof Link next && (isConditioningInput(e.getKey()) || e.getKey().equals("negative"))) todo.add(next);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ models and LoRAs

    private record ModelChain(Node loader, List<Map.Entry<String, GenerationFacts.Lora>> loras) {
    }

    /** From a model (or CLIP) link back to its loader, collecting LoRAs in the order they are applied. */
    private ModelChain modelChain(Link start) {
        List<Map.Entry<String, GenerationFacts.Lora>> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Link cur = start;
        Node loader = null;
        while (cur != null) {
            Node n = target(cur);
            if (n == null || !seen.add(n.id)) break;
            if (isModelLoader(n)) {
                loader = n;
                break;
            }
            String type = n.type;
            if (type.equals("CLIPLoader") || type.equals("DualCLIPLoader") || type.equals("TripleCLIPLoader")) break;
            boolean bypassed = n.mode == 4 || n.mode == 2;
            if (!bypassed) {
                List<Map.Entry<String, GenerationFacts.Lora>> here = new ArrayList<>();
                if (type.equals("Power Lora Loader (rgthree)")) powerLoras(n, here);
                else if (type.equals("CR Apply LoRA Stack")) crStack(n.link("lora_stack"), here, new HashSet<>());
                else if (isLoraLoader(n)) lora(n, here);
                // walking from the sampler towards the loader: this node's LoRAs apply before those found so far
                found.addAll(0, here);
            }
            Link next = cur.slot() == 1 && n.link("clip") != null && isLoraLoader(n) ? n.link("clip") : n.link("model");
            if (next == null) next = n.link("clip");
            if (next == null) {
                for (Map.Entry<String, Object> e : n.inputs.entrySet()) {
                    if (e.getValue() instanceof Link l && e.getKey().toLowerCase(Locale.ROOT).contains("model")) { next = l; break; }
                }
            }
            cur = next;
        }
        return new ModelChain(loader, found);
    }

    private static boolean isModelLoader(Node n) {
        if (MODEL_LOADERS.contains(n.type) || n.type.startsWith("DiffusionModelLoader")) return true;
        return n.type.contains("Loader") && !n.type.toLowerCase(Locale.ROOT).contains("lora")
                && MODEL_NAME_INPUTS.stream().anyMatch(k -> n.literal(k) != null) && n.link("model") == null;
    }

    private String modelName(Node loader) {
        for (String k : MODEL_NAME_INPUTS) {
            String s = nameValue(value(loader, k));
            if (s != null) return s;
        }
        return null;
    }

    private static boolean isLoraLoader(Node n) {
        return n.type.toLowerCase(Locale.ROOT).contains("lora") && n.has("lora_name");
    }

    /** A file-name widget: a string, or pysssss' {@code {"content": name, "image": ...}}. */
    private static String nameValue(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (v.isObject()) return v.path("content").isTextual() ? v.get("content").asText() : null;
        String s = v.asText();
        return s.isEmpty() || s.equals("None") ? null : s;
    }

    private void lora(Node n, List<Map.Entry<String, GenerationFacts.Lora>> out) {
        String name = nameValue(value(n, "lora_name"));
        if (name == null) return;
        Double model = dbl(value(n, n.has("strength_model") ? "strength_model" : "strength"));
        Double clip = n.has("strength_clip") ? dbl(value(n, "strength_clip")) : null;
        out.add(Map.entry(n.id, new GenerationFacts.Lora(ref(name), model == null ? 1.0 : model, clip)));
    }

    /** rgthree's Power Lora Loader: rows lora_1..lora_N of {on, lora, strength, strengthTwo}; rows that are off are not used. */
    private void powerLoras(Node n, List<Map.Entry<String, GenerationFacts.Lora>> out) {
        List<Map.Entry<String, Object>> rows = n.inputs.entrySet().stream()
                .filter(e -> e.getKey().matches("(?i)lora_\\d+") && e.getValue() instanceof JsonNode j && j.isObject())
                .sorted(Comparator.comparingInt(e -> Integer.parseInt(e.getKey().substring(5)))).toList();
        for (Map.Entry<String, Object> e : rows) {
            JsonNode row = (JsonNode) e.getValue();
            if (!row.path("on").asBoolean(false)) continue;
            String name = nameValue(row.get("lora"));
            if (name == null) continue;
            double model = row.path("strength").isNumber() ? row.get("strength").doubleValue() : 1.0;
            Double clip = row.path("strengthTwo").isNumber() ? row.get("strengthTwo").doubleValue() : model;
            out.add(Map.entry(n.id + "/" + e.getKey(), new GenerationFacts.Lora(ref(name), model, clip)));
        }
    }

    /** Comfyroll's LoRA stack: an earlier stack (lora_stack input) first, then this node's rows that are switched on. */
    private void crStack(Link l, List<Map.Entry<String, GenerationFacts.Lora>> out, Set<String> seen) {
        Node n = target(l);
        if (n == null || !seen.add(n.id)) return;
        if (n.link("lora_stack") != null) crStack(n.link("lora_stack"), out, seen);
        for (int i = 1; i <= 10; i++) {
            if (!n.has("lora_name_" + i)) continue;
            if (!"On".equalsIgnoreCase(String.valueOf(str(value(n, "switch_" + i))))) continue;
            String name = nameValue(value(n, "lora_name_" + i));
            if (name == null) continue;
            Double model = dbl(value(n, "model_weight_" + i));
            Double clip = dbl(value(n, "clip_weight_" + i));
            out.add(Map.entry(n.id + "/" + i, new GenerationFacts.Lora(ref(name), model == null ? 1.0 : model, clip)));
        }
    }

    private static GenerationFacts.AssetRef ref(String name) {
        return new GenerationFacts.AssetRef(name, null, null, null, false);
    }

    // ------------------------------------------------------------------ latent and images

    /** The node that sets the latent's size: the first upstream node with width and height (EmptyLatentImage, WanImageToVideo, ...). */
    private Node latentSource(Link start) {
        Deque<Link> todo = new ArrayDeque<>(List.of(start));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Node n = target(todo.poll());
            if (n == null || !seen.add(n.id)) continue;
            if (n.has("width") && n.has("height") && !n.type.startsWith("CLIPTextEncode")) return n;
            for (Map.Entry<String, Object> e : n.inputs.entrySet()) {
                if (e.getValue() instanceof Link l && !e.getKey().equals("model") && !e.getKey().equals("vae")) todo.add(l);
            }
        }
        return null;
    }

    /** LoadImage nodes the samplers depend on, with the input name that takes each (start_image, image, ...) as role. */
    private List<GenerationFacts.SourceImage> sourceImages(List<Node> samplers) {
        Map<String, GenerationFacts.SourceImage> out = new LinkedHashMap<>();
        Deque<Node> todo = new ArrayDeque<>(samplers);
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Node n = todo.poll();
            if (!seen.add(n.id)) continue;
            for (Map.Entry<String, Object> e : n.inputs.entrySet()) {
                if (!(e.getValue() instanceof Link l)) continue;
                Node up = target(l);
                if (up == null) continue;
                if (IMAGE_LOADERS.contains(up.type)) {
                    String name = nameValue(value(up, "image"));
                    if (name != null && !out.containsKey(up.id)) {
                        name = name.replaceFirst("\\s*\\[(input|output|temp)]$", "");
                        out.put(up.id, new GenerationFacts.SourceImage(name, null, null, e.getKey()));
                    }
                }
                todo.add(up);
            }
        }
        return new ArrayList<>(out.values());
    }
}
