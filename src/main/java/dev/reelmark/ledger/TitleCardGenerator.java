package dev.reelmark.ledger;

import dev.reelmark.media.AtomicOutput;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.ProcessRunner;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A real, local "generator" for studios without a model at hand (and for the demo and the tests): a short MP4 title
 * card whose frames show the prompt, with the keys in small print below. The card is drawn in Java with the DejaVu
 * Sans font shipped in the jar (or {@code REELMARK_FONT}, or the constructor's font) and encoded by ffmpeg from that
 * one still image, so it needs no {@code drawtext} filter, no font on the machine and nothing else a particular
 * ffmpeg build may lack; a glyph the font has not (e.g. CJK) is drawn with the JDK's own sans-serif font. The prompt
 * is also stored in the container's {@code title} and {@code comment} tags.
 *
 * <p>Files go to {@code <output dir>/<spot>__<era>-<hash>.mp4} (see {@link VideoGenerator#fileNameFor}); the data
 * directory's {@code generated/} is the usual output dir.
 */
public final class TitleCardGenerator implements VideoGenerator {
    public static final String ENV_FONT = "REELMARK_FONT";
    /** The font in the jar, with its licence beside it ({@code fonts/DejaVuSans-LICENSE.txt}). */
    static final String BUILTIN_FONT = "/fonts/DejaVuSans.ttf";
    static final int WIDTH = 640;
    static final int HEIGHT = 360;
    static final int FPS = 24;
    static final double SECONDS = 2;
    static final int LINE_CHARS = 36;
    static final int MAX_LINES = 7;
    static final Color BACKGROUND = new Color(0x1b2230);
    private static final Color KEYS_COLOR = new Color(0x9aa4b8);
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** How to draw the card. */
    public enum Mode {
        /** The prompt drawn in the frames (and in the tags). */
        AUTO,
        /** A tagged test pattern: the prompt only in the container tags. */
        METADATA_ONLY
    }

    private final Supplier<FfmpegTools> tools;
    private final Path outputDir;
    private final Mode mode;
    private final Path configuredFont;

    /** AUTO mode, the font from REELMARK_FONT or the one in the jar. */
    public TitleCardGenerator(Supplier<FfmpegTools> tools, Path outputDir) {
        this(tools, outputDir, Mode.AUTO, null);
    }

    /** {@code font} may be null (REELMARK_FONT, then the font in the jar). */
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

    /** Whether cards show the prompt in their frames, not only in tags: always, unless METADATA_ONLY. */
    public boolean drawsText() {
        return mode == Mode.AUTO;
    }

    @Override
    public Path generate(Request request) throws IOException {
        Path target = outputDir.resolve(VideoGenerator.fileNameFor(request.key(), "mp4"));
        String title = request.prompt().length() > 200 ? request.prompt().substring(0, 197) + "..." : request.prompt();
        FfmpegTools ffmpeg = tools.get();
        if (!drawsText()) {
            ClipSpec spec = ClipSpec.of(WIDTH, HEIGHT, FPS, SECONDS).withPattern(ClipSpec.Pattern.TESTSRC2)
                    .withTag("title", title).withTag("comment", request.prompt());
            return new ClipSynth(ffmpeg, TIMEOUT).synthesize(spec, target);
        }
        BufferedImage card = render(wrap(request.prompt()), request.keyNames().first() + " " + request.key().spotId()
                + "  ·  " + request.keyNames().second() + " " + request.key().eraId(), font());
        Path still = Files.createTempFile("reelmark-card-", ".png");
        try (AtomicOutput out = AtomicOutput.create(target)) {
            if (!ImageIO.write(card, "png", still.toFile())) throw new IOException("no PNG writer in this JDK");
            List<String> args = new ArrayList<>(List.of("-nostdin", "-hide_banner", "-v", "error", "-y",
                    "-loop", "1", "-framerate", String.valueOf(FPS), "-i", still.toString(),
                    "-c:v", new ClipSynth(ffmpeg).defaultVideoCodec(), "-pix_fmt", "yuv420p",
                    "-metadata", "title=" + title, "-metadata", "comment=" + request.prompt(),
                    "-movflags", "+faststart", "-t", String.valueOf((int) SECONDS), "-f", "mp4", out.temp().toString()));
            ProcessRunner.Result r = ffmpeg.runFfmpeg(args, TIMEOUT);
            if (!r.ok()) throw ProcessRunner.failure("ffmpeg could not render the title card " + target, r);
            return dev.reelmark.media.FileModes.asNewFile(out.commit());
        } finally {
            Files.deleteIfExists(still);
        }
    }

    /** The card: the prompt's lines centred in white, the keys in small grey print at the bottom. */
    static BufferedImage render(String promptLines, String keys, Font font) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            List<String> lines = promptLines.lines().toList();
            Font big = font.deriveFont(26f);
            FontMetrics m = g.getFontMetrics(big);
            int lineHeight = m.getHeight() + 6;
            int top = (HEIGHT - lineHeight * lines.size()) / 2;
            g.setColor(Color.WHITE);
            for (int i = 0; i < lines.size(); i++) {
                drawCentred(g, lines.get(i), big, top + i * lineHeight + m.getAscent());
            }
            g.setColor(KEYS_COLOR);
            Font small = font.deriveFont(14f);
            drawCentred(g, keys, small, HEIGHT - 18 - g.getFontMetrics(small).getDescent());
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void drawCentred(Graphics2D g, String text, Font font, int baseline) {
        // The JDK's logical sans-serif font falls back across the system's fonts for glyphs ours has not.
        Font f = font.canDisplayUpTo(text) == -1 ? font : new Font(Font.SANS_SERIF, Font.PLAIN, font.getSize());
        g.setFont(f);
        int width = g.getFontMetrics(f).stringWidth(text);
        g.drawString(text, Math.max(0, (WIDTH - width) / 2), baseline);
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

    /** The font to draw with: the configured one, REELMARK_FONT, else DejaVu Sans from the jar. */
    Font font() throws IOException {
        Path file = configuredFont;
        String env = System.getenv(ENV_FONT);
        if (file == null && env != null && !env.isBlank()) {
            file = Path.of(env.strip());
            if (!Files.isRegularFile(file)) throw new IllegalStateException(ENV_FONT + " names no font file: " + file);
        }
        try {
            if (file != null) return Font.createFont(Font.TRUETYPE_FONT, file.toFile());
            return BuiltinFont.get();
        } catch (FontFormatException e) {
            throw new IOException("not a TrueType font: " + (file != null ? file : BUILTIN_FONT), e);
        }
    }

    /** Read from the jar once per JVM. */
    private static final class BuiltinFont {
        private static Font font;

        static synchronized Font get() throws IOException, FontFormatException {
            if (font == null) {
                try (InputStream in = TitleCardGenerator.class.getResourceAsStream(BUILTIN_FONT)) {
                    if (in == null) throw new IOException("the font " + BUILTIN_FONT + " is missing from the jar");
                    font = Font.createFont(Font.TRUETYPE_FONT, in);
                }
            }
            return font;
        }
    }
}
