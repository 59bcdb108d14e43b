package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.Conflict;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.JobContext;
import dev.reelmark.jobs.JobHandler;
import dev.reelmark.jobs.JobInterruptedException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code sidecar.export}: writes the sidecars of a project (or one character) for the chosen templates into
 * {@code <data>/exports/sidecars/job-<id>/} and a ZIP of it ({@code sidecars-job-<id>.zip}, with the videos at their
 * packaged paths when {@code include_media}: the delivery package). Files reference the videos relative to the
 * package root unless {@code server_paths}; with {@code content_credentials} the packaged videos are C2PA-signed copies; frame metrics past a video's end are the result's {@code warnings}. Progress counts videos; a checkpoint at most
 * every 250 ms lets pause, cancel and resume after a restart continue from the last video written (the folder is
 * built as {@code .job-<id>.partial} and renamed when complete).
 */
public final class SidecarExportJob implements JobHandler {
    public static final String KIND = "sidecar.export";
    static final Set<String> PARAMS = Set.of("project_id", "character_id", "template_ids", "include_media", "server_paths",
            "content_credentials");
    private static final long CHECKPOINT_NANOS = 250_000_000L;

    private final SidecarService sidecars;
    private final CatalogService catalog;
    private final SidecarExporter exporter;
    private final Path exportsDir;
    private ClipCredentials credentials = ClipCredentials.NONE;
    /** Whether a job id names a job that will never run again (finished, cancelled, failed or gone). */
    private volatile java.util.function.LongPredicate finished = id -> false;

    public SidecarExportJob(SidecarService sidecars, CatalogService catalog, SidecarExporter exporter, Path dataDir) {
        this.sidecars = sidecars;
        this.catalog = catalog;
        this.exporter = exporter;
        this.exportsDir = dataDir.resolve("exports").resolve("sidecars");
    }

    /** Where signed clips come from when an export asks for content credentials. */
    public SidecarExportJob withCredentials(ClipCredentials credentials) {
        this.credentials = credentials;
        return this;
    }

    @Override
    public String kind() {
        return KIND;
    }

    public Path exportsDir() {
        return exportsDir;
    }

