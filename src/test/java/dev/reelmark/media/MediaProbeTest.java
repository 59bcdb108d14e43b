package dev.reelmark.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MediaProbeTest {

    /** Shaped like ComfyUI's comment: prompt graph plus UI workflow, with text that breaks naive quoting. */
    static final String COMFY_COMMENT = "{\"prompt\":{\"3\":{\"class_type\":\"KSampler\",\"inputs\":{\"seed\":42,"
            + "\"steps\":20,\"cfg\":7.5}},\"6\":{\"class_type\":\"CLIPTextEncode\",\"inputs\":{\"text\":"
            + "\"a café at night — 夜の東京 🎥, \\\"neon\\\" sign; x=1 #tag \\\\ done\\nsecond line\"}}},"
            + "\"workflow\":{\"last_node_id\":9,\"nodes\":[{\"id\":6,\"type\":\"CLIPTextEncode\","
            + "\"widgets_values\":[\"Ünïcödé ✓\"]}],\"links\":[[1,4,0,3,0,\"MODEL\"]],\"version\":0.4}}";

    static final MediaProbe PROBE = new MediaProbe();
    static final ClipSynth SYNTH = new ClipSynth();

    @TempDir
    static Path dir;

    static Path mp4;
    static Path mkv;
    static Path multiMp4;
    static Path multiMkv;
    static String bigComment;

    @BeforeAll
    static void synthesizeClips() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("title", "Reelmark probe test – ünïcode");
        tags.put("comment", COMFY_COMMENT);
        mp4 = SYNTH.synthesize(ClipSpec.of(320, 180, 24, 2).withVideoCodec("mpeg4").withMetadata(tags),
                dir.resolve("probe.mp4"));

        // Bigger than Linux's 128 KiB per-argument limit, like a large ComfyUI workflow.
        bigComment = "{\"prompt\":{},\"workflow\":{\"nodes\":\"" + "ab=;#\\\\ ".repeat(20_000) + "\"}}";
        mkv = SYNTH.synthesize(ClipSpec.of(160, 120, 10, 1.5).withTag("comment", bigComment),
                dir.resolve("probe.mkv"));

        ClipSpec multi = ClipSpec.small().withAudio(true).withExtraAudioTracks(1).withSubtitle(true)
                .withTag("reelmark_id", "clip-0001");
        multiMp4 = SYNTH.synthesize(multi, dir.resolve("multi.mp4"));
        multiMkv = SYNTH.synthesize(multi, dir.resolve("multi.mkv"));
    }

    @Test
    void probesAnMp4() throws Exception {
        ProbeResult r = PROBE.probe(mp4);

        assertThat(r.path()).isEqualTo(mp4.toAbsolutePath());
        assertThat(r.formatName()).contains("mp4");
        assertThat(r.hasVideo()).isTrue();
        assertThat(r.width()).isEqualTo(320);
        assertThat(r.height()).isEqualTo(180);
        assertThat(r.resolution()).isEqualTo("320x180");
        assertThat(r.videoCodec()).isEqualTo("mpeg4");
        assertThat(r.fps()).isCloseTo(24.0, within(0.01));
        assertThat(r.durationSeconds()).isCloseTo(2.0, within(0.1));
        assertThat(r.frameCount()).isEqualTo(48);
        assertThat(r.pixelFormat()).isEqualTo("yuv420p");
        assertThat(r.sizeBytes()).isEqualTo(Files.size(mp4));
        assertThat(r.bitRate()).isPositive();
        assertThat(r.streams()).extracting(StreamInfo::codecType).containsExactly("video");
        JsonNode raw = new ObjectMapper().readTree(r.rawJson());
        assertThat(raw.path("streams").get(0).path("codec_name").asText()).isEqualTo("mpeg4");
    }

    @Test
    void probesAnMkvWhereFrameCountComesFromPacketCount() {
        ProbeResult r = PROBE.probe(mkv);

        assertThat(r.formatName()).isEqualTo("matroska,webm");
        assertThat(r.resolution()).isEqualTo("160x120");
        assertThat(r.videoCodec()).isEqualTo(SYNTH.defaultVideoCodec().equals("mpeg4") ? "mpeg4" : "h264");
        assertThat(r.fps()).isCloseTo(10.0, within(0.01));
        assertThat(r.durationSeconds()).isCloseTo(1.5, within(0.1));
        assertThat(r.pixelFormat()).isEqualTo("yuv420p");
        // Matroska carries no nb_frames: the count must come from -count_packets.
        assertThat(r.rawJson()).doesNotContain("\"nb_frames\"").contains("\"nb_read_packets\"");
        assertThat(r.frameCount()).isEqualTo(15);
    }

    @Test
    void comfyUiStyleCommentWithUnicodeReadsBackExactly() throws Exception {
        ProbeResult r = PROBE.probe(mp4);

        assertThat(r.comment()).contains(COMFY_COMMENT);
        assertThat(r.tag("TITLE")).contains("Reelmark probe test – ünïcode");
        JsonNode parsed = new ObjectMapper().readTree(r.comment().orElseThrow());
        assertThat(parsed.path("prompt").path("6").path("inputs").path("text").asText())
                .isEqualTo("a café at night — 夜の東京 🎥, \"neon\" sign; x=1 #tag \\ done\nsecond line");
        assertThat(parsed.path("workflow").path("nodes").get(0).path("widgets_values").get(0).asText())
                .isEqualTo("Ünïcödé ✓");
    }

    @Test
    void matroskaTagKeysAreLowercasedAndAHugeCommentSurvives() {
        ProbeResult r = PROBE.probe(mkv);

        // Matroska stores "COMMENT"; callers should not have to care.
        assertThat(r.tags().keySet()).allSatisfy(k -> assertThat(k).isLowerCase());
        assertThat(r.rawJson()).contains("\"COMMENT\"");
        assertThat(bigComment.length()).isGreaterThan(128 * 1024);
        assertThat(r.comment()).contains(bigComment);
    }

    @Test
    void listsVideoTwoAudioAndSubtitleStreams() {
        for (Path clip : new Path[] {multiMp4, multiMkv}) {
            ProbeResult r = PROBE.probe(clip);

            assertThat(r.streams()).as(clip.toString())
                    .extracting(StreamInfo::codecType).containsExactly("video", "audio", "audio", "subtitle");
            assertThat(r.streams()).extracting(StreamInfo::index).containsExactly(0, 1, 2, 3);
            assertThat(r.streams("audio")).extracting(StreamInfo::codecName).containsOnly("aac");
            assertThat(r.streams("subtitle").get(0).codecName())
                    .isEqualTo(clip == multiMp4 ? "mov_text" : "subrip");
            assertThat(r.streams("subtitle").get(0).language()).contains("eng");
            assertThat(r.hasVideo()).isTrue();
        }
        assertThat(PROBE.probe(multiMkv).streams("audio").get(1).tags()).containsEntry("title", "Tone 660 Hz");
    }

    @Test
    void nonStandardTagSurvivesInMp4() {
        assertThat(PROBE.probe(multiMp4).tag("reelmark_id")).contains("clip-0001");
        assertThat(PROBE.probe(multiMkv).tag("reelmark_id")).contains("clip-0001");
    }

    @Test
    void textFileNamedMp4IsRejectedWithFfprobesReason() throws Exception {
        Path fake = Files.writeString(dir.resolve("notes.mp4"), "just some text, not a video\n");

        assertThatThrownBy(() -> PROBE.probe(fake))
                .isInstanceOf(MediaException.class)
                .hasMessageContaining("Not a media file ffprobe can read: " + fake.toAbsolutePath())
                .hasMessageContaining("Invalid data found when processing input");
    }

    @Test
    void missingFileIsRejectedBeforeRunningFfprobe() {
        Path missing = dir.resolve("does-not-exist.mp4");

        assertThatThrownBy(() -> PROBE.probe(missing))
                .isInstanceOf(MediaException.class)
                .hasMessage("Media file does not exist: " + missing.toAbsolutePath());
        assertThatThrownBy(() -> PROBE.probe(dir))
                .isInstanceOf(MediaException.class)
                .hasMessageContaining("directory");
    }

    @Test
    void coverArtIsNotMistakenForTheVideoAndRatesParse() throws Exception {
        String json = "{\"streams\":[{\"index\":0,\"codec_type\":\"video\",\"codec_name\":\"mjpeg\",\"width\":600,"
                + "\"height\":600,\"disposition\":{\"attached_pic\":1}},{\"index\":1,\"codec_type\":\"video\","
                + "\"codec_name\":\"h264\",\"width\":1920,\"height\":1080,\"avg_frame_rate\":\"0/0\","
                + "\"r_frame_rate\":\"30000/1001\",\"color_space\":\"bt709\",\"nb_frames\":\"N/A\","
                + "\"nb_read_packets\":\"300\"}],\"format\":{\"format_name\":\"mov,mp4\",\"duration\":\"N/A\","
                + "\"tags\":{\"Comment\":\"x\",\"comment\":\"y\"}}}";

        ProbeResult r = MediaProbe.parse(Path.of("/v.mp4"), json, 123);

        assertThat(r.videoCodec()).isEqualTo("h264");
        assertThat(r.resolution()).isEqualTo("1920x1080");
        assertThat(r.fps()).isCloseTo(29.97, within(0.001));
        assertThat(r.colorSpace()).isEqualTo("bt709");
        assertThat(r.frameCount()).isEqualTo(300);
        assertThat(r.sizeBytes()).isEqualTo(123);
        assertThat(r.durationSeconds()).isZero();
        assertThat(r.comment()).contains("x");
        assertThat(MediaProbe.rate("0/0")).isZero();
        assertThat(MediaProbe.rate("25")).isEqualTo(25.0);
    }
}
