package dev.reelmark.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClipSynthTest {

    static final ClipSynth SYNTH = new ClipSynth();
    static final MediaProbe PROBE = new MediaProbe();

    @TempDir
    Path dir;

    @Test
    void defaultsAreEncodersThisFfmpegHas() {
        FfmpegTools tools = FfmpegTools.defaults();

        assertThat(SYNTH.defaultVideoCodec()).isIn(ClipSynth.VIDEO_CODEC_PREFERENCE);
        assertThat(tools.hasEncoder(SYNTH.defaultVideoCodec())).isTrue();
        assertThat(SYNTH.defaultAudioCodec()).isEqualTo("aac");
        if ("bundled".equals(tools.source())) {
            assertThat(SYNTH.defaultVideoCodec()).isEqualTo("libopenh264"); // the bundled build has no libx264
        }
    }

    @Test
    void eachSupportedCodecAndContainerProducesThatCodec() {
        // Whatever this build is, it must make H.264 (libx264 or libopenh264) and at least one other codec.
        Map<String, String> available = SYNTH.availableVideoCodecs();
        assertThat(available).as("video codecs of " + FfmpegTools.defaults().describe())
                .containsKey("h264").hasSizeGreaterThanOrEqualTo(2);
        // Every encoder the build has for a codec Reelmark uses, not only the preferred one.
        List<String> encoders = ClipSynth.VIDEO_ENCODERS.values().stream().flatMap(List::stream)
                .filter(FfmpegTools.defaults()::hasEncoder).toList();
        assertThat(encoders).containsAll(available.values());
        for (String encoder : encoders) {
            Path out = SYNTH.synthesize(ClipSpec.of(96, 64, 8, 0.5).withVideoCodec(encoder), dir.resolve(encoder + ".mkv"));
            ProbeResult r = PROBE.probe(out);
            assertThat(r.videoCodec()).as(encoder).isEqualTo(ClipSynth.codecOf(encoder));
            assertThat(r.resolution()).as(encoder).isEqualTo("96x64");
            assertThat(r.frameCount()).as(encoder).isEqualTo(4);
        }
        // The H.264 a build makes is the one the probe reads back as h264, whichever encoder it has.
        assertThat(SYNTH.requireEncoderFor("h264")).isIn("libx264", "libopenh264").isEqualTo(available.get("h264"));
        assertThat(SYNTH.defaultVideoCodec()).isEqualTo(available.get("h264"));
        assertThatThrownBy(() -> SYNTH.encoderFor("theora-ish")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("h264");

        ProbeResult mov = PROBE.probe(SYNTH.synthesize(ClipSpec.of(96, 64, 8, 0.5), dir.resolve("clip.mov")));
        assertThat(mov.formatName()).contains("mov");
        assertThat(mov.tags().get("major_brand")).isEqualTo("qt  "); // a four-character code, space-padded
    }

    @Test
    void everyPatternRenders() {
        for (ClipSpec.Pattern p : ClipSpec.Pattern.values()) {
            Path out = SYNTH.synthesize(ClipSpec.of(64, 48, 5, 0.4).withPattern(p), dir.resolve(p + ".mp4"));
            ProbeResult r = PROBE.probe(out);
            assertThat(r.frameCount()).as(p.name()).isEqualTo(2);
            assertThat(r.durationSeconds()).as(p.name()).isLessThan(1.0);
        }
    }

    @Test
    void fractionalRateAndDurationAreWrittenLocaleIndependently() {
        Path out = SYNTH.synthesize(ClipSpec.of(64, 48, 12.5, 0.8), dir.resolve("frac.mp4"));

        ProbeResult r = PROBE.probe(out);
        assertThat(r.fps()).isEqualTo(12.5);
        assertThat(r.frameCount()).isEqualTo(10);
        assertThat(ClipSynth.num(1.5)).isEqualTo("1.5");
        assertThat(ClipSynth.num(2.0)).isEqualTo("2");
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTempFiles() throws Exception {
        Path out = Files.writeString(dir.resolve("clip.mp4"), "stale");

        SYNTH.synthesize(ClipSpec.small(), out);

        assertThat(PROBE.probe(out).resolution()).isEqualTo("320x180");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(out);
        }
    }

    @Test
    void ffmpegFailureIsReportedWithItsReasonAndLeavesNothing() throws Exception {
        Path out = dir.resolve("sub/bad.mkv");

        assertThatThrownBy(() -> SYNTH.synthesize(ClipSpec.small().withVideoCodec("no_such_encoder"), out))
                .isInstanceOf(MediaException.class)
                .hasMessageContaining("could not synthesize")
                .hasMessageContaining("has no 'no_such_encoder' encoder")
                .hasMessageContaining(FfmpegTools.defaults().ffmpeg().toString());
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void rejectsBadSpecsAndUnknownContainers() {
        assertThatThrownBy(() -> SYNTH.synthesize(ClipSpec.small(), dir.resolve("clip.avi")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".mp4, .mkv or .mov");
        assertThatThrownBy(() -> ClipSpec.of(0, 10, 24, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClipSpec.of(64, 48, 24, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClipSpec.small().withTag("bad key=", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ClipSpec.small().withExtraAudioTracks(2).audioTrackCount()).isEqualTo(3);
    }

    @Test
    void ffmetadataEscapingAndSubtitleCues() {
        assertThat(ClipSynth.escapeFfmetadata("a=b;c#d\\e\nf")).isEqualTo("a\\=b\\;c\\#d\\\\e\\\nf");
        assertThat(ClipSynth.srt(2.0)).startsWith("1\n00:00:00,000 --> 00:00:00,800\nReelmark test subtitle 1\n\n2\n");
        assertThat(ClipSynth.srt(0.5)).contains("00:00:00,000 --> 00:00:00,400");
    }
}
