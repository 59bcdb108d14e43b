package dev.reelmark.ledger;

import dev.reelmark.media.AtomicOutput;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaException;
import dev.reelmark.media.ProcessRunner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A real, local "generator" for studios without a model at hand (and for the demo and the tests): ffmpeg renders a
 * short MP4 title card whose frames show the prompt (the {@code drawtext} filter with a TrueType font), with the
 * keys in small print below. The prompt is also stored in the container's {@code title} and {@code comment} tags.
 * When this ffmpeg has no {@code drawtext} (it needs libfreetype) or no font file is found, it falls back to a
 * test-pattern clip that carries the prompt only in those tags.
 *
 * <p>Files go to {@code <output dir>/<spot>__<era>-<hash>.mp4} (see {@link VideoGenerator#fileNameFor}); the data
 * directory's {@code generated/} is the usual output dir. A font can be chosen with the constructor or
 * {@code REELMARK_FONT}; otherwise common system fonts (DejaVu Sans, Liberation Sans, Arial, ...) are tried.
 */
public final class TitleCardGenerator implements VideoGenerator {
    public static final String ENV_FONT = "REELMARK_FONT";
    static final int WIDTH = 640;
    static final int HEIGHT = 360;
    static final int FPS = 24;
    static final double SECONDS = 2;
    static final int LINE_CHARS = 36;
    static final int MAX_LINES = 7;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> FONT_CANDIDATES = List.of(
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/TTF/DejaVuSans.ttf",
            "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
            "/usr/share/fonts/liberation/LiberationSans-Regular.ttf",
            "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
            "/Library/Fonts/Arial.ttf",
            "/System/Library/Fonts/Supplemental/Arial.ttf",
            "C:\\Windows\\Fonts\\arial.ttf");
    private static final List<Path> FONT_DIRS = List.of(Path.of("/usr/share/fonts"), Path.of("/usr/local/share/fonts"),
            Path.of("/Library/Fonts"), Path.of("/System/Library/Fonts"));

    /** How to draw the card. */
    public enum Mode {
        /** drawtext when this ffmpeg has it and a font is found, else the tagged test pattern. */
        AUTO,
        /** Always the tagged test pattern (the prompt only in the container tags). */
        METADATA_ONLY
    }

    private final Supplier<FfmpegTools> tools;
    private final Path outputDir;
    private final Mode mode;
    private final Path configuredFont;
    private volatile Boolean drawtext;

    /** AUTO mode, the font from REELMARK_FONT or the system. */
    public TitleCardGenerator(Supplier<FfmpegTools> tools, Path outputDir) {
        this(tools, outputDir, Mode.AUTO, null);
    }

    /** {@code font} may be null (REELMARK_FONT, then common system fonts). */
    public TitleCardGenerator(Supplier<FfmpegTools> tools, Path outputDir, Mode mode, Path font) {
        this.tools = tools;
        this.outputDir = outputDir.toAbsolutePath().normalize();
        this.mode = mode;
        if (font != null && !Files.isRegularFile(font)) throw new IllegalArgumentException("no font file at " + font);
        this.configuredFont = font;
    }

    @Override
    public String name() {
        return "title-card";
    }

    public Path outputDir() {
        return outputDir;
    }

    /** Whether cards show the prompt in their frames (drawtext available and a font found), not only in tags. */
    public boolean drawsText() {
        return mode == Mode.AUTO && hasDrawtext() && font() != null;
    }

    @Override
    public Path generate(Request request) throws IOException {
        Path target = outputDir.resolve(VideoGenerator.fileNameFor(request.key(), "mp4"));
        String title = request.prompt().length() > 200 ? request.prompt().substring(0, 197) + "..." : request.prompt();
        if (!drawsText()) {
            ClipSpec spec = ClipSpec.of(WIDTH, HEIGHT, FPS, SECONDS).withPattern(ClipSpec.Pattern.TESTSRC2)
                    .withTag("title", title).withTag("comment", request.prompt());
            return new ClipSynth(tools.get(), TIMEOUT).synthesize(spec, target);
        }
        FfmpegTools ffmpeg = tools.get();
        Path promptFile = Files.createTempFile("reelmark-card-", ".txt");
        Path keysFile = Files.createTempFile("reelmark-card-", ".txt");
        try (AtomicOutput out = AtomicOutput.create(target)) {
            Files.writeString(promptFile, wrap(request.prompt()), StandardCharsets.UTF_8);
            Files.writeString(keysFile, request.keyNames().first() + " " + request.key().spotId() + "  ·  "
                    + request.keyNames().second() + " " + request.key().eraId(), StandardCharsets.UTF_8);
            String font = font().toString();
            String filter = drawtext(font, promptFile, 26, "(w-text_w)/2", "(h-text_h)/2", "white")
                    + "," + drawtext(font, keysFile, 14, "(w-text_w)/2", "h-text_h-18", "0x9aa4b8");
            List<String> args = new ArrayList<>(List.of("-nostdin", "-hide_banner", "-v", "error", "-y",
                    "-f", "lavfi", "-i", "color=c=0x1b2230:s=" + WIDTH + "x" + HEIGHT + ":r=" + FPS + ":d=" + (int) SECONDS,
                    "-vf", filter,
                    "-c:v", new ClipSynth(ffmpeg).defaultVideoCodec(), "-pix_fmt", "yuv420p",
                    "-metadata", "title=" + title, "-metadata", "comment=" + request.prompt(),
                    "-movflags", "+faststart", "-t", String.valueOf((int) SECONDS), "-f", "mp4", out.temp().toString()));
            ProcessRunner.Result r = ffmpeg.runFfmpeg(args, TIMEOUT);
            if (!r.ok()) throw ProcessRunner.failure("ffmpeg could not render the title card " + target, r);
            return out.commit();
        } finally {
            Files.deleteIfExists(promptFile);
            Files.deleteIfExists(keysFile);
        }
    }

    private static String drawtext(String font, Path textFile, int size, String x, String y, String color) {
        return "drawtext=fontfile=" + filterValue(font) + ":textfile=" + filterValue(textFile.toString())
                + ":expansion=none:fontcolor=" + color + ":fontsize=" + size + ":line_spacing=6:text_align=M+C"
                + ":x=" + x + ":y=" + y;
    }

    /**
     * Escapes a value for a filter option inside a filtergraph: first for the option parser ({@code \ ' :}), then
     * for the graph parser ({@code \ ' [ ] , ;}).
     */
    static String filterValue(String raw) {
        String level1 = raw.replace("\\", "\\\\").replace("'", "\\'").replace(":", "\\:");
        StringBuilder sb = new StringBuilder();
        for (char c : level1.toCharArray()) {
            if ("\\'[],;".indexOf(c) >= 0) sb.append('\\');
            sb.append(c);
        }
        return sb.toString();
    }

    /** The prompt in lines of at most {@value #LINE_CHARS} characters, at most {@value #MAX_LINES} lines. */
    static String wrap(String prompt) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : prompt.strip().split("\\R")) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.strip().split("\\s+")) {
                while (word.length() > LINE_CHARS) {
                    if (line.length() > 0) {
                        lines.add(line.toString());
                        line.setLength(0);
                    }
                    lines.add(word.substring(0, LINE_CHARS));
                    word = word.substring(LINE_CHARS);
                }
                if (line.length() > 0 && line.length() + 1 + word.length() > LINE_CHARS) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                if (line.length() > 0) line.append(' ');
                line.append(word);
            }
            lines.add(line.toString());
        }
        if (lines.size() > MAX_LINES) {
            List<String> kept = new ArrayList<>(lines.subList(0, MAX_LINES));
            String last = kept.get(MAX_LINES - 1);
            kept.set(MAX_LINES - 1, (last.length() > LINE_CHARS - 3 ? last.substring(0, LINE_CHARS - 3) : last) + "...");
            lines = kept;
        }
        return String.join("\n", lines);
    }

    private boolean hasDrawtext() {
        Boolean d = drawtext;
        if (d == null) {
            try {
                ProcessRunner.Result r = tools.get().runFfmpeg(List.of("-hide_banner", "-filters"), Duration.ofSeconds(30));
                d = r.ok() && parseFilters(r.stdoutText()).contains("drawtext");
            } catch (MediaException e) {
                d = false;
            }
            drawtext = d;
        }
        return d;
    }

    /** Filter names from {@code ffmpeg -filters}: lines after the "------" legend separator, name second. */
    static Set<String> parseFilters(String listing) {
        Set<String> names = new LinkedHashSet<>();
        boolean past = false;
        for (String line : listing.split("\\R")) {
            String t = line.strip();
            if (!past) {
                past = t.startsWith("---");
                continue;
            }
            String[] parts = t.split("\\s+");
            if (parts.length >= 3 && parts[2].contains("->")) names.add(parts[1]);
        }
        return names;
    }

    /** The font file to draw with, or null. */
    Path font() {
        if (configuredFont != null) return configuredFont;
        String env = System.getenv(ENV_FONT);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env.strip());
            if (!Files.isRegularFile(p)) throw new IllegalStateException(ENV_FONT + " names no font file: " + p);
            return p;
        }
        return SystemFont.FOUND;
    }

    /** Looked up once per JVM. */
    private static final class SystemFont {
        static final Path FOUND = find();

        private static Path find() {
            for (String candidate : FONT_CANDIDATES) {
                Path p = Path.of(candidate);
                if (Files.isRegularFile(p)) return p;
            }
            for (Path dir : FONT_DIRS) {
                if (!Files.isDirectory(dir)) continue;
                try (Stream<Path> files = Files.walk(dir, 4)) {
                    var found = files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".ttf"))
                            .min(Comparator.comparing(Path::toString));
                    if (found.isPresent()) return found.get();
                } catch (IOException | RuntimeException ignored) {
                    // keep looking
                }
            }
            return null;
        }
    }
}
