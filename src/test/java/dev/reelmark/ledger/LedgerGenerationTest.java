package dev.reelmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.reelmark.json.Json;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaProbe;
import dev.reelmark.media.ProbeResult;
import dev.reelmark.media.ProcessRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** generateAndStore's life cycle (generating → ready | failed) with the real generators. */
class LedgerGenerationTest {
    @TempDir
    Path dir;

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) server.stop(0);
    }

    private Path data() {
        return dir.resolve("data");
    }

    private LedgerService ledger(VideoGenerator generator) {
        return new LedgerService(LedgerStore.at(data().resolve("generated-videos.json")), generator, null, data());
    }

    /** Wraps a generator to record what the ledger said about the entry while it ran. */
    static final class Watching implements VideoGenerator {
        final VideoGenerator inner;
        final List<LedgerStatus> seen = new CopyOnWriteArrayList<>();
        LedgerService ledger;

        Watching(VideoGenerator inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public Path generate(Request request) throws Exception {
            seen.add(ledger.get(request.key()).status());
            return inner.generate(request);
        }
    }

    @Test
    void aTitleCardShowsThePromptInItsFramesAndTags() throws Exception {
        TitleCardGenerator cards = new TitleCardGenerator(FfmpegTools::defaults, data().resolve("generated"));
        assertThat(cards.drawsText()).isTrue();
        Watching watching = new Watching(cards);
        LedgerService ledger = ledger(watching);
        watching.ledger = ledger;

        String prompt = "A lighthouse at dusk, fog rolling in over the 1920s harbor";
        LedgerEntry entry = ledger.generateAndStore(new EntryKey("harbor-01", "1920s"), prompt);

        assertThat(watching.seen).containsExactly(LedgerStatus.GENERATING);
        assertThat(entry.status()).isEqualTo(LedgerStatus.READY);
        assertThat(entry.localPath()).startsWith("generated/harbor-01__1920s-").endsWith(".mp4");
        assertThat(entry.completedAt()).isNotNull();
        assertThat(entry.error()).isNull();
        assertThat(ledger.get(entry.key())).isEqualTo(entry);

        Path video = data().resolve(entry.localPath());
        ProbeResult probe = new MediaProbe().probe(video);
        assertThat(probe.durationSeconds()).isBetween(1.9, 2.2);
        assertThat(probe.resolution()).isEqualTo("640x360");
        assertThat(probe.comment()).contains(prompt);
        assertThat(probe.tag("title")).contains(prompt);

        // The frames show text: bright glyph pixels on the dark card, more for a longer prompt, different per prompt.
        byte[] frame = firstFrameGray(video);
        LedgerEntry shortOne = ledger.generateAndStore(new EntryKey("harbor-01", "1930s"), "I");
        byte[] shortFrame = firstFrameGray(data().resolve(shortOne.localPath()));
        int textPixels = brightPixels(frame, 40, 300);
        int shortTextPixels = brightPixels(shortFrame, 40, 300);
        assertThat(shortTextPixels).isGreaterThan(0);
        assertThat(textPixels).isGreaterThan(shortTextPixels * 10);
        assertThat(brightPixels(frame, 320, 360)).as("the keys in small print at the bottom").isGreaterThan(50);
    }

    @Test
    void aConfiguredFontAtAPathWithQuotesCommasBracketsAndColonsIsUsed() throws Exception {
        Path font = dir.resolve("fonts/it's, [odd]: here;/font.ttf");
        Files.createDirectories(font.getParent());
        try (var in = TitleCardGenerator.class.getResourceAsStream(TitleCardGenerator.BUILTIN_FONT)) {
            assertThat(in).as("the font shipped in the jar").isNotNull();
            Files.copy(in, font);
        }
        TitleCardGenerator cards = new TitleCardGenerator(FfmpegTools::defaults, data().resolve("generated"),
                TitleCardGenerator.Mode.AUTO, font);
        LedgerEntry entry = ledger(cards).generateAndStore(new EntryKey("a", "b"), "50% off: 'quotes', {braces} & %{pts}");
        assertThat(entry.status()).as(String.valueOf(entry.error())).isEqualTo(LedgerStatus.READY);
        assertThat(brightPixels(firstFrameGray(data().resolve(entry.localPath())), 40, 300)).isGreaterThan(200);

        Files.writeString(font, "not a font");
        LedgerEntry broken = ledger(new TitleCardGenerator(FfmpegTools::defaults, data().resolve("generated"),
                TitleCardGenerator.Mode.AUTO, font)).generateAndStore(new EntryKey("a", "c"), "p");
        assertThat(broken.status()).isEqualTo(LedgerStatus.FAILED);
        assertThat(broken.error()).contains("not a TrueType font").contains(font.toString());
    }

    @Test
    void withoutDrawtextTheCardIsATestPatternCarryingThePromptInItsTags() throws Exception {
        LedgerService ledger = ledger(new TitleCardGenerator(FfmpegTools::defaults, data().resolve("generated"),
                TitleCardGenerator.Mode.METADATA_ONLY, null));
        LedgerEntry entry = ledger.generateAndStore(new EntryKey("spot 7", "Ära · 東京"), "Rain on neon signs");
        assertThat(entry.status()).isEqualTo(LedgerStatus.READY);
        ProbeResult probe = new MediaProbe().probe(data().resolve(entry.localPath()));
        assertThat(probe.comment()).contains("Rain on neon signs");
        assertThat(probe.tag("title")).contains("Rain on neon signs");
        assertThat(Path.of(entry.localPath()).getFileName().toString()).matches("spot_7__.+-[0-9a-f]{8}\\.mp4");
    }

    @Test
    void aFailingGeneratorLeavesTheEntryFailedWithTheError() {
        Watching watching = new Watching(new VideoGenerator() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Path generate(Request request) throws IOException {
                throw new IOException("model server returned CUDA out of memory");
            }
        });
        LedgerService ledger = ledger(watching);
        watching.ledger = ledger;
        EntryKey key = new EntryKey("harbor-01", "1920s");
        ledger.put(key, new LedgerService.EntryInput("old prompt", LedgerStatus.READY, "generated/old.mp4", null));
        LedgerEntry before = ledger.get(key);

        LedgerEntry entry = ledger.generateAndStore(key, "new prompt");
        assertThat(watching.seen).containsExactly(LedgerStatus.GENERATING);
        assertThat(entry.status()).isEqualTo(LedgerStatus.FAILED);
        assertThat(entry.error()).isEqualTo("model server returned CUDA out of memory");
        assertThat(entry.prompt()).isEqualTo("new prompt");
        assertThat(entry.localPath()).isNull();
        assertThat(entry.createdAt()).isEqualTo(before.createdAt());
        assertThat(entry.completedAt()).isNotNull();
    }

    @Test
    void aTitleCardTextIsWrapped() {
        assertThat(TitleCardGenerator.wrap("one two three")).isEqualTo("one two three");
        String wrapped = TitleCardGenerator.wrap("word ".repeat(100));
        assertThat(wrapped.lines()).hasSize(TitleCardGenerator.MAX_LINES).allMatch(l -> l.length() <= TitleCardGenerator.LINE_CHARS);
        assertThat(wrapped).endsWith("...");
    }

    // ---- the external HTTP generator, against a real HTTP server on 127.0.0.1 ----

    private final List<JsonNode> received = new CopyOnWriteArrayList<>();

    private URI serve(int status, String contentType, byte[] body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/generate", exchange -> {
            received.add(Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
            if (contentType != null) exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/generate");
    }

    private HttpGenerator http(URI url) {
        return new HttpGenerator(url, data().resolve("generated"), data(), Duration.ofSeconds(30));
    }

    @Test
    void anHttpServiceAnsweringWithALocalPathIsRecordedAsReady() throws Exception {
        Path made = new ClipSynth().synthesize(ClipSpec.small().withVideoCodec("mpeg4"), data().resolve("renders/harbor.mp4"));
        URI url = serve(200, "application/json", "{\"localPath\": \"renders/harbor.mp4\", \"seconds\": 12}".getBytes(StandardCharsets.UTF_8));
        LedgerService ledger = ledger(http(url));
        LedgerEntry entry = ledger.generateAndStore(new EntryKey("harbor-01", "1920s"), "A harbor at dawn");

        assertThat(entry.status()).as(String.valueOf(entry.error())).isEqualTo(LedgerStatus.READY);
        assertThat(entry.localPath()).isEqualTo("renders/harbor.mp4");
        assertThat(data().resolve(entry.localPath())).isEqualTo(made);
        assertThat(received).singleElement().satisfies(body -> {
            assertThat(body.get("prompt").asText()).isEqualTo("A harbor at dawn");
            assertThat(body.get("spotId").asText()).isEqualTo("harbor-01");
            assertThat(body.get("eraId").asText()).isEqualTo("1920s");
        });
    }

    @Test
    void anHttpServiceAnsweringWithTheVideoItselfHasItSavedUnderGenerated() throws Exception {
        Path clip = new ClipSynth().synthesize(ClipSpec.small().withVideoCodec("mpeg4"), dir.resolve("elsewhere/clip.mp4"));
        byte[] bytes = Files.readAllBytes(clip);
        URI url = serve(200, "video/mp4", bytes);
        LedgerService ledger = ledger(http(url));
        LedgerEntry entry = ledger.generateAndStore(new EntryKey("harbor-01", "1920s"), "A harbor at dawn");

        assertThat(entry.status()).as(String.valueOf(entry.error())).isEqualTo(LedgerStatus.READY);
        assertThat(entry.localPath()).startsWith("generated/harbor-01__1920s-").endsWith(".mp4");
        assertThat(Files.readAllBytes(data().resolve(entry.localPath()))).isEqualTo(bytes);
        assertThat(new MediaProbe().probe(data().resolve(entry.localPath())).videoCodec()).isEqualTo("mpeg4");
    }

    @Test
    void anHttpServiceErrorOrNonsenseAnswerIsRecordedAsFailedWithItsMessage() throws Exception {
        URI url = serve(503, "application/json", "{\"error\": \"queue full, retry later\"}".getBytes(StandardCharsets.UTF_8));
        LedgerEntry entry = ledger(http(url)).generateAndStore(new EntryKey("a", "b"), "p");
        assertThat(entry.status()).isEqualTo(LedgerStatus.FAILED);
        assertThat(entry.error()).contains("answered 503").contains("queue full, retry later");
        server.stop(0);

        url = serve(200, "application/json", "{\"localPath\": \"nowhere/missing.mp4\"}".getBytes(StandardCharsets.UTF_8));
        entry = ledger(http(url)).generateAndStore(new EntryKey("a", "b"), "p");
        assertThat(entry.error()).contains("no file at");
        server.stop(0);

        url = serve(200, "text/html", "<html>hi</html>".getBytes(StandardCharsets.UTF_8));
        entry = ledger(http(url)).generateAndStore(new EntryKey("a", "b"), "p");
        assertThat(entry.error()).contains("text/html");
        server.stop(0);

        URI closed = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/generate");
        entry = ledger(http(closed)).generateAndStore(new EntryKey("a", "b"), "p");
        assertThat(entry.status()).isEqualTo(LedgerStatus.FAILED);
        assertThat(entry.error()).contains("could not be reached");
    }

    @Test
    void theHttpGeneratorSendsTheConfiguredKeyNames() throws Exception {
        URI url = serve(500, null, new byte[0]);
        LedgerService ledger = new LedgerService(new LedgerStore(data().resolve("ledger.json"), new LedgerKeys("shotId", "take")),
                http(url), null, data());
        LedgerEntry entry = ledger.generateAndStore(ledger.key("shot-7", "3"), "Close-up");
        assertThat(entry.error()).contains("answered 500").contains("(no body)");
        assertThat(received.get(0).get("shotId").asText()).isEqualTo("shot-7");
        assertThat(received.get(0).get("take").asText()).isEqualTo("3");
    }

    // ---- helpers ----

    private static byte[] firstFrameGray(Path video) {
        ProcessRunner.Result r = FfmpegTools.defaults().runFfmpeg(new ArrayList<>(List.of("-v", "error", "-i", video.toString(),
                "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-")), Duration.ofSeconds(60));
        assertThat(r.ok()).as(r.stderr()).isTrue();
        assertThat(r.stdout()).hasSize(TitleCardGenerator.WIDTH * TitleCardGenerator.HEIGHT);
        return r.stdout();
    }

    /** Pixels brighter than the card's background in rows [fromRow, toRow). */
    private static int brightPixels(byte[] gray, int fromRow, int toRow) {
        int count = 0;
        for (int y = fromRow; y < toRow; y++) {
            for (int x = 0; x < TitleCardGenerator.WIDTH; x++) {
                if ((gray[y * TitleCardGenerator.WIDTH + x] & 0xff) > 100) count++;
            }
        }
        return count;
    }
}
