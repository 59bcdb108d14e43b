package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.footage.GenerationFacts;
import dev.reelmark.footage.comfy.ComfyGraph;
import dev.reelmark.footage.comfy.ComfyGraphException;
import dev.reelmark.footage.comfy.ComfyReading;
import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobService;
import dev.reelmark.media.MediaProbe;
import dev.reelmark.media.MediaRoots;
import dev.reelmark.media.ProbeResult;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Records receipts from real ComfyUI output: the API-format prompt and the workflow JSON that VideoHelperSuite writes
 * into a video's {@code comment} tag, or that ComfyUI writes into PNG text chunks {@code prompt}/{@code workflow}.
 * The graph is read by {@link ComfyGraph} (links followed from the samplers); the receipt keeps the raw graphs.
 *
 * <p>Files are confined to the media roots (real paths: symlinks resolved). The receipt goes to the segment whose
 * {@code output_video_path} is the file. A model or LoRA is matched to a catalog version by the SHA-256 of its file
 * when the file is found in the media roots ({@code <root>/<name>}, {@code <root>/assets/}, {@code <root>/models/<kind>/}),
 * otherwise by an asset whose {@code file_path} has the same file name. Anything else — a name that matches no
 * version, a file whose hash matches none — is recorded unverified (asset id null), which makes the segment stale
 * until resolved; a version is never assumed.
 */
public final class ProvenanceImporter {
    public static final String IMPORT_KIND = "provenance.import";
    /** Up to this many paths are imported inside the request; more run as a {@value #IMPORT_KIND} job. */
    public static final int SYNC_LIMIT = 5;
    public static final int MAX_PATHS = 10_000;

    private final ProvenanceService provenance;
    private final MediaRoots roots;
    private final Path dataDir;
    private final Supplier<MediaProbe> probe;
    private final JobService jobs;
    private CredentialEvidence credentials = CredentialEvidence.NONE;

    public ProvenanceImporter(ProvenanceService provenance, Path dataDir, Supplier<MediaProbe> probe) {
        this(provenance, MediaRoots.of(dataDir), probe, null);
    }

    public ProvenanceImporter(ProvenanceService provenance, MediaRoots roots, Supplier<MediaProbe> probe, JobService jobs) {
        this.provenance = provenance;
        this.roots = roots;
        this.dataDir = roots.roots().get(0);
        this.probe = probe;
        this.jobs = jobs;
    }

    /** Where C2PA manifests in imported videos are read (the credentials feature). */
    public ProvenanceImporter withCredentials(CredentialEvidence credentials) {
        this.credentials = credentials;
        return this;
    }

    // ------------------------------------------------------------------ paths