    @Override
    public void validate(JsonNode params) {
        for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!PARAMS.contains(f)) throw InvalidInput.field(f, "is not a parameter of a sidecar export (allowed: "
                    + String.join(", ", PARAMS.stream().sorted().toList()) + ")");
        }
        long project = positive(params, "project_id", true);
        catalog.reads().requireProject(project);
        if (params.has("character_id") && !params.get("character_id").isNull()) {
            long character = positive(params, "character_id", true);
            var c = catalog.reads().character(character)
                    .orElseThrow(() -> InvalidInput.field("character_id", "no character with id " + character));
            if (c.projectId() != project) throw InvalidInput.field("character_id", "character " + character + " belongs to another project");
        }
        JsonNode ids = params.get("template_ids");
        if (ids == null || !ids.isArray() || ids.isEmpty()) throw InvalidInput.field("template_ids", "must be a non-empty array of sidecar template ids");
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            String at = "template_ids[" + i + "]";
            if (!id.isIntegralNumber() || id.longValue() <= 0) throw InvalidInput.field(at, "must be a positive integer");
            try {
                sidecars.get(id.longValue());
            } catch (DomainException e) {
                throw InvalidInput.field(at, "no sidecar template with id " + id.longValue());
            }
        }
        if (params.has("include_media") && !params.get("include_media").isBoolean()) throw InvalidInput.field("include_media", "must be true or false");
        if (params.has("server_paths") && !params.get("server_paths").isBoolean()) throw InvalidInput.field("server_paths", "must be true or false");
        if (params.has("content_credentials")) {
            if (!params.get("content_credentials").isBoolean()) throw InvalidInput.field("content_credentials", "must be true or false");
            if (params.get("content_credentials").booleanValue() && !params.path("include_media").asBoolean(false)) {
                throw InvalidInput.field("content_credentials", "signs the packaged videos: it needs \"include_media\": true");
            }
        }
    }

    private static long positive(JsonNode params, String field, boolean required) {
        JsonNode n = params.get(field);
        if (n == null || n.isNull()) {
            if (required) throw InvalidInput.field(field, "is required");
            return 0;
        }
        if (!n.isIntegralNumber() || n.longValue() <= 0) throw InvalidInput.field(field, "must be a positive integer");
        return n.longValue();
    }

    /**
     * Removes the {@code .job-<id>.partial} folders of jobs that will never continue (a job cancelled while paused
     * or queued, a process that died): called at startup and before each export. Folders of jobs that may still
     * resume are kept.
     */
    public void removeLeftovers(java.util.function.LongPredicate finished) throws IOException {
        this.finished = finished;
        if (!Files.isDirectory(exportsDir)) return;
        try (Stream<Path> list = Files.list(exportsDir)) {
            for (Path p : list.toList()) {
                var m = java.util.regex.Pattern.compile("\\.job-(\\d{1,18})\\.(partial|signed)").matcher(p.getFileName().toString());
                if (m.matches() && finished.test(Long.parseLong(m.group(1)))) deleteTree(p);
            }
        }
    }

    /** The finished export's directory and ZIP for a job id. */
    public Path directoryOf(long jobId) {
        return exportsDir.resolve("job-" + jobId);
    }

    public Path zipOf(long jobId) {
        return exportsDir.resolve("sidecars-job-" + jobId + ".zip");
    }

    @Override
    public void run(JobContext ctx) throws IOException {
        JsonNode p = ctx.params();
        long project = p.get("project_id").longValue();
        Long character = p.hasNonNull("character_id") ? p.get("character_id").longValue() : null;
        List<SidecarTemplate> templates = new ArrayList<>();
        for (JsonNode id : p.get("template_ids")) templates.add(sidecars.get(id.longValue()));
        boolean includeMedia = p.path("include_media").asBoolean(false);
        boolean serverPaths = p.path("server_paths").asBoolean(false);
        boolean signed = includeMedia && p.path("content_credentials").asBoolean(false);

        var scope = sidecars.facts().scope(project, character);
        ctx.total(scope.size());
        Path partial = exportsDir.resolve(".job-" + ctx.jobId() + ".partial");
        int start = ctx.resumed() ? ctx.state().path("next").asInt(0) : 0;
        removeLeftovers(finished);
        if (start == 0) deleteTree(partial);
        Files.createDirectories(partial);
        try {
            export(ctx, project, character, templates, includeMedia, serverPaths, signed, scope, partial, start);
        } catch (JobInterruptedException e) {
            // a paused (or shut-down) export continues from its folder; a cancelled one never will
            if (e.reason() == JobInterruptedException.Reason.CANCELLED) deleteTree(partial);
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            deleteTree(partial);
            throw e;
        }
    }

    private void export(JobContext ctx, long project, Long character, List<SidecarTemplate> templates, boolean includeMedia, boolean serverPaths,
                        boolean contentCredentials,
                        List<dev.reelmark.catalog.SegmentContext> scope, Path partial, int start) throws IOException {
        ArrayNode failures = ctx.state().has("failures") ? (ArrayNode) ctx.state().get("failures").deepCopy() : Json.MAPPER.createArrayNode();
        ArrayNode warnings = ctx.state().has("warnings") ? (ArrayNode) ctx.state().get("warnings").deepCopy() : Json.MAPPER.createArrayNode();
        long[] last = {System.nanoTime()};
        long t0 = System.nanoTime();
        SidecarExporter.Result r = exporter.export(scope, templates, partial, start, failures, warnings,
                new SidecarExporter.Options(serverPaths, 0), (done, clip, f, flush) -> {
            ctx.progress(done, "segment " + clip.segmentId() + " (" + clip.fileName() + ")");
            if (System.nanoTime() - last[0] >= CHECKPOINT_NANOS) {
                flush.run(); // everything up to `done` is on disk before the checkpoint says so
                last[0] = System.nanoTime();
                ObjectNode state = Json.object().put("next", done);
                state.set("failures", f);
                state.set("warnings", warnings);
                ctx.checkpoint(state);
            }
        });
        double sidecarSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        java.util.Map<String, Path> media = includeMedia ? SidecarExporter.mediaFiles(r.clips(), r.layout()) : java.util.Map.of();
        Path signedDir = exportsDir.resolve(".job-" + ctx.jobId() + ".signed");
        Path finalDir = directoryOf(ctx.jobId());
        long zipSize;
        try {
            if (contentCredentials) media = signed(r, media, signedDir);
            deleteTree(finalDir);
            Files.move(partial, finalDir, StandardCopyOption.ATOMIC_MOVE);
            zipSize = exporter.zip(finalDir, zipOf(ctx.jobId()), media);
        } finally {
            deleteTree(signedDir);
        }
        ObjectNode result = r.toJson();
        result.putObject("seconds").put("sidecars", Math.round(sidecarSeconds * 1000) / 1000.0)
                .put("zip", Math.round((System.nanoTime() - t1) / 1e6) / 1000.0);
        result.put("project_id", project);
        if (character != null) result.put("character_id", character);
        result.put("directory", finalDir.toString()).put("zip", zipOf(ctx.jobId()).toString()).put("zip_size_bytes", zipSize)
                .put("include_media", includeMedia).put("server_paths", serverPaths).put("content_credentials", contentCredentials).put("download", "/api/sidecar-exports/" + ctx.jobId() + "/download");
        ctx.progress(scope.size(), null);
        ctx.result(result);
    }

    /**
     * The packaged videos replaced by signed copies. Every clip is signed before the package is written; when one
     * cannot be (no receipt, neither MP4/MOV nor Matroska/WebM, changed since its receipt) the export fails naming each such clip, since the
     * sidecars reference every video and a package half-signed would vouch for less than it says.
     */
    private java.util.Map<String, Path> signed(SidecarExporter.Result r, java.util.Map<String, Path> media, Path signedDir) throws IOException {
        deleteTree(signedDir);
        Files.createDirectories(signedDir);
        java.util.Map<Path, Long> segments = new java.util.HashMap<>();
        for (Clip c : r.clips()) if (c.file() != null) segments.putIfAbsent(c.file(), c.segmentId());
        java.util.Map<String, Path> out = new java.util.LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        int n = 0;
        for (var e : media.entrySet()) {
            long segment = segments.get(e.getValue());
            String name = e.getValue().getFileName().toString();
            Path copy = signedDir.resolve((n++) + name.substring(Math.max(0, name.lastIndexOf('.'))));
            try {
                Path store = credentials.signedClip(segment, copy);
                out.put(e.getKey(), copy);
                // a Matroska/WebM clip's manifest store goes beside it in the package, named like it + .c2pa
                if (store != null) out.put(e.getKey() + ".c2pa", store);
            } catch (DomainException | IllegalStateException | java.io.UncheckedIOException x) {
                problems.add(e.getKey() + " (segment " + segment + "): " + x.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw Conflict.of("content_credentials", "cannot sign every packaged clip: " + String.join("; ", problems));
        }
        return out;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
