package dev.reelmark.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Mp4Probe against ffprobe itself, on real files made by two muxers: ffmpeg (moov at the end and at the front,
 * fragmented, MOV with a timecode track, 23.976 and 29.97 fps, audio only, no audio, mdta keys) and GStreamer's
 * mp4mux/qtmux. Every field the probe cache reads, and ffprobe's own per-stream fields (codec, size, pixel format,
 * rates as rationals, sample rate, channels, bit rate, frame count, duration, tags), must be equal; where the Java
 * reader is not sure it must decline, and then the cache asks ffprobe. No database: runs once.
 */
class Mp4ProbeTest {
    static final FfmpegTools TOOLS = FfmpegTools.defaults();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String COMMENT = "{\"prompt\":{\"3\":{\"class_type\":\"KSampler\",\"inputs\":{\"seed\":42}}},"
            + "\"text\":\"a café at night — 夜の東京 🎥, \\\"neon\\\"\\nsecond line\"}";

    @TempDir
    static Path dir;
    static String h264;
    /** ffprobe before 8 prints vendor_id on ISO files too (the probe cache decides the same way). */
    static final boolean BEFORE_FFPROBE_8 = !TOOLS.capabilities().release().atLeast(new FfmpegCapabilities.Release(8, 0));

    static Path plain, faststart, fragmented, mov, film, ntscNoAudio, audioOnly, mdta, mkv;
    static Path gstMp4, gstMov, gstFaststart, gstAudio, gstFragmented;