    /** Checks the list: 1..{@value #MAX_PATHS} paths, each a file inside the media roots; a 400 naming {@code paths[i]} otherwise. */
    public List<Path> resolveAll(List<String> paths) {
        if (paths == null || paths.isEmpty()) throw InvalidInput.field("paths", "at least one path is required");
        if (paths.size() > MAX_PATHS) throw InvalidInput.field("paths", "at most " + MAX_PATHS + " paths per import");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) files.add(resolve(paths.get(i), "paths[" + i + "]"));
        return files;
    }

    /** The real path of a file inside the media roots (relative paths are relative to the data directory). */
    public Path resolve(String raw, String field) {
        if (raw == null || raw.isBlank()) throw InvalidInput.field(field, "must be a file path");
        if (raw.indexOf('\0') >= 0) throw InvalidInput.field(field, "must not contain a NUL byte");
        Path p;
        try {
            p = Path.of(raw);
        } catch (InvalidPathException e) {
            throw InvalidInput.field(field, "is not a valid path: " + e.getReason());
        }
        if (!p.isAbsolute()) p = dataDir.resolve(p);
        Path real;
        try {
            real = p.toRealPath();
        } catch (NoSuchFileException e) {
            throw InvalidInput.field(field, "no such file: " + raw);
        } catch (IOException e) {
            throw InvalidInput.field(field, "cannot be read: " + raw + " (" + e.getMessage() + ")");
        }
        if (!insideRoots(real)) throw InvalidInput.field(field, "is outside the media roots: " + raw);
        if (!Files.isRegularFile(real)) throw InvalidInput.field(field, "is not a regular file: " + raw);
        return real;
    }

    private boolean insideRoots(Path real) {
        for (Path root : roots.roots()) {
            try {
                if (real.startsWith(root.toRealPath())) return true;
            } catch (IOException ignored) {
                // a root that does not exist holds nothing
            }
        }
        return false;
    }

    /** A file inside the media roots by one of the candidate relative names, or empty. */
    private Optional<Path> findInRoots(List<String> candidates) {
        for (Path root : roots.roots()) {
            for (String c : candidates) {
                try {
                    Path p = root.resolve(c).normalize();
                    if (!Files.isRegularFile(p)) continue;
                    Path real = p.toRealPath();
                    if (insideRoots(real)) return Optional.of(real);
                } catch (InvalidPathException | IOException ignored) {
                    // not a usable candidate
                }
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ entry points

    /**
     * The HTTP entry: up to {@value #SYNC_LIMIT} paths are imported at once (200 with one item per file); more are
     * submitted as a {@value #IMPORT_KIND} job (202). Bad paths are a 400 naming {@code paths[i]}, before anything runs.
     */
    public Submitted submit(List<String> paths) {
        List<Path> files = resolveAll(paths);
        if (files.size() <= SYNC_LIMIT || jobs == null) return new Submitted(false, importResolved(files));
        ObjectNode params = Json.object();
        ArrayNode arr = params.putArray("paths");
        paths.forEach(arr::add);
        Job job = jobs.submit(IMPORT_KIND, params);
        ObjectNode out = Json.object();
        out.set("job", Json.MAPPER.valueToTree(job));
        out.put("total", files.size());
        out.put("message", files.size() + " files queued for import; per-file results in the job's result");
        return new Submitted(true, out);
    }

    /** What {@link #submit} did: imported at once, or queued as a job. */
    public record Submitted(boolean queued, ObjectNode body) {
    }

    /** Imports every file now (the CLI, small requests); a bad path is a 400 naming {@code paths[i]} before anything is written. */
    public ObjectNode importPaths(List<String> paths) {
        return importResolved(resolveAll(paths));
    }

    private ObjectNode importResolved(List<Path> files) {
        Batch batch = new Batch();
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("items");
        int imported = 0;
        for (Path f : files) {
            ObjectNode r = importOne(f, batch);
            if ("imported".equals(r.get("status").asText())) imported++;
            items.add(r);
        }
        out.put("imported", imported).put("total", files.size());
        return out;
    }

    /** State shared by the files of one import: the catalog's assets by kind and the hashes of files already read. */
    final class Batch {
        private final Map<String, List<ObjectNode>> assets = new HashMap<>();
        private final Map<String, String> hashes = new HashMap<>();

        List<ObjectNode> assets(String kind) {
            return assets.computeIfAbsent(kind, k -> {
                List<ObjectNode> all = new ArrayList<>();
                Long after = null;
                while (true) {
                    var page = provenance.catalog().list(CatalogModel.ASSETS, Map.of("kind", k), 500, after);
                    all.addAll(page.items());
                    if (page.nextAfter() == null) return all;
                    after = page.nextAfter();
                }
            });
        }

        String sha256(Path real) {
            try {
                BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
                String key = real + "\u0000" + a.size() + "\u0000" + a.lastModifiedTime().toMillis();
                return hashes.computeIfAbsent(key, k -> sha256File(real));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    Batch newBatch() {
        return new Batch();
    }

    /** Imports one confined file; never throws: a failure is {@code status: error} with a message, and nothing is written. */
    ObjectNode importOne(Path file, Batch batch) {
        ObjectNode r = Json.object().put("path", relative(file));
        try {
            Optional<Long> segment = segmentFor(file);
            if (segment.isEmpty()) {
                return r.put("status", "error").put("message", "no segment has output_video_path " + relative(file));
            }
            r.put("segment_id", segment.get());
            CredentialEvidence.Evidence evidence = credentialEvidence(file, r);
            Extracted x = extract(file);
            Parsed parsed = parse(x, r, batch);
            String hash = parsed.inputs().inputsHash();
            if (evidence != null && evidence.inputsHash() != null) {
                // a Reelmark manifest vouches for a receipt: does the graph in the file make the same one?
                ((ObjectNode) r.get("content_credentials")).put("matches_import", evidence.inputsHash().equals(hash));
            }
            Optional<Object[]> latest = provenance.database().jdbi().withHandle(h -> h.createQuery(
                            "SELECT id, inputs_hash FROM generation_receipts WHERE segment_id = :s ORDER BY id DESC LIMIT 1")
                    .bind("s", segment.get()).map((rs, ctx) -> new Object[]{rs.getLong(1), rs.getString(2)}).findOne());
            if (latest.isPresent() && hash.equals(latest.get()[1])) {
                return r.put("status", "unchanged").put("receipt_id", (Long) latest.get()[0]).put("inputs_hash", hash);
            }
            Instant started = Files.getLastModifiedTime(file).toInstant();
            long id = provenance.record(segment.get(), parsed.inputs(), started, null, null, "import:" + x.format(),
                    new ProvenanceService.ComfyGraphs(parsed.reading().format(), parsed.reading().prompt(), parsed.reading().workflow()));
            return r.put("status", "imported").put("receipt_id", id).put("inputs_hash", hash);
        } catch (DomainException e) {
            return r.put("status", "error").put("message", e.getMessage());
        } catch (ComfyGraphException e) {
            return r.put("status", "error").put("message", e.getMessage());
        } catch (IOException e) {
            return r.put("status", "error").put("message", "cannot read the file: " + e.getMessage());
        } catch (RuntimeException e) {
            return r.put("status", "error").put("message", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Records the file's C2PA manifest (if it is an MP4/MOV) in the result as {@code content_credentials}; a manifest
     * that cannot be read is noted there and does not stop the import.
     */
    private CredentialEvidence.Evidence credentialEvidence(Path file, ObjectNode r) {
        try {
            Optional<CredentialEvidence.Evidence> e = credentials.read(file);
            e.ifPresent(ev -> r.set("content_credentials", ev.toJson()));
            return e.orElse(null);
        } catch (RuntimeException e) {
            r.putObject("content_credentials").put("error", "cannot read the C2PA manifest: " + e.getMessage());
            return null;
        }
    }

    record Extracted(String format, ComfyReading reading, int width, int height) {
    }

    Extracted extract(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(8);
        }
        if (PngText.isPng(head)) {
            PngText.Result png;
            try (InputStream in = Files.newInputStream(file)) {
                png = PngText.read(in, ComfyGraph.MAX_COMMENT_CHARS);
            }
            String prompt = png.text().get("prompt");
            String wf = png.text().get("workflow");
            if (prompt == null && wf == null) throw InvalidInput.request("the PNG has no 'prompt' or 'workflow' text chunk (not a ComfyUI image)");
            return new Extracted("comfyui-png", ComfyGraph.readTexts(prompt, wf), png.width(), png.height());
        }
        ProbeResult p = probe.get().probe(file);
        String comment = p.comment().orElseThrow(() -> InvalidInput.request("the video has no comment tag with ComfyUI metadata"));
        return new Extracted("comfyui-video-comment", ComfyGraph.readComment(comment), p.width(), p.height());
    }

    record Parsed(ReceiptInputs inputs, ComfyReading reading) {
    }

    Parsed parse(Extracted x, ObjectNode report, Batch batch) {
        ComfyReading reading = x.reading();
        GenerationFacts f = reading.facts();
        if (!reading.warnings().isEmpty()) {
            ArrayNode w = report.putArray("warnings");
            reading.warnings().forEach(w::add);
        }
        report.put("graph", reading.format());
        if (f.prompt() == null) throw InvalidInput.request("the graph's sampler has no positive prompt text");
        if (f.models().isEmpty()) throw InvalidInput.request("the graph has no model loader on its samplers' model input");
        BigInteger big = f.seed();
        if (big == null) throw InvalidInput.request("the graph's sampler has no seed in 0..18446744073709551615");
        // ComfyUI seeds are unsigned 64-bit: stored as the same bits in a signed BIGINT, with the unsigned decimal
        // kept in additional_params.seed_u64 when it does not fit
        long seed = big.longValue();
        if (f.steps() == null || f.steps() <= 0 || f.steps() > 10_000) throw InvalidInput.request("the graph's sampler has no steps in 1..10000");
        if (f.cfg() == null || !Double.isFinite(f.cfg())) throw InvalidInput.request("the graph's sampler has no cfg");
        int width = x.width(), height = x.height();
        if ((width <= 0 || height <= 0) && f.width() != null && f.height() != null) {
            width = f.width();
            height = f.height();
        }
        if (width <= 0 || height <= 0) throw InvalidInput.request("no resolution: neither the file nor a latent node gives one");

        ArrayNode matches = report.putArray("asset_matches");
        List<ReceiptInputs.Model> models = new ArrayList<>();
        for (GenerationFacts.Model m : f.models()) {
            Match mm = match("model", m.asset().name(), matches, batch);
            models.add(new ReceiptInputs.Model(m.role(), mm.assetId(), mm.name(), mm.version(), mm.hash()));
        }
        ReceiptInputs.Model primary = models.get(0);
        List<ReceiptInputs.Lora> loras = new ArrayList<>();
        for (GenerationFacts.Lora l : f.loras()) {
            if (loras.size() == ProvenanceService.MAX_LORAS) throw InvalidInput.request("the graph uses more than " + ProvenanceService.MAX_LORAS + " LoRAs");
            if (Math.abs(l.strengthModel()) > ProvenanceService.LORA_WEIGHT_LIMIT
                    || l.strengthClip() != null && Math.abs(l.strengthClip()) > ProvenanceService.LORA_WEIGHT_LIMIT) {
                throw InvalidInput.request("LoRA " + l.asset().name() + " has a strength outside -10..10");
            }
            Match m = match("lora", l.asset().name(), matches, batch);
            loras.add(new ReceiptInputs.Lora(m.assetId(), m.name(), m.version(), m.hash(), l.strengthModel(), l.strengthClip()));
        }
        List<ReceiptInputs.SourceFile> files = new ArrayList<>();
        Long sourceImageId = null;
        String sourceImageHash = null;
        for (GenerationFacts.SourceImage si : f.sourceImages()) {
            String base = baseName(si.name());
            Optional<Path> found = findInRoots(List.of(si.name(), "input/" + si.name(), "images/" + si.name(), "input/" + base));
            String sha = found.map(batch::sha256).orElse(null);
            Long imageId = sha == null ? null : imageWithHash(sha);
            if (sourceImageId == null && imageId != null) {
                sourceImageId = imageId;
                sourceImageHash = sha;
            }
            files.add(new ReceiptInputs.SourceFile(si.role(), si.name(), found.map(this::relative).orElse(null), sha, imageId));
        }
        JsonNode wfNode = reading.workflow();
        String workflowHash = wfNode == null ? null : sha256Text(canonicalJson(wfNode));
        ObjectNode params = Json.object();
        if (f.scheduler() != null) params.put("scheduler", f.scheduler());
        if (reading.denoise() != null) params.put("denoise", reading.denoise());
        if (reading.guidance() != null) params.put("guidance", reading.guidance());
        if (f.frameCount() != null) params.put("frames", f.frameCount());
        if (big.bitLength() == 64) params.put("seed_u64", big.toString());
        if (reading.samplers().size() > 1) {
            ArrayNode steps = params.putArray("samplers");
            for (ComfyReading.SamplerStep s : reading.samplers()) {
                ObjectNode n = steps.addObject().put("node", s.nodeId()).put("type", s.type()).put("role", s.role()).put("model", s.model());
                if (s.startAtStep() != null) n.put("start_at_step", s.startAtStep());
                if (s.endAtStep() != null) n.put("end_at_step", s.endAtStep());
                if (s.cfg() != null) n.put("cfg", s.cfg());
            }
        }
        params.put("model_count", models.size());
        if (!files.isEmpty()) params.put("source_image_count", files.size());
        if (reading.prompt() != null) params.put("prompt_graph_sha256", sha256Text(canonicalJson(reading.prompt())));
        params.put("comfy_format", reading.format());
        ReceiptInputs in = new ReceiptInputs(sourceImageId, sourceImageHash, null, null, null,
                wfNode == null ? null : "comfyui-workflow", null, workflowHash,
                primary.assetId(), primary.name(), primary.version(), primary.hash(), loras, f.prompt(), f.negativePrompt(),
                f.cfg(), seed, width, height, f.steps(), f.sampler() == null ? "unknown" : f.sampler(), params, models, files);
        return new Parsed(in, reading);
    }

    record Match(Long assetId, String name, String version, String hash) {
    }

    private static String baseName(String name) {
        String n = name.replace('\\', '/');
        return n.substring(n.lastIndexOf('/') + 1);
    }

    private static final Map<String, List<String>> MODEL_DIRS = Map.of(
            "model", List.of("models/checkpoints/", "models/diffusion_models/", "models/unet/"),
            "lora", List.of("models/loras/"));

    /** The catalog version a model/LoRA file name refers to; unverified (asset id null) when none can be shown to match. */
    private Match match(String kind, String fileName, ArrayNode report, Batch batch) {
        String base = baseName(fileName);
        String stem = base.contains(".") ? base.substring(0, base.lastIndexOf('.')) : base;
        List<String> candidates = new ArrayList<>(List.of(fileName.replace('\\', '/'), "assets/" + base));
        for (String d : MODEL_DIRS.get(kind)) candidates.add(d + fileName.replace('\\', '/'));
        Optional<Path> file = findInRoots(candidates);
        String fileHash = file.map(batch::sha256).orElse(null);
        List<ObjectNode> assets = batch.assets(kind);
        ObjectNode exact = assets.stream().filter(a -> a.hasNonNull("file_path")
                && baseName(a.get("file_path").asText()).equals(base)).findFirst().orElse(null);
        ObjectNode chosen = null;
        String how;
        if (fileHash != null) {
            chosen = assets.stream().filter(a -> fileHash.equals(ProvenanceService.text(a, "checksum_sha256"))).findFirst().orElse(null);
            how = chosen != null ? "file hash" : "unverified: the file's SHA-256 matches no catalog version";
        } else if (exact != null) {
            chosen = exact;
            how = "file name (the file was not found to hash)";
        } else {
            how = "unverified: no catalog version has this file name, and the file was not found in the media roots";
        }
        ObjectNode m = report.addObject().put("kind", kind).put("file", fileName).put("matched_by", how);
        m.put("file_found", file.isPresent()).put("verified", chosen != null);
        if (chosen == null) {
            m.putNull("asset_id");
            return new Match(null, fileName, null, fileHash);
        }
        m.put("asset_id", chosen.get("id").longValue()).put("version", chosen.get("version_label").asText());
        String hash = fileHash != null ? fileHash : ProvenanceService.text(chosen, "checksum_sha256");
        return new Match(chosen.get("id").longValue(), chosen.get("name").asText(), chosen.get("version_label").asText(), hash);
    }

    private Long imageWithHash(String sha) {
        // Read-only lookup on the catalog's images (no catalog API finds an image by content hash).
        return provenance.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT id FROM images WHERE content_hash = :h ORDER BY is_current_version DESC, id DESC LIMIT 1")
                .bind("h", sha).mapTo(Long.class).findOne().orElse(null));
    }

    private Optional<Long> segmentFor(Path real) {
        List<String> names = new ArrayList<>(List.of(real.toString(), relative(real)));
        Path normalized = real.toAbsolutePath().normalize();
        for (Path root : roots.roots()) {
            try {
                Path rr = root.toRealPath();
                if (real.startsWith(rr)) {
                    names.add(rr.relativize(real).toString());
                    names.add(root.resolve(rr.relativize(real)).toString());
                }
            } catch (IOException ignored) {
                // a missing root holds nothing
            }
        }
        names.add(normalized.toString());
        // Read-only lookup on the catalog's segments table (no catalog API finds a segment by output path).
        return provenance.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT id FROM segments WHERE output_video_path IN (<names>) ORDER BY id DESC LIMIT 1")
                .bindList("names", names.stream().distinct().toList()).mapTo(Long.class).findOne());
    }

    private String relative(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        try {
            Path rr = dataDir.toRealPath();
            if (abs.startsWith(rr)) return rr.relativize(abs).toString();
        } catch (IOException ignored) {
            // fall through
        }
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
