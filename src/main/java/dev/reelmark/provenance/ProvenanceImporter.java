package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.http.ApiError;
import dev.reelmark.http.Json;
import dev.reelmark.media.MediaProbe;
import dev.reelmark.media.ProbeResult;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Records receipts from real ComfyUI output: the API-format prompt and the workflow JSON that VideoHelperSuite writes
 * into a video's {@code comment} tag, or that ComfyUI writes into PNG text chunks {@code prompt}/{@code workflow}.
 *
 * <p>From the prompt graph: the model from CheckpointLoaderSimple ({@code ckpt_name}) or UNETLoader ({@code unet_name});
 * LoRAs from LoraLoader/LoraLoaderModelOnly ({@code lora_name}, {@code strength_model}); positive/negative prompts from
 * the CLIPTextEncode nodes wired to the KSampler's {@code positive}/{@code negative} inputs (when they are not wired,
 * the CLIPTextEncode nodes in node-id order: first positive, second negative); seed, cfg, steps, sampler_name and
 * scheduler from the KSampler; the resolution from the video probe, the PNG header, or EmptyLatentImage.
 * The receipt goes to the segment whose {@code output_video_path} is the file (relative to the data directory or
 * absolute). Assets are matched by file name: an asset whose {@code file_path} has the same file name is that exact
 * version; otherwise an asset whose name is the file name without extension gives its chain. A referenced file found
 * on disk (absolute, under the data directory, or under {@code <data>/assets}) is hashed, and the chain version with
 * that checksum is used; without a file the name-matched chain's current version is assumed (reported as such).
 */
public final class ProvenanceImporter {
    private final ProvenanceService provenance;
    private final Path dataDir;
    private final Supplier<MediaProbe> probe;

    public ProvenanceImporter(ProvenanceService provenance, Path dataDir, Supplier<MediaProbe> probe) {
        this.provenance = provenance;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.probe = probe;
    }

