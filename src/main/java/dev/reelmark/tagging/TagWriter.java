package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.json.Json;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaInput;
import dev.reelmark.media.Mp4Boxes;
import dev.reelmark.media.ProcessRunner;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads and rewrites the container comment of one video file with ffmpeg, keeping every stream, every other tag and
 * the chapters. The new file is written beside the original (same extension, so ffmpeg picks the same muxer),
 * verified (streams, duration, other tags, the comment read back), fsynced, then renamed over the original: a reader
 * or a crash sees either the old file or the new one. The temp and FFMETADATA files are removed on every path.
 * MP4/MOV/M4V files are first offered to {@link Mp4InPlace} (no re-mux); the ffmpeg rewrite is the fallback.
 */
public final class TagWriter {
    /** Extensions whose containers (MP4/MOV and Matroska/WebM) can hold a comment tag and are written by stream copy. */
    public static final Map<String, String> MUXERS = Map.of("mp4", "mp4", "m4v", "mp4", "mov", "mov", "mkv", "matroska",
            "webm", "webm");
    /** Tags the MP4/MOV muxer writes as standard atoms; any other one needs {@code -movflags +use_metadata_tags}. */
    static final Set<String> MOV_STANDARD_TAGS = Set.of("title", "artist", "album_artist", "album", "comment", "genre",
            "copyright", "date", "composer", "description", "synopsis", "show", "episode_id", "network", "lyrics",
            "track", "disc", "grouping", "encoder", "creation_time");
    /** Tags the muxer generates itself; copying them would turn them into bogus custom tags. */
    static final Set<String> MUXER_OWNED = Set.of("major_brand", "minor_version", "compatible_brands", "encoder");
    static final String TEMP_MARK = ".reelmark-tmp.";
    /** The Matroska global tag the people go to when the comment is JSON (mkvinfo and ffprobe show it). */
    public static final String MKV_PEOPLE_TAG = "PEOPLE";

    private final Supplier<FfmpegTools> tools;
    private final Duration timeout;
    private final boolean inPlace;

    public TagWriter(Supplier<FfmpegTools> tools, Duration timeout) {
        this(tools, timeout, true);
    }

    /** {@code inPlace} false always re-muxes with ffmpeg (the path MP4/MOV files took before in-place writes). */
    public TagWriter(Supplier<FfmpegTools> tools, Duration timeout, boolean inPlace) {
        this.tools = tools;
        this.timeout = timeout;
        this.inPlace = inPlace;
    }

    /** A problem that makes one file fail; its message is what the API and CLI show for the file. */
    public static final class TagWriteException extends RuntimeException {
        public TagWriteException(String message) {
            super(message);
        }

        public TagWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What the planner reads of a file: format, comment, the people's own key (mdta or Matroska tag) and whether it holds XMP. */
    public record LightProbe(String formatName, String comment, String error, String peopleKey, boolean hasXmp) {
        public LightProbe(String formatName, String comment, String error) {
            this(formatName, comment, error, null, false);
        }
    }

    /**
     * How the file was written: {@code in_place}, {@code moov_rewritten}, {@code shifted} (MP4/MOV),
     * {@code in_place}, {@code tags_extended}, {@code tags_moved} (Matroska/WebM) or {@code remux} (ffmpeg).
     */
    public record WriteResult(String fingerprintAfter, String commentAfter, long millis, String writePath) {
    }

    public static final String REMUX = "remux";

    public record Check(String name, boolean ok, String detail) {
    }

    public static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Why the file cannot be written at all (missing, a directory, unreadable, read-only, unsupported), or empty. */
    public static List<String> accessProblems(Path file) {
        List<String> out = new ArrayList<>();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.exists(file)) {
            out.add("missing file: " + file);
            return out;
        }
        if (Files.isDirectory(file)) {
            out.add("not a file: " + file + " is a directory");
            return out;
        }
        if (Files.isSymbolicLink(file)) {
            out.add("a symbolic link: " + file + " (tags are written only into regular files, never through a link)");
            return out;
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            out.add("not a regular file: " + file);
            return out;
        }
        out.addAll(regularFileProblems(file, writable(file), TagWriter::writable));
        return out;
    }

