package dev.reelmark.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.Conflict;
import dev.reelmark.errors.Failed;
import dev.reelmark.json.Json;
import dev.reelmark.media.AtomicOutput;
import dev.reelmark.media.MediaRoots;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A character's source images as files: the image files already inside the media roots (to pick one), and an
 * uploaded image written under the data directory ({@code images/<character>/<file>}), checked to be the PNG,
 * JPEG or WebP its name says, and recorded as a source image with its SHA-256.
 */
public final class CharacterImageFiles {
    /** The decoded size an upload may have; its base64 JSON body stays under the server's 8 MB body limit. */
    public static final int MAX_BYTES = 5 * 1024 * 1024;
    static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "webp");
    private static final int MAX_DEPTH = 8;
    /** Folders of the data directory that hold Reelmark's own derived files, not images a person chose. */
    private static final Set<String> SKIPPED = Set.of("thumbnails", "backups", "exports", "proxies");

    /** One image file under the media roots: its path as a catalog row stores it, and its size. */
    public record ImageFile(String path, long sizeBytes) {
        ObjectNode toJson() {
            return Json.object().put("path", path).put("size_bytes", sizeBytes);
        }
    }

    private final CatalogService catalog;
    private final MediaRoots roots;
    private final Path dataDir;

    public CharacterImageFiles(CatalogService catalog, MediaRoots roots, Path dataDir) {
        this.catalog = catalog;
        this.roots = roots;
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    /**
     * Image files inside the media roots whose path contains {@code contains} (case-insensitive), sorted by path,
     * at most {@code limit}. Links are not followed out of a root: every file is confined like any stored path.
     */
    public List<ImageFile> list(String contains, int limit) {
        String needle = contains == null ? "" : contains.toLowerCase(Locale.ROOT);
        List<ImageFile> found = new ArrayList<>();
        for (Path root : roots.roots()) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> walk = Files.walk(root, MAX_DEPTH, new FileVisitOption[0])) {
                walk.filter(p -> !skipped(root, p))
                        .filter(p -> EXTENSIONS.contains(extension(p.getFileName().toString())))
                        .filter(Files::isRegularFile)
                        .forEach(p -> roots.resolve(p).ifPresent(real -> {
                            String stored = stored(real);
                            if (stored.toLowerCase(Locale.ROOT).contains(needle)) found.add(new ImageFile(stored, size(real)));
                        }));
            } catch (IOException | UncheckedIOException e) {
                throw new Failed("media_unreadable", null, "cannot list the media roots");
            }
        }
        return found.stream().distinct().sorted(Comparator.comparing(ImageFile::path)).limit(limit).toList();
    }

    public ObjectNode listJson(String contains, int limit) {
        ObjectNode answer = Json.object();
        var items = answer.putArray("items");
        list(contains, limit).forEach(f -> items.add(f.toJson()));
        return answer;
    }

    /**
     * Writes the uploaded image for the character and records it as a current source image. Refuses (naming the
     * field) a file name with a folder in it or another extension, content that is not base64 or not the image
     * type of its name, more than {@link #MAX_BYTES}, and a file that already exists (409).
     */
    public ObjectNode upload(long characterId, String filename, String contentBase64) {
        ObjectNode character = catalog.get(CatalogModel.CHARACTERS, characterId);
        String name = checkedName(filename);
        byte[] bytes = decode(contentBase64);
        String kind = sniff(bytes).orElseThrow(() -> InvalidInput.field("content_base64", "is not a PNG, JPEG or WebP image"));
        if (!kind.equals(family(extension(name)))) {
            throw InvalidInput.field("content_base64", "is a " + kind.toUpperCase(Locale.ROOT) + " image, not what the name "
                    + name + " says");
        }
        Path relative = Path.of("images", slug(character.get("name").asText()), name);
        Path target = roots.resolveForWrite(dataDir.resolve(relative).toString())
                .orElseThrow(() -> InvalidInput.field("filename", "cannot be written inside the media roots"));
        if (Files.exists(target)) {
            throw Conflict.of("filename", "a file " + relative + " already exists; pick it, or upload under another name");
        }
        try (AtomicOutput out = AtomicOutput.create(target)) {
            Files.write(out.temp(), bytes);
            out.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode body = Json.object().put("character_id", characterId).put("image_type", "source")
                .put("filename", name).put("path", relative.toString()).put("content_hash", sha256(bytes));
        return catalog.create(CatalogModel.IMAGES, body);
    }

    private boolean skipped(Path root, Path p) {
        Path rel = root.relativize(p);
        for (Path part : rel) {
            String s = part.toString();
            if (s.startsWith(".")) return true;
        }
        return rel.getNameCount() > 1 && SKIPPED.contains(rel.getName(0).toString());
    }

    private String stored(Path real) {
        Optional<Path> realData = Optional.of(dataDir).map(d -> {
            try {
                return d.toRealPath();
            } catch (IOException e) {
                return d;
            }
        });
        return real.startsWith(realData.get()) ? realData.get().relativize(real).toString() : real.toString();
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    static String checkedName(String filename) {
        if (filename == null || filename.isBlank()) throw InvalidInput.field("filename", "is required");
        String name = Normalizer.normalize(filename.strip(), Normalizer.Form.NFC);
        if (name.contains("/") || name.contains("\\") || name.startsWith(".") || name.length() > 200) {
            throw InvalidInput.field("filename", "must be a plain file name (no folder, not hidden, at most 200 characters)");
        }
        if (!EXTENSIONS.contains(extension(name))) {
            throw InvalidInput.field("filename", "must end in .png, .jpg, .jpeg or .webp");
        }
        return name;
    }

    private static byte[] decode(String base64) {
        if (base64 == null || base64.isEmpty()) throw InvalidInput.field("content_base64", "is required");
        if (base64.length() > (MAX_BYTES / 3 + 1) * 4 + 4) throw InvalidInput.field("content_base64", "is over 5 MB");
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            if (bytes.length > MAX_BYTES) throw InvalidInput.field("content_base64", "is over 5 MB");
            return bytes;
        } catch (IllegalArgumentException e) {
            throw InvalidInput.field("content_base64", "is not base64");
        }
    }

    /** The image type from the file's first bytes (its signature), whatever its name says. */
    static Optional<String> sniff(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') return Optional.of("png");
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) return Optional.of("jpeg");
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') return Optional.of("webp");
        return Optional.empty();
    }

    private static String family(String extension) {
        return extension.equals("jpg") ? "jpeg" : extension;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static String slug(String name) {
        String s = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
        return s.isEmpty() ? "character" : s;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