    /** Imports every file; a missing file is a 400 naming {@code paths[i]} before anything is written. */
    public ObjectNode importPaths(List<String> paths) {
        if (paths == null || paths.isEmpty()) throw ApiError.badField("paths", "at least one path is required");
        if (paths.size() > 10_000) throw ApiError.badField("paths", "at most 10000 paths per request");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            String raw = paths.get(i);
            if (raw == null || raw.isBlank()) throw ApiError.badField("paths[" + i + "]", "must be a file path");
            Path p = Path.of(raw);
            if (!p.isAbsolute()) p = dataDir.resolve(p);
            if (!Files.isRegularFile(p)) throw ApiError.badField("paths[" + i + "]", "no such file: " + raw);
            files.add(p.normalize());
        }
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("items");
        int imported = 0;
        for (Path f : files) {
            ObjectNode r = importOne(f);
            if ("imported".equals(r.get("status").asText())) imported++;
            items.add(r);
        }
        out.put("imported", imported).put("total", files.size());
        return out;
    }

    ObjectNode importOne(Path file) {
        ObjectNode r = Json.object().put("path", file.toString());
        try {
            Extracted x = extract(file);
            Optional<Long> segment = segmentFor(file);
            if (segment.isEmpty()) {
                return r.put("status", "error").put("message", "no segment has output_video_path " + relative(file));
            }
            r.put("segment_id", segment.get());
            ReceiptInputs inputs = parse(x, r);
            Long latest = provenance.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT max(id) FROM generation_receipts WHERE segment_id = :s").bind("s", segment.get()).mapTo(Long.class).one());
            if (latest != null && provenance.receipt(latest).get("inputs_hash").asText().equals(inputs.inputsHash())) {
                return r.put("status", "unchanged").put("receipt_id", latest).put("inputs_hash", inputs.inputsHash());
            }
            Instant started = Files.getLastModifiedTime(file).toInstant();
            long id = provenance.record(segment.get(), inputs, started, null, null, "import:" + x.format());
            return r.put("status", "imported").put("receipt_id", id).put("inputs_hash", inputs.inputsHash());
        } catch (ApiError e) {
            return r.put("status", "error").put("message", e.getMessage());
        } catch (IOException | RuntimeException e) {
            return r.put("status", "error").put("message", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    record Extracted(String format, JsonNode prompt, JsonNode workflow, int width, int height) {
    }

    Extracted extract(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(8);
        }
        if (PngText.isPng(head)) {
            PngText.Result png;
            try (InputStream in = Files.newInputStream(file)) {
                png = PngText.read(in);
            }
            String prompt = png.text().get("prompt");
            if (prompt == null) throw ApiError.badRequest("the PNG has no 'prompt' text chunk (not a ComfyUI image)");
            String wf = png.text().get("workflow");
            return new Extracted("comfyui-png", parseJson(prompt, "prompt chunk"), wf == null ? null : parseJson(wf, "workflow chunk"),
                    png.width(), png.height());
        }
        ProbeResult p = probe.get().probe(file);
        String comment = p.comment().orElseThrow(() -> ApiError.badRequest("the video has no comment tag with ComfyUI metadata"));
        JsonNode root = parseJson(comment, "comment tag");
        JsonNode prompt = root.get("prompt");
        JsonNode workflow = root.get("workflow");
        if (prompt != null && prompt.isTextual()) prompt = parseJson(prompt.asText(), "comment prompt");
        if (workflow != null && workflow.isTextual()) workflow = parseJson(workflow.asText(), "comment workflow");
        if (prompt == null && looksLikePrompt(root)) prompt = root;
        if (prompt == null || !prompt.isObject()) throw ApiError.badRequest("the comment tag has no ComfyUI prompt");
        return new Extracted("comfyui-video-comment", prompt, workflow, p.width(), p.height());
    }

    private static boolean looksLikePrompt(JsonNode n) {
        if (!n.isObject() || n.isEmpty()) return false;
        for (JsonNode v : n) if (!v.has("class_type")) return false;
        return true;
    }

    private static JsonNode parseJson(String text, String where) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw ApiError.badRequest("the " + where + " is not JSON: " + e.getMessage());
        }
    }

    ReceiptInputs parse(Extracted x, ObjectNode report) {
        JsonNode g = x.prompt();
        List<String> ids = new ArrayList<>();
        g.fieldNames().forEachRemaining(ids::add);
        ids.sort(Comparator.comparingLong(ProvenanceImporter::numericId).thenComparing(Comparator.naturalOrder()));
        JsonNode sampler = null, modelNode = null, latent = null;
        List<JsonNode> loraNodes = new ArrayList<>(), texts = new ArrayList<>();
        for (String id : ids) {
            JsonNode n = g.get(id);
            String type = n.path("class_type").asText();
            switch (type) {
                case "KSampler", "KSamplerAdvanced" -> { if (sampler == null) sampler = n; }
                case "CheckpointLoaderSimple", "UNETLoader" -> { if (modelNode == null) modelNode = n; }
                case "LoraLoader", "LoraLoaderModelOnly" -> loraNodes.add(n);
                case "CLIPTextEncode" -> texts.add(n);
                case "EmptyLatentImage", "EmptySD3LatentImage", "EmptyHunyuanLatentVideo" -> { if (latent == null) latent = n; }
                default -> { }
            }
        }
        if (sampler == null) throw ApiError.badRequest("the ComfyUI prompt has no KSampler node");
        if (modelNode == null) throw ApiError.badRequest("the ComfyUI prompt has no CheckpointLoaderSimple or UNETLoader node");
        JsonNode si = sampler.path("inputs");
        String positive = linkedText(g, si.get("positive"));
        String negative = linkedText(g, si.get("negative"));
        if (positive == null) {
            if (texts.isEmpty()) throw ApiError.badRequest("the ComfyUI prompt has no CLIPTextEncode node");
            positive = texts.get(0).path("inputs").path("text").asText();
            negative = texts.size() > 1 ? texts.get(1).path("inputs").path("text").asText() : null;
            report.put("prompts_matched_by", "node order (the KSampler's positive/negative are not wired)");
        } else {
            report.put("prompts_matched_by", "KSampler links");
        }
        JsonNode seedNode = si.has("seed") ? si.get("seed") : si.get("noise_seed");
        if (seedNode == null || !seedNode.isIntegralNumber()) throw ApiError.badRequest("the KSampler has no integer seed");
        // ComfyUI seeds are unsigned 64-bit (up to 2^64-1): stored as the same bits in a signed BIGINT, with the
        // unsigned decimal kept in additional_params.seed_u64 when it does not fit.
        java.math.BigInteger big = seedNode.bigIntegerValue();
        if (big.signum() < 0 || big.bitLength() > 64) throw ApiError.badRequest("the KSampler seed is outside 0..2^64-1: " + big);
        long seed = big.longValue();
        int steps = si.path("steps").asInt(0);
        double cfg = si.path("cfg").asDouble(Double.NaN);
        if (steps <= 0 || Double.isNaN(cfg)) throw ApiError.badRequest("the KSampler has no steps or cfg");
        int width = x.width(), height = x.height();
        if ((width <= 0 || height <= 0) && latent != null) {
            width = latent.path("inputs").path("width").asInt(0);
            height = latent.path("inputs").path("height").asInt(0);
        }
        if (width <= 0 || height <= 0) throw ApiError.badRequest("no resolution: neither the file nor an EmptyLatentImage node gives one");

        JsonNode mi = modelNode.path("inputs");
        String ckpt = mi.has("ckpt_name") ? mi.path("ckpt_name").asText() : mi.path("unet_name").asText();
        ArrayNode matches = report.putArray("asset_matches");
        Match model = match("model", ckpt, matches);
        List<ReceiptInputs.Lora> loras = new ArrayList<>();
        for (JsonNode ln : loraNodes) {
            String name = ln.path("inputs").path("lora_name").asText();
            double w = ln.path("inputs").path("strength_model").asDouble(1.0);
            Match m = match("lora", name, matches);
            loras.add(new ReceiptInputs.Lora(m.assetId(), m.name(), m.version(), m.hash(), w));
        }
        String workflowHash = x.workflow() == null ? null : sha256Text(canonicalJson(x.workflow()));
        ObjectNode params = Json.object();
        if (si.has("scheduler")) params.set("scheduler", si.get("scheduler"));
        if (si.has("denoise")) params.set("denoise", si.get("denoise"));
        if (big.bitLength() == 64) params.put("seed_u64", big.toString());
        return new ReceiptInputs(null, null, null, null, null, x.workflow() == null ? null : "comfyui-workflow", null, workflowHash,
                model.assetId(), model.name(), model.version(), model.hash(), loras, positive, negative, cfg,
                seed, width, height, steps, si.path("sampler_name").asText("unknown"), params);
    }

    private static long numericId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Follows a link {@code [nodeId, slot]} to a CLIPTextEncode's text (through up to 8 conditioning nodes). */
    private static String linkedText(JsonNode graph, JsonNode link) {
        for (int hop = 0; hop < 8 && link != null && link.isArray() && link.size() >= 1; hop++) {
            JsonNode node = graph.get(link.get(0).asText());
            if (node == null) return null;
            if (node.path("class_type").asText().startsWith("CLIPTextEncode")) return node.path("inputs").path("text").asText(null);
            JsonNode next = null;
            for (Iterator<JsonNode> it = node.path("inputs").elements(); it.hasNext(); ) {
                JsonNode v = it.next();
                if (v.isArray() && v.size() == 2) { next = v; break; }
            }
            link = next;
        }
        return null;
    }

    record Match(Long assetId, String name, String version, String hash) {
    }

    private Match match(String kind, String fileName, ArrayNode report) {
        String base = Path.of(fileName).getFileName().toString();
        String stem = base.contains(".") ? base.substring(0, base.lastIndexOf('.')) : base;
        List<ObjectNode> assets = new ArrayList<>();
        Long after = null;
        while (true) {
            var page = provenance.catalog().list(CatalogModel.ASSETS, Map.of("kind", kind), 500, after);
            assets.addAll(page.items());
            if (page.nextAfter() == null) break;
            after = page.nextAfter();
        }
        Optional<Path> file = findFile(fileName);
        String fileHash = file.map(ProvenanceImporter::sha256File).orElse(null);
        ObjectNode chosen = null;
        String how;
        ObjectNode exact = assets.stream().filter(a -> a.hasNonNull("file_path")
                && Path.of(a.get("file_path").asText()).getFileName().toString().equals(base)).findFirst().orElse(null);
        List<ObjectNode> chain = assets.stream().filter(a -> a.get("name").asText().equals(exact != null ? exact.get("name").asText() : stem)).toList();
        if (fileHash != null) {
            chosen = chain.stream().filter(a -> fileHash.equals(ProvenanceService.text(a, "checksum_sha256"))).findFirst().orElse(null);
        }
        if (chosen != null) how = "file hash";
        else if (exact != null) { chosen = exact; how = "file name"; }
        else {
            chosen = chain.stream().filter(a -> a.get("is_current_version").asBoolean()).findFirst().orElse(null);
            how = chosen == null ? "unmatched" : "asset name (current version assumed)";
        }
        ObjectNode m = report.addObject().put("kind", kind).put("file", fileName).put("matched_by", how);
        m.put("file_found", file.isPresent());
        if (chosen == null) {
            m.putNull("asset_id");
            return new Match(null, stem, null, fileHash);
        }
        m.put("asset_id", chosen.get("id").longValue()).put("version", chosen.get("version_label").asText());
        String hash = fileHash != null ? fileHash : ProvenanceService.text(chosen, "checksum_sha256");
        return new Match(chosen.get("id").longValue(), chosen.get("name").asText(), chosen.get("version_label").asText(), hash);
    }

    private Optional<Path> findFile(String name) {
        Path p = Path.of(name);
        List<Path> candidates = p.isAbsolute() ? List.of(p) : List.of(dataDir.resolve(p), dataDir.resolve("assets").resolve(p),
                dataDir.resolve("assets").resolve(p.getFileName()));
        return candidates.stream().filter(Files::isRegularFile).findFirst();
    }

    private Optional<Long> segmentFor(Path file) {
        String abs = file.toAbsolutePath().normalize().toString();
        String rel = relative(file);
        // Read-only lookup on the catalog's segments table (no catalog API finds a segment by output path).
        return provenance.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT id FROM segments WHERE output_video_path = :a OR output_video_path = :r ORDER BY id DESC LIMIT 1")
                .bind("a", abs).bind("r", rel).mapTo(Long.class).findOne());
    }

    private String relative(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(dataDir) ? dataDir.relativize(abs).toString() : abs.toString();
    }

    private static String canonicalJson(JsonNode n) {
        StringBuilder b = new StringBuilder();
        InputsHash.json(b, n);
        return b.toString();
    }

    static String sha256Text(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256File(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
