package dev.reelmark.metadata;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.http.ApiError;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Metadata in delivery packages: {@link #check} says which characters miss metadata or have stale files, and
 * {@link #deliver} refuses (422 {@code metadata_not_ready}, listing them) or writes
 * {@code {character}/metadata.json} and {@code {character}/scenes/{scene}/video_metadata.json} into a new folder or
 * ZIP. Folder and entry names come from {@link SafeNames#assign}: distinct, one path element each. The package is
 * built beside its target (a hidden temp folder or file) and renamed into place, so a failure leaves nothing.
 */
public final class MetadataDelivery {
    public enum Format { FOLDER, ZIP;

        public static Format parse(String raw) {
            if (raw == null || raw.isBlank()) return FOLDER;
            return switch (raw.trim().toLowerCase()) {
                case "folder" -> FOLDER;
                case "zip" -> ZIP;
                default -> throw ApiError.badField("format", "must be folder or zip, got '" + raw + "'");
            };
        }
    }

    public record CharacterCheck(@JsonProperty("character_id") long characterId,
                                 @JsonProperty("character_name") String characterName,
                                 @JsonProperty("has_character_metadata") boolean hasCharacterMetadata,
                                 @JsonProperty("has_video_metadata") boolean hasVideoMetadata,
                                 @JsonProperty("is_stale") boolean isStale,
                                 @JsonProperty("problems") List<String> problems) {
        public boolean ready() {
            return problems.isEmpty();
        }
    }

    public record DeliveryCheck(@JsonProperty("project_id") long projectId, @JsonProperty("ready") boolean ready,
                                @JsonProperty("characters") List<CharacterCheck> characters) {
        public List<CharacterCheck> blocking() {
            return characters.stream().filter(c -> !c.ready()).toList();
        }
    }

    public record DeliveryResult(@JsonProperty("project_id") long projectId, @JsonProperty("format") String format,
                                 @JsonProperty("path") String path, @JsonProperty("files") List<String> files,
                                 @JsonProperty("bytes") long bytes, @JsonProperty("download") String download) {
        DeliveryResult(long projectId, String format, Path out, List<String> files, long bytes) {
            this(projectId, format, out.toString(), files, bytes, "/api/projects/" + projectId + "/metadata/deliveries/"
                    + java.net.URLEncoder.encode(out.getFileName().toString(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        }
    }

    /** A delivery package to download: a ZIP file, or a folder that is sent as a ZIP. */
    public record Package(Path path, boolean folder) {
    }

    /**
     * The delivery package {@code name} of the project: a direct child of {@code <data>/deliveries} whose name the
     * project's deliveries start with, resolved to its real path (a link out of the folder is not followed).
     */
    public Package find(long projectId, String name) {
        var project = catalog.reads().requireProject(projectId);
        String prefix = SafeNames.withId(project.name(), projectId) + "-metadata-";
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")
                || !name.startsWith(prefix)) {
            throw new ApiError(404, "not_found", "name", "project " + projectId + " has no delivery named '" + name + "'");
        }
        Path root = dataDir.resolve("deliveries");
        try {
            Path realRoot = root.toRealPath();
            Path real = root.resolve(name).toRealPath();
            if (!real.getParent().equals(realRoot)) throw new java.nio.file.NoSuchFileException(name);
            if (Files.isDirectory(real)) return new Package(real, true);
            if (Files.isRegularFile(real) && name.endsWith(".zip")) return new Package(real, false);
        } catch (IOException e) {
            // missing, or a link that leaves the deliveries folder: the same answer
        }
        throw new ApiError(404, "not_found", "name", "project " + projectId + " has no delivery named '" + name + "'");
    }

    /** Streams a delivery folder as a ZIP, entries in name order (the same layout as a ZIP delivery). */
    public static void zipFolder(Path folder, OutputStream out) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).filter(p -> !Files.isSymbolicLink(p)).sorted().toList();
        }
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Path f : files) {
            zip.putNextEntry(new ZipEntry(folder.relativize(f).toString().replace('\\', '/')));
            Files.copy(f, zip);
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    /** 422 listing exactly the characters that block delivery. */
    public static final class NotReady extends ApiError {
        private final List<CharacterCheck> blocking;

        NotReady(long projectId, List<CharacterCheck> blocking) {
            super(422, "metadata_not_ready", null, "project " + projectId + " cannot be delivered: "
                    + blocking.size() + " character(s) miss metadata or have stale files: "
                    + String.join("; ", blocking.stream().map(c -> c.characterName() + " (" + c.characterId() + "): "
                    + String.join(", ", c.problems())).toList()));
            this.blocking = blocking;
        }

        public List<CharacterCheck> blocking() {
            return blocking;
        }
    }

    private final MetadataService metadata;
    private final CatalogService catalog;
    private final Path dataDir;

    private DeliverySidecars sidecars = DeliverySidecars.NONE;

    /** Lets deliveries include VFX sidecars (wired by the composition root). */
    public MetadataDelivery withSidecars(DeliverySidecars sidecars) {
        this.sidecars = sidecars;
        return this;
    }

    public MetadataDelivery(MetadataService metadata, CatalogService catalog, Path dataDir) {
        this.metadata = metadata;
        this.catalog = catalog;
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** Per character: is its metadata there, and current? 404 for an unknown project. */
    public DeliveryCheck check(long projectId) {
        List<MetadataService.Staleness> all = metadata.checkProject(projectId); // characters, each followed by its scenes
        List<CharacterCheck> checks = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            MetadataService.Staleness character = all.get(i);
            if (!character.entityType().equals(MetadataService.CHARACTER)) continue;
            List<MetadataService.Staleness> own = new ArrayList<>(List.of(character));
            for (int j = i + 1; j < all.size() && all.get(j).entityType().equals(MetadataService.SCENE); j++) own.add(all.get(j));
            boolean hasCharacter = !missing(character);
            boolean hasVideo = own.stream().skip(1).noneMatch(MetadataDelivery::missing);
            boolean stale = own.stream().anyMatch(s -> s.reasons().contains(MetadataService.SOURCE_CHANGED)
                    || s.reasons().contains(MetadataService.FILE_MODIFIED) || s.reasons().contains(MetadataService.SCHEMA_CHANGED)
                    || s.reasons().contains(MetadataService.MEDIA_CHANGED) || s.reasons().contains(MetadataService.MEDIA_MISSING)
                    || s.reasons().contains(MetadataService.MEDIA_UNRECORDED));
            List<String> problems = new ArrayList<>();
            for (MetadataService.Staleness s : own) {
                // "<file> [— <media files that changed>]: <reason codes>": the reason codes stay last
                if (s.stale()) problems.add(s.fileType() + (s.entityType().equals(MetadataService.SCENE)
                        ? " of scene " + s.entityId() + " '" + s.name() + "'" : "")
                        + (s.media().isEmpty() ? "" : " — " + s.media().stream().map(MetadataService.MediaProblem::message)
                        .collect(java.util.stream.Collectors.joining("; ")))
                        + ": " + String.join(", ", s.reasons()));
            }
            checks.add(new CharacterCheck(character.entityId(), character.name(), hasCharacter, hasVideo, stale, problems));
        }
        return new DeliveryCheck(projectId, checks.stream().allMatch(CharacterCheck::ready), checks);
    }

    private static boolean missing(MetadataService.Staleness s) {
        return s.reasons().contains(MetadataService.NOT_GENERATED) || s.reasons().contains(MetadataService.FILE_MISSING);
    }

    /** Throws {@link NotReady} (422) unless every character's metadata is present and current. */
    public DeliveryCheck requireReady(long projectId) {
        metadata.requireCharacters(projectId);
        DeliveryCheck check = check(projectId);
        if (!check.ready()) throw new NotReady(projectId, check.blocking());
        return check;
    }

    /** The default target: {@code <data>/deliveries/<project>-<id>-metadata-<UTC time>[.zip]}. */
    public Path defaultTarget(long projectId, Format format) {
        var project = catalog.reads().requireProject(projectId);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC).format(java.time.Instant.now());
        String name = SafeNames.withId(project.name(), projectId) + "-metadata-" + stamp;
        return dataDir.resolve("deliveries").resolve(format == Format.ZIP ? name + ".zip" : name);
    }

    /**
     * Collects the project's metadata into {@code target} (a folder or a .zip that must not exist yet; null for
     * {@link #defaultTarget}). Blocks with {@link NotReady} when metadata is missing or stale.
     */
    public DeliveryResult deliver(long projectId, Format format, Path target) {
        return deliver(projectId, format, target, List.of());
    }

    /**
     * Packages the metadata and, for each of {@code sidecarTemplateIds}, the sidecars of the project's videos under
     * {@code sidecars/} (as the sidecar export lays them out). Sidecars are rendered into a scratch folder first, so
     * a bad template id or an unreadable video leaves no package behind.
     */
    public DeliveryResult deliver(long projectId, Format format, Path target, List<Long> sidecarTemplateIds) {
        requireReady(projectId);
        Path out = (target == null ? defaultTarget(projectId, format) : target).toAbsolutePath().normalize();
        if (Files.exists(out)) throw ApiError.conflict("output", "the delivery target already exists: " + out);
        List<Entry> entries = new ArrayList<>(entries(projectId));
        Path scratch = null;
        try {
            if (!sidecarTemplateIds.isEmpty()) {
                try {
                    Files.createDirectories(out.getParent());
                    scratch = Files.createTempDirectory(out.getParent(), ".sidecars-");
                } catch (IOException e) {
                    throw MetadataService.notWritable(out, e);
                }
                for (DeliverySidecars.File f : sidecars.write(projectId, sidecarTemplateIds, scratch)) {
                    String name = "sidecars/" + f.name().replace('\\', '/');
                    if (name.contains("/../") || name.endsWith("/..") || f.name().startsWith("/")) {
                        throw new IllegalStateException("sidecar escapes the package: " + f.name());
                    }
                    entries.add(new Entry(name, f.source(), null));
                }
            }
            return format == Format.ZIP ? writeZip(projectId, out, entries) : writeFolder(projectId, out, entries);
        } finally {
            if (scratch != null) deleteTree(scratch);
        }
    }


    /** One file of the package: where it goes (relative, '/'-separated) and the recorded file and hash. */
    record Entry(String name, Path source, String hash) {
    }

    List<Entry> entries(long projectId) {
        Map<Long, String> characters = new LinkedHashMap<>();
        // work items come as each character followed by its scenes
        Map<Long, Map<Long, String>> scenesOf = new LinkedHashMap<>();
        Long current = null;
        for (MetadataService.WorkItem item : metadata.workItems(projectId)) {
            if (item.entityType().equals(MetadataService.CHARACTER)) {
                current = item.entityId();
                characters.put(current, item.name());
                scenesOf.put(current, new LinkedHashMap<>());
            } else {
                scenesOf.get(current).put(item.entityId(), item.name());
            }
        }
        List<Entry> entries = new ArrayList<>();
        Map<Long, String> folders = SafeNames.assign(characters);
        for (var c : folders.entrySet()) {
            MetadataGeneration g = metadata.generation(MetadataService.CHARACTER, c.getKey()).orElseThrow();
            entries.add(new Entry(c.getValue() + "/metadata.json", metadata.resolve(g.filePath()), g.fileHash()));
            Map<Long, String> sceneNames = scenesOf.get(c.getKey());
            for (var s : SafeNames.assign(sceneNames).entrySet()) {
                MetadataGeneration sg = metadata.generation(MetadataService.SCENE, s.getKey()).orElseThrow();
                entries.add(new Entry(c.getValue() + "/scenes/" + s.getValue() + "/video_metadata.json",
                        metadata.resolve(sg.filePath()), sg.fileHash()));
            }
        }
        return entries;
    }

    private DeliveryResult writeFolder(long projectId, Path out, List<Entry> entries) {
        Path staging;
        try {
            Files.createDirectories(out.getParent());
            staging = Files.createTempDirectory(out.getParent(), "." + out.getFileName() + ".part-");
        } catch (IOException | UncheckedIOException e) {
            throw MetadataService.notWritable(out, e);
        }
        long bytes = 0;
        try {
            for (Entry e : entries) {
                Path dest = staging.resolve(e.name()).normalize();
                if (!dest.startsWith(staging)) throw new IllegalStateException("entry escapes the package: " + e.name());
                Files.createDirectories(dest.getParent());
                try (InputStream in = Files.newInputStream(e.source()); OutputStream os = Files.newOutputStream(dest)) {
                    bytes += copyVerified(e, in, os);
                }
            }
            try {
                Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException ex) {
                Files.move(staging, out);
            }
        } catch (FileAlreadyExistsException ex) {
            deleteTree(staging);
            throw ApiError.conflict("output", "the delivery target already exists: " + out);
        } catch (IOException | RuntimeException ex) {
            deleteTree(staging);
            if (ex instanceof ApiError api) throw api;
            throw MetadataService.notWritable(out, ex instanceof IOException io ? io : new IOException(ex));
        }
        return new DeliveryResult(projectId, "folder", out, entries.stream().map(Entry::name).toList(), bytes);
    }

    private DeliveryResult writeZip(long projectId, Path out, List<Entry> entries) {
        long bytes = 0;
        dev.reelmark.media.AtomicOutput output;
        try {
            output = dev.reelmark.media.AtomicOutput.create(out);
        } catch (UncheckedIOException e) {
            throw MetadataService.notWritable(out, e);
        }
        try (output) {
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(output.temp()))) {
                for (Entry e : entries) {
                    zip.putNextEntry(new ZipEntry(e.name()));
                    try (InputStream in = Files.newInputStream(e.source())) {
                        bytes += copyVerified(e, in, zip);
                    }
                    zip.closeEntry();
                }
            }
            output.commit();
        } catch (IOException | UncheckedIOException e) {
            throw MetadataService.notWritable(out, e);
        }
        return new DeliveryResult(projectId, "zip", out, entries.stream().map(Entry::name).toList(), bytes);
    }

    /** Streams one file and checks it is still the file that was generated (no edit since the check). */
    private static long copyVerified(Entry e, InputStream in, OutputStream os) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
        long n;
        try (DigestInputStream din = new DigestInputStream(in, sha)) {
            n = din.transferTo(os);
        }
        // metadata files must still be what was recorded; sidecars (no recorded hash) were rendered just now
        if (e.hash() != null && !HexFormat.of().formatHex(sha.digest()).equals(e.hash())) {
            throw new ApiError(409, "metadata_changed", null, e.source() + " changed while the delivery was written; regenerate and retry");
        }
        return n;
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(MetadataService::deleteQuietly);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
