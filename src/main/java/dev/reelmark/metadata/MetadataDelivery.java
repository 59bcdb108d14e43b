package dev.reelmark.metadata;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.errors.Conflict;
import dev.reelmark.errors.Unprocessable;
import dev.reelmark.json.Json;

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
                default -> throw InvalidInput.field("format", "must be folder or zip, got '" + raw + "'");
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
            throw new NotFound("not_found", "name", "project " + projectId + " has no delivery named '" + name + "'");
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
        throw new NotFound("not_found", "name", "project " + projectId + " has no delivery named '" + name + "'");
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
    public static final class NotReady extends Unprocessable {
        private final List<CharacterCheck> blocking;

        NotReady(long projectId, List<CharacterCheck> blocking) {
            super("metadata_not_ready", null, "project " + projectId + " cannot be delivered: "
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
    private DeliveryCredentials credentials = DeliveryCredentials.NONE;

    /** Where signed clips come from when a delivery asks for content credentials. */
    public MetadataDelivery withCredentials(DeliveryCredentials credentials) {
        this.credentials = credentials;
        return this;
    }

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
        return deliver(projectId, format, target, sidecarTemplateIds, !sidecarTemplateIds.isEmpty(), false, false);
    }

    /**
     * As above; with {@code includeMedia} the package also carries the videos at their data-directory paths (so the
     * sidecars' package-relative references and the metadata's {@code output_video_path} resolve inside it), with
     * {@code serverPaths} the sidecars reference the videos at their absolute paths on the server instead, and with
     * {@code contentCredentials} a C2PA-signed copy of every clip goes under {@code clips/}.
     */
    public DeliveryResult deliver(long projectId, Format format, Path target, List<Long> sidecarTemplateIds,
                                  boolean includeMedia, boolean serverPaths, boolean contentCredentials) {
        requireReady(projectId);
        Path out = (target == null ? defaultTarget(projectId, format) : target).toAbsolutePath().normalize();
        if (Files.exists(out)) throw Conflict.of("output", "the delivery target already exists: " + out);
        List<Entry> entries = new ArrayList<>(entries(projectId));
        Path scratch = null;
        Map<Long, String> videoPaths = Map.of();
        try {
            if (!sidecarTemplateIds.isEmpty() || includeMedia || contentCredentials) {
                try {
                    Files.createDirectories(out.getParent());
                    scratch = Files.createTempDirectory(out.getParent(), ".sidecars-");
                } catch (IOException e) {
                    throw MetadataService.notWritable(out, e);
                }
                if (contentCredentials) {
                    Path clips = scratch.resolve("clips");
                    try {
                        Files.createDirectories(clips);
                    } catch (IOException e) {
                        throw MetadataService.notWritable(out, e);
                    }
                    for (DeliveryCredentials.File f : credentials.sign(projectId, clips)) {
                        String name = "clips/" + f.name().replace('\\', '/');
                        if (name.contains("/../") || name.endsWith("/..") || f.name().startsWith("/")) {
                            throw new IllegalStateException("clip escapes the package: " + f.name());
                        }
                        entries.add(new Entry(name, f.source(), null));
                    }
                }
                DeliverySidecars.Package pkg = sidecarTemplateIds.isEmpty() && !includeMedia ? DeliverySidecars.Package.EMPTY
                        : sidecars.write(projectId, sidecarTemplateIds, scratch, includeMedia, serverPaths);
                videoPaths = pkg.videoPaths();
                for (DeliverySidecars.File f : pkg.files()) {
                    String name = f.name().replace('\\', '/');
                    if (name.contains("/../") || name.endsWith("/..") || f.name().startsWith("/")) {
                        throw new IllegalStateException("sidecar escapes the package: " + f.name());
                    }
                    entries.add(new Entry(name, f.source(), null));
                }
            }
            Relinks videos;
            try {
                videos = includeMedia ? images(entries, videoPaths) : Relinks.NONE;
            } catch (IOException e) {
                throw MetadataService.notWritable(out, e);
            }
            return format == Format.ZIP ? writeZip(projectId, out, entries, videos) : writeFolder(projectId, out, entries, videos);
        } finally {
            if (scratch != null) deleteTree(scratch);
        }
    }


    /**
     * How metadata files point into a package that carries the media: each segment's video by segment id, and
     * every other referenced file (images, seed and last frames) by its stored path.
     */
    record Relinks(Map<Long, String> videos, Map<String, String> files) {
        static final Relinks NONE = new Relinks(Map.of(), Map.of());

        boolean none() {
            return videos.isEmpty() && files.isEmpty();
        }
    }

    /** Stored-path fields of the metadata files that name an image or frame on disk. */
    private static final java.util.Set<String> FILE_FIELDS = java.util.Set.of("path", "seed_frame_path", "last_frame_path");

    /**
     * Adds the images and frames the metadata files reference to the package, at their data-directory paths (each
     * part made portable), and says how to relink them. Files that are missing or outside the data directory stay
     * as they are (their metadata keeps the stored path).
     */
    private Relinks images(List<Entry> entries, Map<Long, String> videos) throws IOException {
        dev.reelmark.media.MediaRoots roots = dev.reelmark.media.MediaRoots.of(dataDir);
        Path root = roots.roots().get(0);
        java.util.Set<String> taken = new java.util.HashSet<>();
        entries.forEach(e -> taken.add(dev.reelmark.media.PortableNames.collisionKey(e.name())));
        Map<String, String> files = new LinkedHashMap<>();
        List<Entry> added = new ArrayList<>();
        for (Entry e : entries) {
            if (e.hash() == null) continue;
            List<String> stored = new ArrayList<>();
            collect(Json.MAPPER.readTree(e.source().toFile()), stored);
            for (String path : stored) {
                if (files.containsKey(path)) continue;
                Path file = roots.resolve(path).filter(Files::isRegularFile).orElse(null);
                if (file == null || !file.startsWith(root)) continue;
                List<String> parts = new ArrayList<>();
                root.relativize(file).forEach(p -> parts.add(dev.reelmark.media.PortableNames.element(p.toString())));
                String name = String.join("/", parts);
                for (int n = 2; taken.contains(dev.reelmark.media.PortableNames.collisionKey(name)); n++) {
                    String last = parts.get(parts.size() - 1);
                    name = String.join("/", parts.subList(0, parts.size() - 1)) + (parts.size() > 1 ? "/" : "")
                            + dev.reelmark.media.PortableNames.stem(last) + "_" + n + dev.reelmark.media.PortableNames.extension(last);
                }
                taken.add(dev.reelmark.media.PortableNames.collisionKey(name));
                files.put(path, name);
                added.add(new Entry(name, file, null));
            }
        }
        entries.addAll(added);
        return new Relinks(videos, files);
    }

    private static void collect(com.fasterxml.jackson.databind.JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (FILE_FIELDS.contains(f.getKey()) && f.getValue().isTextual()) out.add(f.getValue().asText());
                else collect(f.getValue(), out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        }
    }

    private static void relink(com.fasterxml.jackson.databind.JsonNode node, Relinks relinks) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            if (o.has("segment_id") && o.has("output_video_path")) {
                String packaged = relinks.videos().get(o.path("segment_id").asLong());
                if (packaged != null) o.put("output_video_path", packaged);
            }
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                com.fasterxml.jackson.databind.JsonNode v = o.get(k);
                if (FILE_FIELDS.contains(k) && v.isTextual() && relinks.files().containsKey(v.asText())) o.put(k, relinks.files().get(v.asText()));
                else relink(v, relinks);
            }
        } else if (node.isArray()) {
            node.forEach(n -> relink(n, relinks));
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

    private DeliveryResult writeFolder(long projectId, Path out, List<Entry> entries, Relinks videos) {
        Path staging;
        try {
            Files.createDirectories(out.getParent());
            // a temp folder is owner-only (700); the delivered folder gets the mode mkdir would give it
            staging = dev.reelmark.media.FileModes.asNewDirectory(Files.createTempDirectory(out.getParent(), "." + out.getFileName() + ".part-"));
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
                    bytes += copyVerified(e, in, os, videos);
                }
            }
            try {
                Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException ex) {
                Files.move(staging, out);
            }
        } catch (FileAlreadyExistsException ex) {
            deleteTree(staging);
            throw Conflict.of("output", "the delivery target already exists: " + out);
        } catch (IOException | RuntimeException ex) {
            deleteTree(staging);
            if (ex instanceof DomainException api) throw api;
            throw MetadataService.notWritable(out, ex instanceof IOException io ? io : new IOException(ex));
        }
        return new DeliveryResult(projectId, "folder", out, entries.stream().map(Entry::name).toList(), bytes);
    }

    private DeliveryResult writeZip(long projectId, Path out, List<Entry> entries, Relinks videos) {
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
                    // videos are compressed already: no effort spent deflating them again
                    zip.setLevel(dev.reelmark.media.SafeZip.storedByExtension(e.name()) ? java.util.zip.Deflater.NO_COMPRESSION
                            : java.util.zip.Deflater.DEFAULT_COMPRESSION);
                    zip.putNextEntry(new ZipEntry(e.name()));
                    try (InputStream in = Files.newInputStream(e.source())) {
                        bytes += copyVerified(e, in, zip, videos);
                    }
                    zip.closeEntry();
                }
            }
            dev.reelmark.media.FileModes.asNewFile(output.commit());
        } catch (IOException | UncheckedIOException e) {
            throw MetadataService.notWritable(out, e);
        }
        return new DeliveryResult(projectId, "zip", out, entries.stream().map(Entry::name).toList(), bytes);
    }

    /**
     * Copies one file and checks it is still the file that was generated (no edit since the check). When the package
     * carries the media, a metadata file's video, image and frame paths become their paths in the package, so they
     * resolve once unpacked.
     */
    private static long copyVerified(Entry e, InputStream in, OutputStream os, Relinks videos) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
        boolean relink = !videos.none() && e.hash() != null;
        long n;
        java.io.ByteArrayOutputStream held = relink ? new java.io.ByteArrayOutputStream() : null;
        try (DigestInputStream din = new DigestInputStream(in, sha)) {
            n = din.transferTo(relink ? held : os);
        }
        // metadata files must still be what was recorded; sidecars (no recorded hash) were rendered just now
        if (e.hash() != null && !HexFormat.of().formatHex(sha.digest()).equals(e.hash())) {
            throw new Conflict("metadata_changed", null, e.source() + " changed while the delivery was written; regenerate and retry");
        }
        if (!relink) return n;
        com.fasterxml.jackson.databind.JsonNode doc = Json.MAPPER.readTree(held.toByteArray());
        relink(doc, videos);
        byte[] out = MetadataService.render(doc).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        os.write(out);
        return out.length;
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