    @BeforeAll
    static void makeFiles() {
        h264 = new ClipSynth(TOOLS).defaultVideoCodec();
        List<String> av = List.of("-f", "lavfi", "-i", "testsrc=size=320x240:rate=30000/1001", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000", "-t", "2");
        plain = ffmpeg("plain.mp4", av, List.of("-c:v", h264, "-c:a", "aac", "-metadata", "comment=" + COMMENT,
                "-metadata", "title=Reelmark – ünïcode"));
        faststart = ffmpeg("faststart.mp4", av, List.of("-c:v", h264, "-c:a", "aac", "-movflags", "+faststart"));
        fragmented = ffmpeg("fragmented.mp4", av, List.of("-c:v", h264, "-c:a", "aac", "-movflags", "frag_keyframe+empty_moov"));
        mov = ffmpeg("timecode.mov", av, List.of("-c:v", "mpeg4", "-c:a", "pcm_s16le", "-timecode", "01:00:00:00",
                "-metadata", "comment=mov comment"));
        film = ffmpeg("film.mp4", List.of("-f", "lavfi", "-i", "testsrc=size=640x360:rate=24000/1001", "-t", "1.5"),
                List.of("-c:v", "mpeg4", "-an"));
        ntscNoAudio = ffmpeg("ntsc.mp4", List.of("-f", "lavfi", "-i", "testsrc=size=320x240:rate=30000/1001", "-t", "1"),
                List.of("-c:v", h264, "-an", "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"));
        audioOnly = ffmpeg("audio.m4a", List.of("-f", "lavfi", "-i", "sine=sample_rate=44100", "-t", "2"),
                List.of("-c:a", "aac", "-ac", "2"));
        mdta = ffmpeg("mdta.mp4", List.of("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "1"),
                List.of("-c:v", "mpeg4", "-movflags", "use_metadata_tags", "-metadata", Mp4Boxes.PEOPLE_KEY + "=ana;ben",
                        "-metadata", "comment=people"));
        mkv = ffmpeg("clip.mkv", List.of("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "1"),
                List.of("-c:v", "mpeg4"));
        // the second muxer: GStreamer remuxes ffmpeg's streams (its base/good plugins have no H.264 encoder)
        gstMp4 = gst("gst.mp4", "filesrc", "location=" + plain, "!", "qtdemux", "name=d", "mp4mux", "name=m", "!",
                "filesink", "location=" + dir.resolve("gst.mp4"), "d.", "!", "queue", "!", "video/x-h264", "!", "m.",
                "d.", "!", "queue", "!", "audio/mpeg", "!", "m.");
        gstMov = gst("gst.mov", "filesrc", "location=" + film, "!", "qtdemux", "!", "qtmux", "!", "filesink",
                "location=" + dir.resolve("gst.mov"));
        gstFaststart = gst("gst-faststart.mp4", "filesrc", "location=" + ntscNoAudio, "!", "qtdemux", "!",
                "mp4mux", "faststart=true", "!", "filesink", "location=" + dir.resolve("gst-faststart.mp4"));
        gstAudio = gst("gst-audio.mp4", "filesrc", "location=" + audioOnly, "!", "qtdemux", "!", "audio/mpeg", "!",
                "mp4mux", "!", "filesink", "location=" + dir.resolve("gst-audio.mp4"));
        gstFragmented = gst("gst-fragmented.mp4", "filesrc", "location=" + faststart, "!", "qtdemux", "!", "video/x-h264",
                "!", "mp4mux", "fragment-duration=500", "!", "filesink", "location=" + dir.resolve("gst-fragmented.mp4"));
    }

    @Test
    void ffmpegMp4WithTheMoovAtTheEnd() throws Exception {
        JsonNode ours = sameAsFfprobe(plain);
        assertThat(ours.path("format").path("tags").path("comment").asText()).isEqualTo(COMMENT);
        assertThat(ours.path("streams")).hasSize(2);
    }

    @Test
    void ffmpegMp4WithFaststart() throws Exception {
        sameAsFfprobe(faststart);
        assertThat(moovOffset(faststart)).isLessThan(moovOffset(plain));
    }

    @Test
    void movWithATimecodeTrack() throws Exception {
        JsonNode ours = sameAsFfprobe(mov);
        assertThat(ours.path("streams")).hasSize(3);
        assertThat(ours.path("streams").get(2).path("codec_type").asText()).isEqualTo("data");
        assertThat(ours.path("streams").get(0).path("tags").path("timecode").asText()).isEqualTo("01:00:00:00");
    }

    @Test
    void oddFrameRatesStayRational() throws Exception {
        assertThat(sameAsFfprobe(film).path("streams").get(0).path("avg_frame_rate").asText()).isEqualTo("24000/1001");
        JsonNode ntsc = sameAsFfprobe(ntscNoAudio);
        assertThat(ntsc.path("streams")).hasSize(1);
        assertThat(ntsc.path("streams").get(0).path("r_frame_rate").asText()).isEqualTo("30000/1001");
    }

    @Test
    void audioOnlyAndMdtaKeys() throws Exception {
        JsonNode audio = sameAsFfprobe(audioOnly);
        assertThat(audio.path("streams").get(0).path("channels").asInt()).isEqualTo(2);
        JsonNode keyed = sameAsFfprobe(mdta);
        assertThat(keyed.path("format").path("tags").path(Mp4Boxes.PEOPLE_KEY).asText()).isEqualTo("ana;ben");
    }

    @Test
    void gstreamerFiles() throws Exception {
        sameAsFfprobe(gstMp4);
        sameAsFfprobe(gstMov);
        sameAsFfprobe(gstFaststart);
        sameAsFfprobe(gstAudio);
    }

    @Test
    void fragmentedFilesGoToFfprobe() throws Exception {
        for (Path f : List.of(fragmented, gstFragmented)) {
            assertThatThrownBy(() -> Mp4Probe.json(f)).isInstanceOf(Mp4Probe.Unsupported.class).hasMessageContaining("fragmented");
            assertThat(Mp4Probe.probe(f)).isEmpty();
        }
        ProbeCache cache = new ProbeCache(() -> TOOLS, new MapStore(), 100, 2);
        ProbeResult r = cache.probe(fragmented);
        assertThat(cache.ffprobeCount()).isEqualTo(1);
        assertThat(cache.javaProbeCount()).isZero();
        assertThat(r.rawJson()).doesNotContain("reelmark_probe");
        assertThat(r.durationSeconds()).isGreaterThan(1.9);
    }

    @Test
    void notMp4OrNotMediaGoesToFfprobe() throws Exception {
        assertThatThrownBy(() -> Mp4Probe.json(mkv)).isInstanceOf(Mp4Probe.Unsupported.class);
        Path junk = Files.write(dir.resolve("junk.mp4"), "not a movie at all".getBytes());
        assertThat(Mp4Probe.probe(junk)).isEmpty();
        ProbeCache cache = new ProbeCache(() -> TOOLS, new MapStore(), 100, 2);
        assertThatThrownBy(() -> cache.probe(junk)).isInstanceOf(MediaException.class);
        assertThat(cache.ffprobeCount()).isEqualTo(1);
        cache.probe(mkv);
        assertThat(cache.ffprobeCount()).isEqualTo(2);
        assertThat(cache.javaProbeCount()).isZero();
    }

    @Test
    void theCacheAnswersMp4InJavaAndKeepsItInTheStore() {
        MapStore store = new MapStore();
        ProbeCache cache = new ProbeCache(() -> TOOLS, store, 100, 2);
        ProbeResult viaCache = cache.probe(plain);
        assertThat(cache.javaProbeCount()).isEqualTo(1);
        assertThat(cache.ffprobeCount()).isZero();
        assertThat(viaCache.rawJson()).contains("reelmark_probe");
        ProbeResult ffprobe = new MediaProbe(TOOLS).probe(plain);
        assertThat(viaCache.formatName()).isEqualTo(ffprobe.formatName());
        assertThat(viaCache.frameCount()).isEqualTo(ffprobe.frameCount());
        // the next run (a new cache over the same store) reads the kept answer: no probe of any kind
        ProbeCache next = new ProbeCache(() -> TOOLS, store, 100, 2);
        assertThat(next.probe(plain)).isEqualTo(viaCache);
        assertThat(next.probeCount()).isZero();
    }

    @Test
    void prefetchProbesABatchOnceAndSavesItTogether() {
        MapStore store = new MapStore();
        ProbeCache cache = new ProbeCache(() -> TOOLS, store, 100, 2);
        List<Path> batch = List.of(plain, faststart, fragmented, mov, film, mkv, plain);
        assertThat(cache.prefetch(batch)).isEqualTo(6);
        assertThat(cache.ffprobeCount()).isEqualTo(2); // fragmented and mkv
        assertThat(cache.javaProbeCount()).isEqualTo(4);
        assertThat(store.saveAllCalls).isEqualTo(1);
        assertThat(store.rows).hasSize(6);
        for (Path f : batch) cache.probe(f);
        assertThat(cache.probeCount()).isEqualTo(6);
        ProbeCache next = new ProbeCache(() -> TOOLS, store, 100, 2);
        assertThat(next.prefetch(batch)).isZero();
        assertThat(next.size()).isEqualTo(6);
    }

    // ---------------------------------------------------------------- helpers

    static final List<String> STREAM_FIELDS = List.of("codec_type", "codec_name", "width", "height", "pix_fmt",
            "color_space", "r_frame_rate", "avg_frame_rate", "sample_rate", "channels", "bit_rate", "nb_frames",
            "duration", "duration_ts", "tags");

    /** Mp4Probe answers for the file, and says exactly what ffprobe says; returns our JSON. */
    static JsonNode sameAsFfprobe(Path file) throws Exception {
        String ourJson = Mp4Probe.json(file, BEFORE_FFPROBE_8);
        ProbeResult ff = new MediaProbe(TOOLS).probe(file);
        JsonNode ours = JSON.readTree(ourJson);
        JsonNode theirs = JSON.readTree(ff.rawJson());
        for (String k : List.of("format_name", "duration", "size", "bit_rate", "tags")) {
            assertThat(ours.path("format").path(k)).as(file.getFileName() + " format." + k).isEqualTo(theirs.path("format").path(k));
        }
        assertThat(ours.path("streams").size()).as(file.getFileName() + " streams").isEqualTo(theirs.path("streams").size());
        for (int i = 0; i < theirs.path("streams").size(); i++) {
            for (String k : STREAM_FIELDS) {
                assertThat(ours.path("streams").get(i).path(k)).as(file.getFileName() + " stream " + i + " " + k)
                        .isEqualTo(theirs.path("streams").get(i).path(k));
            }
        }
        ProbeResult java = Mp4Probe.probe(file, BEFORE_FFPROBE_8).orElseThrow();
        assertThat(java).usingRecursiveComparison().ignoringFields("rawJson").isEqualTo(ff);
        return ours;
    }

    static long moovOffset(Path f) throws Exception {
        try (var ch = java.nio.channels.FileChannel.open(f)) {
            return Mp4Boxes.topLevel(ch).stream().filter(b -> b.type().equals("moov")).findFirst().orElseThrow().offset();
        }
    }

    static Path ffmpeg(String name, List<String> inputs, List<String> output) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-v", "error", "-y"));
        args.addAll(inputs);
        args.addAll(output);
        args.add(out.toString());
        ProcessRunner.Result r = TOOLS.runFfmpeg(args, Duration.ofSeconds(60));
        assertThat(r.ok()).as("ffmpeg " + name + ": " + r.stderrTail(5)).isTrue();
        return out;
    }

    static Path gst(String name, String... pipeline) {
        List<String> cmd = new ArrayList<>(List.of("gst-launch-1.0", "-q"));
        cmd.addAll(List.of(pipeline));
        ProcessRunner.Result r = ProcessRunner.run(cmd, Duration.ofSeconds(60));
        Path out = dir.resolve(name);
        assertThat(r.ok() && Files.isRegularFile(out)).as("gst-launch-1.0 (scripts/test installs gstreamer1.0-tools, "
                + "-plugins-base, -plugins-good) for " + name + ": " + r.stderrTail(5)).isTrue();
        return out;
    }

    /** A probe store in memory that counts its bulk writes. */
    static final class MapStore implements ProbeStore {
        final Map<String, String> rows = new ConcurrentHashMap<>();
        int saveAllCalls;

        @Override
        public Optional<String> find(FileState state) {
            return Optional.ofNullable(rows.get(state.key()));
        }

        @Override
        public void save(FileState state, String probeJson) {
            rows.put(state.key(), probeJson);
        }

        @Override
        public synchronized void saveAll(Map<FileState, String> answers) {
            saveAllCalls++;
            answers.forEach(this::save);
        }
    }
}