    /**
     * {@link #accessProblems} of a file known to be a regular file (not a link): the container, read permission,
     * {@code writable} (the file's write permission) and the folder's ({@code folderWritable}, which the planner
     * answers once per folder).
     */
    static List<String> regularFileProblems(Path file, boolean writable, java.util.function.Predicate<Path> folderWritable) {
        List<String> out = new ArrayList<>();
        if (!MUXERS.containsKey(extension(file))) {
            out.add("unsupported container: ." + extension(file) + " (Reelmark writes tags into .mp4, .m4v, .mov, .mkv and .webm)");
        }
        if (!Files.isReadable(file)) out.add("unreadable: no read permission on " + file);
        if (!writable) out.add("no write permission: " + file + " is read-only");
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !folderWritable.test(dir)) out.add("no write permission on the folder " + dir + " (the new file is written beside the old one)");
        return out;
    }

    /** Write permission, honouring the read-only bits even for root (who could write anyway). */
    static boolean writable(Path p) {
        if (!Files.isWritable(p)) return false;
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            return perms.contains(PosixFilePermission.OWNER_WRITE) || perms.contains(PosixFilePermission.GROUP_WRITE)
                    || perms.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (UnsupportedOperationException | IOException e) {
            return true;
        }
    }

    /** The container format and comment (ffprobe -show_format only); a file ffprobe cannot read gives an error. */
    public LightProbe probeLight(Path file) {
        ProcessRunner.Result r = tools.get().runFfprobe(MediaInput.withOptions(List.of("-v", "error", "-print_format", "json", "-show_format"),
                file.toAbsolutePath()), Duration.ofSeconds(Math.min(120, timeout.toSeconds())));
        if (!r.ok()) return new LightProbe(null, null, "unreadable: ffprobe cannot read it (" + firstLine(r.stderrTail(3)) + ")");
        try {
            JsonNode format = Json.MAPPER.readTree(r.stdoutText()).path("format");
            return new LightProbe(format.path("format_name").asText(null), commentOf(format), null, peopleKeyOf(format), false);
        } catch (IOException e) {
            return new LightProbe(null, null, "unreadable: ffprobe printed unparseable JSON");
        }
    }

    /** ffprobe's full JSON (format, streams, chapters): what the backup keeps. */
    public String probeFull(Path file) {
        ProcessRunner.Result r = tools.get().runFfprobe(MediaInput.withOptions(List.of("-v", "error", "-print_format", "json", "-show_format",
                "-show_streams", "-show_chapters"), file.toAbsolutePath()), timeout);
        if (!r.ok()) throw new TagWriteException("unreadable: ffprobe cannot read " + file + " (" + firstLine(r.stderrTail(3)) + ")");
        String json = r.stdoutText();
        JsonNode root = Json.parse(json);
        if (root.path("streams").size() == 0) throw new TagWriteException("unreadable: " + file + " has no streams");
        return json;
    }

    /** The comment tag of a format node (case-insensitive key: Matroska says COMMENT), or null. */
    static String commentOf(JsonNode format) {
        for (Map.Entry<String, JsonNode> e : format.path("tags").properties()) {
            if (e.getKey().equalsIgnoreCase("comment")) return e.getValue().asText();
        }
        return null;
    }

    /** The people's own key of a format node: the mdta key {@code com.reelmark.people} or the Matroska tag PEOPLE, or null. */
    static String peopleKeyOf(JsonNode format) {
        for (Map.Entry<String, JsonNode> e : format.path("tags").properties()) {
            if (e.getKey().equalsIgnoreCase(Mp4Boxes.PEOPLE_KEY) || e.getKey().equalsIgnoreCase(MKV_PEOPLE_TAG)) return e.getValue().asText();
        }
        return null;
    }

    public static String peopleKeyOfProbe(String probeJson) {
        return peopleKeyOf(Json.parse(probeJson).path("format"));
    }

    public static String commentOfProbe(String probeJson) {
        return commentOf(Json.parse(probeJson).path("format"));
    }

    /** Why a comment cannot be written (too large, not valid Unicode, NUL), or null. */
    public static String commentProblem(String comment, int maxBytes) {
        if (comment == null) return null;
        int bytes = comment.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) return "metadata too large: the comment would be " + bytes + " bytes (limit " + maxBytes + ")";
        for (int i = 0; i < comment.length(); i++) {
            char c = comment.charAt(i);
            if (c == 0) return "encoding: the comment contains a NUL character";
            if (Character.isHighSurrogate(c) && i + 1 < comment.length() && Character.isLowSurrogate(comment.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "encoding: the comment is not valid Unicode (lone surrogate)";
            }
        }
        return null;
    }

    /** Everything a write would check, writing nothing (the dry run). */
    public List<Check> validate(Path file, String expectedCurrent, String newComment, int maxBytes) {
        return validate(file, expectedCurrent, newComment, maxBytes, false, null);
    }

    /** {@link #validate}, also checking the people key is what the plan read when {@code keyTarget}. */
    public List<Check> validate(Path file, String expectedCurrent, String newComment, int maxBytes, boolean keyTarget,
                                String expectedKey) {
        List<Check> checks = new ArrayList<>();
        List<String> access = accessProblems(file);
        checks.add(new Check("access", access.isEmpty(), access.isEmpty() ? "readable and writable" : String.join("; ", access)));
        if (!access.isEmpty()) return checks;
        String probe;
        try {
            probe = probeFull(file);
        } catch (TagWriteException e) {
            checks.add(new Check("metadata_format", false, e.getMessage()));
            return checks;
        }
        JsonNode root = Json.parse(probe);
        String format = root.path("format").path("format_name").asText("");
        String formatProblem = formatProblem(file, format);
        checks.add(new Check("metadata_format", formatProblem == null, formatProblem == null
                ? format + " with " + root.path("streams").size() + " streams" : formatProblem));
        long size = root.path("format").path("size").asLong(0);
        try {
            size = Files.size(file);
            long free = Files.getFileStore(file.toAbsolutePath().getParent()).getUsableSpace();
            boolean ok = free >= size + (1 << 20);
            checks.add(new Check("disk_space", ok, ok ? free + " bytes free for a " + size + "-byte copy"
                    : "not enough disk space: " + free + " bytes free, the copy needs " + size));
        } catch (IOException e) {
            checks.add(new Check("disk_space", false, "cannot read free space: " + e.getMessage()));
        }
        String current = commentOf(root.path("format"));
        boolean same = Objects.equals(current, expectedCurrent);
        checks.add(new Check("comment_unchanged", same, same ? "the comment is what the plan read"
                : "the file's comment changed since the plan was made"));
        if (keyTarget) {
            boolean keySame = Objects.equals(peopleKeyOf(root.path("format")), expectedKey);
            checks.add(new Check("people_key_unchanged", keySame, keySame ? "the people key is what the plan read"
                    : "the file's people key changed since the plan was made"));
        }
        String problem = commentProblem(newComment, maxBytes);
        boolean sizeOk = problem == null || !problem.startsWith("metadata too large");
        checks.add(new Check("metadata_size", sizeOk, sizeOk ? (newComment == null ? 0 : newComment.getBytes(StandardCharsets.UTF_8).length)
                + " bytes" : problem));
        boolean encOk = problem == null || !problem.startsWith("encoding");
        checks.add(new Check("encoding", encOk, encOk ? "UTF-8" : problem));
        return checks;
    }

    static String formatProblem(Path file, String formatName) {
        String ext = extension(file);
        boolean matches = switch (MUXERS.getOrDefault(ext, "")) {
            case "mp4", "mov" -> formatName.contains("mov") || formatName.contains("mp4");
            case "matroska", "webm" -> formatName.contains("matroska");
            default -> false;
        };
        return matches ? null : "unsupported container: the ." + ext + " file is really '" + formatName + "'";
    }

    /** The hidden temp file a rewrite of {@code file} uses (keeps the extension: ffmpeg picks the muxer from it). */
    public static Path tempFor(Path file) {
        String name = file.getFileName().toString();
        return file.resolveSibling("." + name + TEMP_MARK + extension(file));
    }

    /**
     * Rewrites {@code file} with {@code newComment} (null removes the comment). {@code probeJson} is the file's current
     * full probe (already backed up by the caller). Throws {@link TagWriteException} with the reason; the original is
     * untouched unless this returns.
     */
    public WriteResult rewrite(Path file, String probeJson, String newComment) {
        return rewrite(file, probeJson, newComment, People.inComment(newComment));
    }

    /**
     * Where the people go besides (or instead of) the comment: the people key's new value when {@code target} is a key
     * (null removes it), and the people for XMP's PersonInImage in files that hold XMP.
     */
    public record People(PeopleComment.Target target, String keyValue, List<String> people) {
        public static People inComment(String comment) {
            return new People(PeopleComment.Target.COMMENT, null, PeopleComment.parse(comment).people());
        }

        /** The tag name ffmpeg and ffprobe use for the key in this container, or null for the comment target. */
        String tagName() {
            return switch (target) {
                case MP4_KEY -> Mp4Boxes.PEOPLE_KEY;
                case MATROSKA_TAG -> MKV_PEOPLE_TAG;
                case COMMENT -> null;
            };
        }
    }

    /**
     * One file's write, checked and worked out: the file (absolute), its probe before, the comment, the global tags the
     * result must carry (all of the original ones but the comment and the muxer's own, plus the new comment and key)
     * and whether any of them needs {@code use_metadata_tags}.
     */
    record Request(Path file, JsonNode before, String newComment, Map<String, String> tags, boolean custom, People people,
                   long start) {
        String muxer() {
            return MUXERS.get(extension(file));
        }
    }

    /** Checks {@code file} can be written and works out the tags; throws {@link TagWriteException} with the reason. */
    Request request(Path file, String probeJson, String newComment, People people) {
        long start = System.nanoTime();
        Path abs = file.toAbsolutePath().normalize();
        List<String> problems = accessProblems(abs);
        if (!problems.isEmpty()) throw new TagWriteException(String.join("; ", problems));
        JsonNode before = Json.parse(probeJson);
        String formatProblem = formatProblem(abs, before.path("format").path("format_name").asText(""));
        if (formatProblem != null) throw new TagWriteException(formatProblem);
        if (Files.isSymbolicLink(abs)) throw new TagWriteException("symlink refused: " + abs + " is a link (tag the file it points to)");
        // Global tags: all of the original ones except the comment and what the muxer writes itself.
        Map<String, String> tags = new LinkedHashMap<>();
        boolean custom = false;
        for (Map.Entry<String, JsonNode> e : before.path("format").path("tags").properties()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            if (key.equals("comment") || MUXER_OWNED.contains(key)) continue;
            tags.put(e.getKey(), e.getValue().asText());
            if (!MOV_STANDARD_TAGS.contains(key)) custom = true;
        }
        if (newComment != null) tags.put("comment", newComment);
        String keyTag = people.tagName();
        if (keyTag != null) {
            tags.keySet().removeIf(k -> k.equalsIgnoreCase(keyTag));
            if (people.keyValue() != null) {
                tags.put(keyTag, people.keyValue());
                if (!MOV_STANDARD_TAGS.contains(keyTag)) custom = true;
            }
        }
        return new Request(abs, before, newComment, tags, custom, people, start);
    }

    /** Whether {@link Mp4InPlace} is offered the file first (MP4/MOV/M4V, in-place writes on; a batch stages these). */
    boolean inPlaceFirst(Request r) {
        return inPlace && !isMatroska(r.muxer());
    }

    /** Rewrites {@code file} with {@code newComment} and the people where {@code people} says. */
    public WriteResult rewrite(Path file, String probeJson, String newComment, People people) {
        Request req = request(file, probeJson, newComment, people);
        if (inPlaceFirst(req)) {
            WriteResult done = Mp4InPlace.write(this, req);
            if (done != null) return done;
        } else if (inPlace && isMatroska(req.muxer())) {
            WriteResult done = MatroskaInPlace.write(this, req.file(), req.before(), req.newComment(), req.tags(), req.start(),
                    req.people());
            if (done != null) return done;
        }
        return remux(req);
    }

    /** The ffmpeg stream-copy rewrite: a temp file beside the original, verified with ffprobe, fsynced, renamed over it. */
    WriteResult remux(Request req) {
        Path abs = req.file();
        JsonNode before = req.before();
        String newComment = req.newComment();
        Map<String, String> tags = req.tags();
        boolean custom = req.custom();
        People people = req.people();
        long start = req.start();
        String muxer = req.muxer();
        String keyTag = people.tagName();
        boolean matroska = isMatroska(muxer);
        if (matroska) Mp4InPlace.recover(abs); // a left-over journal is rolled back before the file is copied
        // In MP4 the key is added to ffmpeg's output by the box writer: asking ffmpeg for it (use_metadata_tags)
        // would turn every tag, the comment included, into mdta keys that iTunes-style readers (mutagen) do not see.
        boolean keyAfter = !matroska && people.target() == PeopleComment.Target.MP4_KEY;
        Map<String, String> ffTags = new LinkedHashMap<>(tags);
        boolean ffCustom = custom;
        if (keyAfter) {
            ffTags.keySet().removeIf(k -> k.equalsIgnoreCase(Mp4Boxes.PEOPLE_KEY));
            ffCustom = ffTags.keySet().stream().anyMatch(k -> !MOV_STANDARD_TAGS.contains(k.toLowerCase(Locale.ROOT)));
        }
        Path temp = tempFor(abs);
        Path meta = null;
        try {
            long size = Files.size(abs);
            long free = Files.getFileStore(abs.getParent()).getUsableSpace();
            if (free < size + (1 << 20)) throw new TagWriteException("not enough disk space: " + free + " bytes free, the copy needs " + size);
            Files.deleteIfExists(temp);
            StringBuilder ff = new StringBuilder(";FFMETADATA1\n");
            ffTags.forEach((k, v) -> ff.append(PeopleComment.escapeFfmetadata(k)).append('=')
                    .append(PeopleComment.escapeFfmetadata(v)).append('\n'));
            meta = Files.createTempFile("reelmark-ffmetadata-", ".txt");
            Files.writeString(meta, ff, StandardCharsets.UTF_8);

            List<String> args = new ArrayList<>(List.of("-nostdin", "-v", "error", "-y"));
            args.addAll(MediaInput.ffmpegInput(abs));
            args.addAll(List.of("-f", "ffmetadata", "-i", meta.toString(),
                    "-map", "0", "-map_metadata", "1", "-map_chapters", "0", "-c", "copy", "-copy_unknown"));
            if (!matroska && ffCustom) args.addAll(List.of("-movflags", "+use_metadata_tags"));
            args.addAll(List.of("-f", muxer, temp.toString()));
            ProcessRunner.Result r = tools.get().runFfmpeg(args, timeout);
            if (!r.ok()) throw new TagWriteException("ffmpeg could not rewrite " + abs.getFileName() + ": " + firstLine(r.stderrTail(4)));

            if (keyAfter) Mp4InPlace.setKey(temp, people.keyValue());
            if (!matroska) Mp4Boxes.carryXmp(abs, temp, people.people());
            String after = probeFull(temp);
            verify(before, Json.parse(after), newComment, tags);
            verifyPeopleKey(Json.parse(after), keyTag, people.keyValue());

            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Mp4Boxes.install(temp, abs);
            } catch (AtomicMoveNotSupportedException e) {
                throw new TagWriteException("the file system cannot replace " + abs + " atomically; nothing was changed");
            }
            return new WriteResult(Fingerprint.of(abs), commentOfProbe(after), (System.nanoTime() - start) / 1_000_000, REMUX);
        } catch (IOException e) {
            throw new TagWriteException("I/O error on " + abs + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
            if (meta != null) deleteQuietly(meta);
        }
    }

    /** Whether a muxer name of {@link #MUXERS} is Matroska or its WebM subset. */
    public static boolean isMatroska(String muxer) {
        return "matroska".equals(muxer) || "webm".equals(muxer);
    }

    /** The new file must have the same streams, the same duration, the other tags and exactly the planned comment. */
    static void verify(JsonNode before, JsonNode after, String expectedComment, Map<String, String> expectedTags) {
        List<String> bad = new ArrayList<>();
        JsonNode sb = before.path("streams");
        JsonNode sa = after.path("streams");
        if (sb.size() != sa.size()) {
            bad.add("stream count " + sa.size() + " instead of " + sb.size());
        } else {
            for (int i = 0; i < sb.size(); i++) {
                String tb = sb.get(i).path("codec_type").asText() + "/" + sb.get(i).path("codec_name").asText();
                String ta = sa.get(i).path("codec_type").asText() + "/" + sa.get(i).path("codec_name").asText();
                if (!tb.equals(ta)) bad.add("stream " + i + " is " + ta + " instead of " + tb);
                String lb = sb.get(i).path("tags").path("language").asText("");
                String la = sa.get(i).path("tags").path("language").asText("");
                if (!lb.equals(la)) bad.add("stream " + i + " language " + la + " instead of " + lb);
            }
        }
        double db = before.path("format").path("duration").asDouble(0);
        double da = after.path("format").path("duration").asDouble(0);
        if (db > 0 && Math.abs(da - db) > Math.max(0.1, db * 0.01)) bad.add("duration " + da + " s instead of " + db + " s");
        String comment = commentOf(after.path("format"));
        if (!Objects.equals(comment, expectedComment)) {
            bad.add("the comment read back is " + (comment == null ? "missing" : "different (" + comment.length() + " chars)"));
        }
        Map<String, String> afterTags = new LinkedHashMap<>();
        after.path("format").path("tags").properties().forEach(e -> afterTags.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
        expectedTags.forEach((k, v) -> {
            String key = k.toLowerCase(Locale.ROOT);
            if (!key.equals("comment") && !Objects.equals(afterTags.get(key), v)) bad.add("tag " + k + " was not kept");
        });
        if (!bad.isEmpty()) throw new TagWriteException("verification failed, original kept: " + String.join("; ", bad));
    }

    /** The people key reads back as written (or is absent when it was removed). */
    static void verifyPeopleKey(JsonNode after, String keyTag, String expected) {
        if (keyTag == null) return;
        String got = peopleKeyOf(after.path("format"));
        if (!Objects.equals(got, expected)) {
            throw new TagWriteException("verification failed, original kept: the people key " + keyTag + " read back is "
                    + (got == null ? "missing" : "'" + got + "'"));
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }

    static String firstLine(String s) {
        if (s == null || s.isBlank()) return "no message";
        String t = s.strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t.replace('\n', ' ');
    }
}
