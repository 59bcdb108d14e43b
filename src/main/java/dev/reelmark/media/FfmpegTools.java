package dev.reelmark.media;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where the ffmpeg and ffprobe executables are, and what that build can do. Each is resolved in this order: the
 * configured path, the environment ({@code REELMARK_FFMPEG} / {@code REELMARK_FFPROBE}), {@code PATH}, and last the
 * build bundled in the org.bytedeco:ffmpeg jar, so a fresh machine needs no install; the value {@code bundled} in
 * the first two picks the bundled build even when PATH has another. Builds older than
 * {@link FfmpegCapabilities#MINIMUM} are refused when first run.
 */
public final class FfmpegTools {

    public static final String ENV_FFMPEG = "REELMARK_FFMPEG";
    public static final String ENV_FFPROBE = "REELMARK_FFPROBE";

    public static final String SOURCE_CONFIGURED = "configured";
    public static final String SOURCE_ENV = "env";
    public static final String SOURCE_PATH = "PATH";
    public static final String SOURCE_BUNDLED = "bundled";

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);

    /** Resolved once per JVM: extracting the bundled build costs a second or two the first time. */
    private static volatile FfmpegTools defaults;
    private static final Map<String, FfmpegTools> INSTANCES = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code --ffmpeg bundled} or {@code REELMARK_FFMPEG=bundled}: the build in the jar even when PATH has one. */
    public static final String BUNDLED = "bundled";

    private final Path ffmpeg;
    private final Path ffprobe;
    private final String source;
    private final Map<String, String> environment;
    private volatile FfmpegCapabilities capabilities;
    private volatile FfmpegCapabilities ffprobeVersion;

    private FfmpegTools(Path ffmpeg, Path ffprobe, String source, String inheritedLdLibraryPath) {
        this.ffmpeg = ffmpeg;
        this.ffprobe = ffprobe;
        this.source = source;
        this.environment = libraryEnvironment(List.of(ffmpeg, ffprobe), inheritedLdLibraryPath);
    }

    /**
     * The tools found from the environment alone (no configured paths), cached for the JVM's life. A failure
     * is not cached, so installing a missing library and retrying works without a restart.
     */
    public static FfmpegTools defaults() {
        FfmpegTools d = defaults;
        if (d == null) {
            synchronized (FfmpegTools.class) {
                d = defaults;
                if (d == null) {
                    d = locate(null, null);
                    defaults = d;
                }
            }
        }
        return d;
    }

    /**
     * Finds both tools. Either argument may be null or blank. A configured path (or environment value) that
     * does not point at an executable file throws {@link IllegalArgumentException}: a typo there should not
     * silently fall through to some other ffmpeg.
     */
    public static FfmpegTools locate(String configuredFfmpeg, String configuredFfprobe) {
        return locate(configuredFfmpeg, configuredFfprobe, System.getenv());
    }

    /** As {@link #locate(String, String)} with an explicit environment, so tests can exercise every step. */
    static FfmpegTools locate(String configuredFfmpeg, String configuredFfprobe, Map<String, String> env) {
        Found mpeg = resolve("ffmpeg", configuredFfmpeg, ENV_FFMPEG, env, configuredFfprobe, ENV_FFPROBE);
        Found probe = resolve("ffprobe", configuredFfprobe, ENV_FFPROBE, env, configuredFfmpeg, ENV_FFMPEG);
        String source = mpeg.source.equals(probe.source) ? mpeg.source : mpeg.source + "+" + probe.source;
        String ldPath = env.get("LD_LIBRARY_PATH");
        // One instance per build (and per file version of it), so what a build can do is learned once, however
        // often the same paths are located.
        String key = String.join("\u0000", mpeg.path.toString(), identity(mpeg.path), probe.path.toString(),
                identity(probe.path), source, String.valueOf(ldPath));
        return INSTANCES.computeIfAbsent(key, k -> new FfmpegTools(mpeg.path, probe.path, source, ldPath));
    }

    private static String identity(Path binary) {
        try {
            Path real = binary.toRealPath();
            return real + "|" + Files.size(real) + "|" + Files.getLastModifiedTime(real).toMillis();
        } catch (IOException e) {
            return binary.toString();
        }
    }

    public Path ffmpeg() {
        return ffmpeg;
    }

    public Path ffprobe() {
        return ffprobe;
    }

    /** "configured", "env", "PATH" or "bundled"; "a+b" when ffmpeg and ffprobe came from different places. */
    public String source() {
        return source;
    }

    /**
     * Variables to add to the environment of any process running these binaries. The bundled Linux build
     * needs its own directory on LD_LIBRARY_PATH: the executables' RUNPATH ($ORIGIN) covers only their direct
     * dependencies, and libavutil then fails to find the bundled libva.so.2.
     */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * Runs ffmpeg with {@code args} (ffmpeg's path is prepended); a non-zero exit is returned, not thrown. A build
     * older than {@link FfmpegCapabilities#MINIMUM} is refused first ({@link MediaException}).
     */
    public ProcessRunner.Result runFfmpeg(List<String> args, Duration timeout) {
        requireSupportedFfmpeg();
        return ProcessRunner.run(commandOf(ffmpeg, args), timeout, environment);
    }

    /** Runs ffprobe with {@code args} (ffprobe's path is prepended), after the same version check as ffmpeg's. */
    public ProcessRunner.Result runFfprobe(List<String> args, Duration timeout) {
        requireSupportedFfprobe();
        return ProcessRunner.run(commandOf(ffprobe, args), timeout, environment);
    }

    /** First line of {@code ffmpeg -version}, e.g. "ffmpeg version 8.1.2 ..."; proves the binary actually runs. */
    public String version() {
        return capabilities().versionLine();
    }

    /**
     * What this build can do (version, encoders, filters, muxers, demuxers), learned on first use and kept for the
     * JVM's life. It does not check {@link FfmpegCapabilities#supported()}: {@link #requireSupported()} does.
     */
    public FfmpegCapabilities capabilities() {
        FfmpegCapabilities c = capabilities;
        if (c == null) {
            synchronized (this) {
                c = capabilities;
                if (c == null) {
                    c = FfmpegCapabilities.parse(query(ffmpeg, "-version"), query(ffmpeg, "-encoders"),
                            query(ffmpeg, "-filters"), query(ffmpeg, "-muxers"), query(ffmpeg, "-demuxers"));
                    capabilities = c;
                }
            }
        }
        return c;
    }

    /**
     * Throws {@link MediaException} with a one-line message naming the version Reelmark needs when this ffmpeg (or
     * its ffprobe) is older than {@link FfmpegCapabilities#MINIMUM}. Every {@link #runFfmpeg}/{@link #runFfprobe}
     * checks it first, so an unsupported build is refused before it can half-do anything.
     */
    public FfmpegTools requireSupported() {
        requireSupportedFfmpeg();
        requireSupportedFfprobe();
        return this;
    }

    private void requireSupportedFfmpeg() {
        FfmpegCapabilities c = capabilities();
        if (!c.supported()) {
            throw unsupported("ffmpeg", c, ffmpeg);
        }
    }

    private void requireSupportedFfprobe() {
        FfmpegCapabilities p = ffprobeVersion;
        if (p == null) {
            p = FfmpegCapabilities.parse(query(ffprobe, "-version"), "", "", "", "");
            ffprobeVersion = p;
        }
        if (!p.supported()) {
            throw unsupported("ffprobe", p, ffprobe);
        }
    }

    private MediaException unsupported(String tool, FfmpegCapabilities c, Path binary) {
        String what = c.version() == null
                ? tool + " at " + binary + " (" + sourceDescription() + ") does not say which version it is ("
                + c.versionText() + ")"
                : tool + " " + c.version() + " at " + binary + " (" + sourceDescription() + ") is too old";
        return new MediaException(what + ": Reelmark needs ffmpeg " + FfmpegCapabilities.MINIMUM
                + " or newer; choose one with --ffmpeg PATH or " + ENV_FFMPEG + "=PATH, or " + ENV_FFMPEG
                + "=bundled for the build in the jar");
    }

    /** "from PATH", "bundled in the jar", "from REELMARK_FFMPEG", "configured with --ffmpeg". */
    public String sourceDescription() {
        return switch (source) {
            case SOURCE_PATH -> "found on PATH";
            case SOURCE_BUNDLED -> "bundled in the jar";
            case SOURCE_ENV -> "from " + ENV_FFMPEG + "/" + ENV_FFPROBE;
            case SOURCE_CONFIGURED -> "configured with --ffmpeg/--ffprobe";
            default -> "ffmpeg " + source.replace("+", ", ffprobe ");
        };
    }

    /** "ffmpeg 8.1.2 (bundled in the jar, /root/.javacpp/.../ffmpeg)": which build this is, for summaries and logs. */
    public String describe() {
        return "ffmpeg " + capabilities().versionText() + " (" + sourceDescription() + ", " + ffmpeg + ")";
    }

    private String query(Path binary, String option) {
        ProcessRunner.Result r = ProcessRunner.run(List.of(binary.toString(), "-hide_banner", option), QUERY_TIMEOUT,
                environment);
        if (!r.ok()) {
            throw ProcessRunner.failure(binary.getFileName() + " " + option + " failed for " + binary + " ("
                    + sourceDescription() + ")", r);
        }
        return r.stdoutText();
    }

    /** Names of the encoders this ffmpeg build has (from {@code ffmpeg -encoders}). */
    public Set<String> encoders() {
        return capabilities().encoders();
    }

    public boolean hasEncoder(String name) {
        return capabilities().hasEncoder(name);
    }

    public boolean hasFilter(String name) {
        return capabilities().hasFilter(name);
    }

    /**
     * Throws a {@link MediaException} naming the encoder and what it is needed for when this build lacks it,
     * e.g. {@code requireEncoder("mjpeg", "dataset frames")}.
     */
    public void requireEncoder(String encoder, String neededFor) {
        if (!hasEncoder(encoder)) {
            throw new MediaException("This ffmpeg has no '" + encoder + "' encoder, needed for " + neededFor + ": "
                    + describe());
        }
    }

    @Override
    public String toString() {
        return "FfmpegTools[ffmpeg=" + ffmpeg + ", ffprobe=" + ffprobe + ", source=" + source + "]";
    }

    private record Found(Path path, String source) {
    }

    private static Found resolve(String tool, String configured, String envVar, Map<String, String> env,
                                 String otherConfigured, String otherEnvVar) {
        if (!isBlank(configured)) {
            return isBundled(configured) ? new Found(bundled(tool), SOURCE_BUNDLED)
                    : new Found(checkExecutable(configured, "Configured " + tool + " path", env), SOURCE_CONFIGURED);
        }
        String fromEnv = env.get(envVar);
        if (!isBlank(fromEnv)) {
            return isBundled(fromEnv) ? new Found(bundled(tool), SOURCE_BUNDLED)
                    : new Found(checkExecutable(fromEnv, "Environment variable " + envVar, env), SOURCE_ENV);
        }
        // Only the other tool was given explicitly: prefer its sibling, so ffmpeg and ffprobe come from one build.
        String other = !isBlank(otherConfigured) ? otherConfigured : env.get(otherEnvVar);
        if (isBundled(other)) {
            return new Found(bundled(tool), SOURCE_BUNDLED);
        }
        Found sibling = sibling(tool, otherConfigured, SOURCE_CONFIGURED);
        if (sibling == null) {
            sibling = sibling(tool, env.get(otherEnvVar), SOURCE_ENV);
        }
        if (sibling != null) {
            return sibling;
        }
        Path onPath = searchPath(tool, env.get("PATH"));
        if (onPath != null) {
            return new Found(onPath, SOURCE_PATH);
        }
        return new Found(bundled(tool), SOURCE_BUNDLED);
    }

    private static Found sibling(String tool, String other, String source) {
        if (isBlank(other)) {
            return null;
        }
        try {
            Path dir = Path.of(other.strip()).toAbsolutePath().getParent();
            Path candidate = dir == null ? null : executableIn(dir, tool);
            return candidate == null ? null : new Found(candidate, source);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static Path checkExecutable(String value, String what, Map<String, String> env) {
        String v = value.strip();
        // A bare name such as "ffmpeg" or "ffmpeg-7" means a program on PATH, as it would in a shell.
        if (!v.contains("/") && !v.contains(File.separator) && !Files.exists(Path.of(v))) {
            Path onPath = searchPath(v, env.get("PATH"));
            if (onPath == null) {
                throw new IllegalArgumentException(what + " '" + v + "' is not on PATH");
            }
            return onPath;
        }
        Path p;
        try {
            p = Path.of(value.strip()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(what + " is not a valid path: '" + value + "'", e);
        }
        if (!Files.exists(p)) {
            throw new IllegalArgumentException(what + " does not exist: " + p);
        }
        if (Files.isDirectory(p)) {
            throw new IllegalArgumentException(what + " is a directory, not an executable: " + p);
        }
        if (!Files.isExecutable(p)) {
            throw new IllegalArgumentException(what + " is not executable: " + p);
        }
        return p;
    }

    private static Path searchPath(String tool, String pathVar) {
        if (isBlank(pathVar)) {
            return null;
        }
        for (String dir : pathVar.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            try {
                Path found = executableIn(Path.of(dir), tool);
                if (found != null) {
                    return found;
                }
            } catch (InvalidPathException ignored) {
                // a garbage PATH entry is not our problem
            }
        }
        return null;
    }

    private static Path executableIn(Path dir, String tool) {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        for (String name : windows ? List.of(tool + ".exe", tool) : List.of(tool)) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        return null;
    }

    /**
     * Loader.load extracts the natives (into ~/.javacpp/cache) and returns the executable's path. It also
     * loads the JNI libraries into this JVM, which is where a missing system library shows up first.
     */
    private static Path bundled(String tool) {
        Class<?> cls = "ffmpeg".equals(tool) ? org.bytedeco.ffmpeg.ffmpeg.class : org.bytedeco.ffmpeg.ffprobe.class;
        String path;
        try {
            path = org.bytedeco.javacpp.Loader.load(cls);
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError: nothing else to fall back to
            // The top-level UnsatisfiedLinkError only says "no jniavdevice in java.library.path"; the cause
            // names the system library that is really missing.
            StringBuilder msg = new StringBuilder();
            for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
                msg.append(msg.length() == 0 ? "" : "; caused by: ")
                        .append(Objects.toString(c.getMessage(), c.getClass().getName()));
            }
            String hint = msg.indexOf("cannot open shared object file") >= 0
                    ? ProcessRunner.missingLibraryHint("error while loading shared libraries: " + msg) : null;
            throw new MediaException("No " + tool + " found: not configured, not in $" + envVarFor(tool)
                    + ", not on PATH, and the bundled build could not be loaded on "
                    + org.bytedeco.javacpp.Loader.getPlatform() + ": " + msg + (hint == null ? "" : "\n" + hint), t);
        }
        if (path == null || !Files.isExecutable(Path.of(path))) {
            throw new MediaException("No " + tool + " found: not configured, not in $" + envVarFor(tool)
                    + ", not on PATH, and the bundled build has no " + tool + " for "
                    + org.bytedeco.javacpp.Loader.getPlatform());
        }
        return Path.of(path);
    }

    private static List<String> commandOf(Path tool, List<String> args) {
        List<String> cmd = new ArrayList<>(args.size() + 1);
        cmd.add(tool.toString());
        cmd.addAll(args);
        return cmd;
    }

    /**
     * An ffmpeg that ships its shared libraries beside it (the bundled build, or a copy of it) gets that
     * directory prepended to LD_LIBRARY_PATH. Symlinks are followed, since the libraries sit beside the target.
     */
    static Map<String, String> libraryEnvironment(List<Path> binaries, String inherited) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Map.of();
        }
        Set<String> dirs = new LinkedHashSet<>();
        for (Path binary : binaries) {
            try {
                Path dir = binary.toRealPath().getParent();
                if (dir != null && hasBundledLibs(dir)) {
                    dirs.add(dir.toString());
                }
            } catch (IOException ignored) {
                // checked to exist during resolution; if it vanished since, running it will say so
            }
        }
        if (dirs.isEmpty()) {
            return Map.of();
        }
        String value = String.join(File.pathSeparator, dirs)
                + (isBlank(inherited) ? "" : File.pathSeparator + inherited);
        return Map.of("LD_LIBRARY_PATH", value);
    }

    private static boolean hasBundledLibs(Path dir) throws IOException {
        try (DirectoryStream<Path> libs = Files.newDirectoryStream(dir, "libavutil.so*")) {
            return libs.iterator().hasNext();
        }
    }

    private static String envVarFor(String tool) {
        return "ffmpeg".equals(tool) ? ENV_FFMPEG : ENV_FFPROBE;
    }

    private static boolean isBundled(String value) {
        return value != null && value.strip().equalsIgnoreCase(BUNDLED);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
