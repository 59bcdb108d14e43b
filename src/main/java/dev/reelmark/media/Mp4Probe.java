package dev.reelmark.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Probes an MP4/MOV file in Java by reading its {@code moov} box (a few small reads, no process): the answer has
 * ffprobe's JSON shape ({@code format} + {@code streams}, with ffprobe's field names and rules: container duration
 * and bit rate, per stream codec, width/height, pixel format, frame rates as rationals, sample rate/channels, bit
 * rate from the sample sizes, frame counts from {@code stsz}, the tags ffprobe prints), so {@link MediaProbe#parse}
 * and the probe cache treat both alike. Hand-written because no kept Java library reads these fields (mp4parser is
 * unmaintained since 2017, Jaffree and JavaCV call ffprobe/libav anyway).
 *
 * <p>It answers only when sure it says what ffprobe would; otherwise {@link #probe} is empty and the caller runs
 * ffprobe. The fallbacks (each one an {@link Unsupported} reason):
 * <ul>
 *   <li>anything that is not ISO BMFF / QuickTime with exactly one {@code moov}, or whose boxes do not tile the file;</li>
 *   <li>fragmented files ({@code moof}/{@code mvex}: ffprobe estimates their durations and rates from fragments);</li>
 *   <li>video codecs other than H.264 (avc1/avc3), HEVC with an {@code hvcC} and a {@code colr} box, MPEG-4 Part 2;
 *       H.264 whose SPS this reader does not parse to the end (frame-packing, unusual VUI);</li>
 *   <li>audio other than AAC-LC-like AAC (SBR/PS, a program config element), MP3, AC-3/E-AC-3, Opus, FLAC, 16-bit
 *       {@code sowt}/{@code twos} PCM; QuickTime sound descriptions of version 2;</li>
 *   <li>variable frame rate (more than one {@code stts} run, other than a different last sample), where ffprobe
 *       guesses {@code r_frame_rate} from timestamps;</li>
 *   <li>chapter tracks ({@code tref/chap}), tracks of other handlers than video, sound, timecode and text
 *       subtitles, drop-frame timecode, tag atoms it does not know or whose values are not UTF-8 text;</li>
 *   <li>edit lists with more than one media segment, and any box it cannot parse.</li>
 * </ul>
 */
public final class Mp4Probe {
    public static final String FORMAT_NAME = "mov,mp4,m4a,3gp,3g2,mj2";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MOOV = 64 << 20;
    private static final long EPOCH_1904 = 2_082_844_800L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** Why this reader does not answer for a file (the caller runs ffprobe). */
    public static final class Unsupported extends Exception {
        public Unsupported(String why) {
            super(why, null, false, false);
        }
    }

    private Mp4Probe() {
    }

    /** Whether the file's name says MP4/MOV (the only files worth trying). */
    public static boolean candidate(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".mp4") || n.endsWith(".mov") || n.endsWith(".m4v") || n.endsWith(".m4a");
    }

    /** The probe as ffprobe 8 prints it, or empty when this reader is not sure (then ask ffprobe). */
    public static Optional<ProbeResult> probe(Path file) {
        return probe(file, false);
    }

    /**
     * The probe, or empty when this reader is not sure. {@code beforeFfprobe8}: answer as ffprobe 5.1 does where
     * 8.1 differs (verified on those two): {@code vendor_id} on ISO files too (8 prints it for QuickTime files
     * only), and the container duration is the longer of mvhd's and the streams' ends (8: the streams' ends).
     */
    public static Optional<ProbeResult> probe(Path file, boolean beforeFfprobe8) {
        try {
            Path path = file.toAbsolutePath().normalize();
            String json = json(path, beforeFfprobe8);
            return Optional.of(MediaProbe.parse(path, json, 0));
        } catch (Unsupported | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** ffprobe-shaped JSON for the file. Throws {@link Unsupported} for the fallbacks listed on the class. */
    public static String json(Path file) throws IOException, Unsupported {
        return json(file, false);
    }

    /** {@link #json(Path)}, with {@code vendor_id} on ISO files too (see {@link #probe(Path, boolean)}). */
    public static String json(Path file, boolean beforeFfprobe8) throws IOException, Unsupported {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            List<Mp4Boxes.Box> top;
            try {
                top = Mp4Boxes.topLevel(ch);
            } catch (Mp4Boxes.Unsupported e) {
                throw new Unsupported(e.getMessage());
            }
            Mp4Boxes.Box moovBox = null;
            Mp4Boxes.Box ftyp = null;
            for (Mp4Boxes.Box b : top) {
                switch (b.type()) {
                    case "moov" -> {
                        if (moovBox != null) throw new Unsupported("two moov boxes");
                        moovBox = b;
                    }
                    case "ftyp" -> {
                        if (ftyp == null) ftyp = b;
                    }
                    case "moof", "mfra", "sidx", "styp" -> throw new Unsupported("fragmented");
                    case "mdat", "free", "skip", "wide", "uuid", "pnot", "meta" -> {
                    }
                    default -> throw new Unsupported("top-level box " + b.type());
                }
            }
            if (moovBox == null) throw new Unsupported("no moov");
            if (moovBox.size() - moovBox.headerLength() > MAX_MOOV) throw new Unsupported("huge moov");
            ByteBuffer moov = read(ch, moovBox.offset() + moovBox.headerLength(), (int) (moovBox.size() - moovBox.headerLength()));
            ObjectNode root = JSON.createObjectNode();
            Map<String, String> formatTags = new LinkedHashMap<>();
            boolean isom = false;
            if (ftyp != null) {
                ByteBuffer f = read(ch, ftyp.offset() + ftyp.headerLength(), (int) (ftyp.size() - ftyp.headerLength()));
                if (f.remaining() < 8) throw new Unsupported("short ftyp");
                String major = fourcc(f, 0);
                isom = !major.equals("qt  ");
                formatTags.put("major_brand", major);
                formatTags.put("minor_version", Long.toString(Integer.toUnsignedLong(f.getInt(4))));
                StringBuilder compat = new StringBuilder();
                for (int p = 8; p + 4 <= f.limit(); p += 4) compat.append(fourcc(f, p));
                formatTags.put("compatible_brands", compat.toString());
            }
            return new Reader(ch, moov, isom, beforeFfprobe8, formatTags, root, ch.size()).run();
        }
    }

    // ---------------------------------------------------------------- the moov walk

    private record Box(String type, ByteBuffer body) {
    }

    private static final class Track {
        String handler;
        String handlerName;
        long timescale;
        long mdhdDuration;
        String language;
        long creation;
        int trackId;
        List<Box> stsd = List.of();
        long[] sttsCounts = new long[0];
        long[] sttsDeltas = new long[0];
        long sampleCount;
        long dataSize;
        long firstChunkOffset = -1;
        Long editDurationMovie;
        Long editMediaTime;
        long emptyEditMovie;
        List<Integer> tmcdRefs = new ArrayList<>();
        Map<String, String> udtaTags = new LinkedHashMap<>();
    }

    private static final class Reader {
        final FileChannel ch;
        final ByteBuffer moov;
        final boolean isom;
        final boolean beforeFfprobe8;
        final Map<String, String> formatTags;
        final ObjectNode root;
        final long fileSize;
        long movieTimescale;
        long movieDuration;
        long movieCreation;

        Reader(FileChannel ch, ByteBuffer moov, boolean isom, boolean beforeFfprobe8, Map<String, String> formatTags,
               ObjectNode root, long fileSize) {
            this.beforeFfprobe8 = beforeFfprobe8;
            this.ch = ch;
            this.moov = moov;
            this.isom = isom;
            this.formatTags = formatTags;
            this.root = root;
            this.fileSize = fileSize;
        }

        String run() throws IOException, Unsupported {
            List<Track> tracks = new ArrayList<>();
            for (Box b : children(moov)) {
                switch (b.type) {
                    case "mvhd" -> mvhd(b.body);
                    case "trak" -> tracks.add(trak(b.body));
                    case "udta" -> udta(b.body, formatTags);
                    case "meta" -> meta(b.body, formatTags);
                    case "mvex" -> throw new Unsupported("fragmented (mvex)");
                    case "iods", "free", "skip" -> {
                    }
                    default -> throw new Unsupported("moov child " + b.type);
                }
            }
            if (movieTimescale <= 0) throw new Unsupported("no movie timescale");
            if (tracks.isEmpty()) throw new Unsupported("no tracks");
            if (movieCreation != 0) formatTags.put("creation_time", time(movieCreation));
            ArrayNode streams = root.putArray("streams");
            long maxEndMicros = 0;
            Map<Integer, String> timecodes = new LinkedHashMap<>();
            List<ObjectNode> nodes = new ArrayList<>();
            for (Track t : tracks) {
                ObjectNode s = stream(t, streams.size());
                streams.add(s);
                nodes.add(s);
                String tc = s.path("tags").path("timecode").asText(null);
                if (tc != null) timecodes.put(t.trackId, tc);
                long dts = s.path("duration_ts").asLong(0);
                if (t.timescale > 0 && dts > 0) {
                    maxEndMicros = Math.max(maxEndMicros, rescale(dts + startTs(t), 1_000_000, t.timescale));
                }
            }
            // ffmpeg puts a timecode track's value on the tracks that reference it
            for (int i = 0; i < tracks.size(); i++) {
                for (int ref : tracks.get(i).tmcdRefs) {
                    String tc = timecodes.get(ref);
                    if (tc != null && !"data".equals(nodes.get(i).path("codec_type").asText())) {
                        ((ObjectNode) nodes.get(i).with("tags")).put("timecode", tc);
                    }
                }
            }
            // ffprobe 8 takes the container duration from the streams' ends when they have durations, else from mvhd;
            // ffprobe 5.1 the longer of the two
            long mvhdMicros = rescale(movieDuration, 1_000_000, movieTimescale);
            long durationMicros = beforeFfprobe8 ? Math.max(mvhdMicros, maxEndMicros) : maxEndMicros > 0 ? maxEndMicros : mvhdMicros;
            ObjectNode format = root.putObject("format");
            format.put("format_name", FORMAT_NAME);
            format.put("nb_streams", streams.size());
            if (durationMicros > 0) format.put("duration", micros(durationMicros));
            format.put("size", Long.toString(fileSize));
            if (durationMicros > 0) {
                double bitrate = (double) fileSize * 8.0 * 1_000_000 / (double) durationMicros;
                format.put("bit_rate", Long.toString((long) bitrate));
            }
            ObjectNode tags = format.putObject("tags");
            formatTags.forEach(tags::put);
            root.put("reelmark_probe", "java-mp4");
            try {
                return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        void mvhd(ByteBuffer b) throws Unsupported {
            int version = b.get(0) & 0xFF;
            if (version == 1) {
                movieCreation = b.getLong(4);
                movieTimescale = Integer.toUnsignedLong(b.getInt(20));
                movieDuration = b.getLong(24);
            } else {
                movieCreation = Integer.toUnsignedLong(b.getInt(4));
                movieTimescale = Integer.toUnsignedLong(b.getInt(12));
                movieDuration = Integer.toUnsignedLong(b.getInt(16));
            }
            if (movieDuration == 0xFFFFFFFFL || movieDuration < 0) throw new Unsupported("unknown movie duration");
        }

        Track trak(ByteBuffer trak) throws Unsupported {
            Track t = new Track();
            for (Box b : children(trak)) {
                switch (b.type) {
                    case "tkhd" -> {
                        int version = b.body.get(0) & 0xFF;
                        t.trackId = b.body.getInt(version == 1 ? 20 : 12);
                    }
                    case "edts" -> edts(b.body, t);
                    case "mdia" -> mdia(b.body, t);
                    case "tref" -> {
                        for (Box r : children(b.body)) {
                            if (r.type.equals("tmcd")) {
                                for (int p = 0; p + 4 <= r.body.limit(); p += 4) t.tmcdRefs.add(r.body.getInt(p));
                            } else if (r.type.equals("chap")) {
                                throw new Unsupported("chapter track");
                            }
                        }
                    }
                    // track-level user data: ffmpeg prints its text atoms and ilst items as stream tags
                    case "udta" -> udta(b.body, t.udtaTags);
                    case "free", "skip", "load", "tapt" -> {
                    }
                    default -> throw new Unsupported("trak child " + b.type);
                }
            }
            if (t.handler == null) throw new Unsupported("track without handler");
            return t;
        }

        void edts(ByteBuffer edts, Track t) throws Unsupported {
            for (Box b : children(edts)) {
                if (!b.type.equals("elst")) continue;
                ByteBuffer e = b.body;
                int version = e.get(0) & 0xFF;
                int n = e.getInt(4);
                int p = 8;
                for (int i = 0; i < n; i++) {
                    long dur;
                    long mediaTime;
                    if (version == 1) {
                        dur = e.getLong(p);
                        mediaTime = e.getLong(p + 8);
                        p += 20;
                    } else {
                        dur = Integer.toUnsignedLong(e.getInt(p));
                        mediaTime = e.getInt(p + 4);
                        p += 12;
                    }
                    int rate = e.getInt(p - 4);
                    if (rate != 0x10000) throw new Unsupported("edit with a rate");
                    if (mediaTime == -1) {
                        if (t.editDurationMovie != null) throw new Unsupported("empty edit after media");
                        t.emptyEditMovie += dur;
                    } else {
                        if (t.editDurationMovie != null) throw new Unsupported("several media edits");
                        t.editDurationMovie = dur;
                        t.editMediaTime = mediaTime;
                    }
                }
            }
        }

        void mdia(ByteBuffer mdia, Track t) throws Unsupported {
            ByteBuffer minf = null;
            for (Box b : children(mdia)) {
                switch (b.type) {
                    case "mdhd" -> {
                        ByteBuffer m = b.body;
                        int version = m.get(0) & 0xFF;
                        int lang;
                        if (version == 1) {
                            t.creation = m.getLong(4);
                            t.timescale = Integer.toUnsignedLong(m.getInt(20));
                            t.mdhdDuration = m.getLong(24);
                            lang = Short.toUnsignedInt(m.getShort(32));
                        } else {
                            t.creation = Integer.toUnsignedLong(m.getInt(4));
                            t.timescale = Integer.toUnsignedLong(m.getInt(12));
                            t.mdhdDuration = Integer.toUnsignedLong(m.getInt(16));
                            lang = Short.toUnsignedInt(m.getShort(20));
                        }
                        t.language = language(lang);
                    }
                    case "hdlr" -> {
                        ByteBuffer h = b.body;
                        String kind = fourcc(h, 8);
                        if (kind.equals("alis") || kind.equals("url ")) continue; // a data handler (QuickTime minf)
                        t.handler = kind;
                        t.handlerName = handlerName(h, 24);
                    }
                    case "minf" -> minf = b.body;
                    default -> {
                    }
                }
            }
            if (minf == null) throw new Unsupported("no minf");
            for (Box b : children(minf)) {
                if (b.type.equals("stbl")) stbl(b.body, t);
                if (b.type.equals("hdlr") && t.handlerName == null) {
                    // QuickTime keeps a data handler here; ffmpeg reads only the media handler's name
                }
            }
        }

        void stbl(ByteBuffer stbl, Track t) throws Unsupported {
            for (Box b : children(stbl)) {
                ByteBuffer s = b.body;
                switch (b.type) {
                    case "stsd" -> {
                        int n = s.getInt(4);
                        ByteBuffer entries = s.duplicate().position(8).slice();
                        List<Box> list = children(entries);
                        if (n != 1 || list.size() != 1) throw new Unsupported("stsd with " + n + " entries");
                        t.stsd = list;
                    }
                    case "stts" -> {
                        int n = s.getInt(4);
                        t.sttsCounts = new long[n];
                        t.sttsDeltas = new long[n];
                        for (int i = 0; i < n; i++) {
                            t.sttsCounts[i] = Integer.toUnsignedLong(s.getInt(8 + i * 8));
                            t.sttsDeltas[i] = Integer.toUnsignedLong(s.getInt(12 + i * 8));
                        }
                    }
                    case "stsz" -> {
                        long size = Integer.toUnsignedLong(s.getInt(4));
                        long n = Integer.toUnsignedLong(s.getInt(8));
                        t.sampleCount = n;
                        if (size != 0) {
                            t.dataSize = size * n;
                        } else {
                            long sum = 0;
                            for (int i = 0; i < n; i++) sum += Integer.toUnsignedLong(s.getInt(12 + i * 4));
                            t.dataSize = sum;
                        }
                    }
                    case "stz2" -> throw new Unsupported("stz2");
                    case "stco" -> {
                        if (s.getInt(4) > 0) t.firstChunkOffset = Integer.toUnsignedLong(s.getInt(8));
                    }
                    case "co64" -> {
                        if (s.getInt(4) > 0) t.firstChunkOffset = s.getLong(8);
                    }
                    default -> {
                    }
                }
            }
        }

        long startTs(Track t) {
            return rescale(t.emptyEditMovie, t.timescale, movieTimescale);
        }

        ObjectNode stream(Track t, int index) throws IOException, Unsupported {
            if (t.timescale <= 0) throw new Unsupported("track without timescale");
            ObjectNode s = JSON.createObjectNode();
            s.put("index", index);
            Map<String, String> tags = new LinkedHashMap<>();
            if (t.creation != 0) tags.put("creation_time", time(t.creation));
            if (t.language != null) tags.put("language", t.language);
            if (t.handlerName != null && !t.handlerName.isEmpty()) tags.put("handler_name", t.handlerName);
            for (Map.Entry<String, String> u : t.udtaTags.entrySet()) {
                if (tags.containsKey(u.getKey())) throw new Unsupported("track tag " + u.getKey() + " twice");
                tags.put(u.getKey(), u.getValue());
            }
            if (t.stsd.isEmpty()) throw new Unsupported("track without sample description");
            Box entry = t.stsd.get(0);
            // ffmpeg's mov_fix_index: the edit's length, at most the media's (checked on ffmpeg 5.1 and 8.1 files,
            // with and without B-frames and AAC priming)
            long durationTs = t.mdhdDuration;
            if (t.editDurationMovie != null && t.editDurationMovie > 0) {
                durationTs = Math.min(rescale(t.editDurationMovie, t.timescale, movieTimescale), t.mdhdDuration);
            }
            switch (t.handler) {
                case "vide" -> video(t, entry, s, tags);
                case "soun" -> audio(t, entry, s, tags);
                case "tmcd" -> timecode(t, entry, s, tags);
                case "sbtl", "text" -> {
                    if (!entry.type.equals("tx3g")) throw new Unsupported("text track " + entry.type);
                    s.put("codec_name", "mov_text");
                    s.put("codec_type", "subtitle");
                }
                default -> throw new Unsupported("handler " + t.handler);
            }
            s.put("time_base", "1/" + t.timescale);
            s.put("duration_ts", durationTs);
            s.put("duration", micros(rescale(durationTs, 1_000_000, t.timescale)));
            // ffmpeg's mov demuxer: the sample bytes over the media duration (mdhd, before the edit list)
            if (t.mdhdDuration > 0 && t.dataSize > 0 && !s.has("bit_rate")) {
                s.put("bit_rate", Long.toString(t.dataSize * 8 * t.timescale / t.mdhdDuration));
            }
            if (!"tmcd".equals(t.handler) || t.sampleCount > 0) s.put("nb_frames", Long.toString(t.sampleCount));
            ObjectNode disposition = s.putObject("disposition");
            disposition.put("attached_pic", 0);
            ObjectNode tagNode = s.putObject("tags");
            tags.forEach(tagNode::put);
            return s;
        }

        void video(Track t, Box entry, ObjectNode s, Map<String, String> tags) throws Unsupported {
            ByteBuffer e = entry.body;
            if (e.limit() < 78) throw new Unsupported("short video sample entry");
            vendor(e, tags);
            int width = Short.toUnsignedInt(e.getShort(24));
            int height = Short.toUnsignedInt(e.getShort(26));
            int nameLen = e.get(42) & 0xFF;
            if (nameLen > 31) throw new Unsupported("bad compressor name");
            String compressor = new String(bytes(e, 43, nameLen), StandardCharsets.UTF_8);
            int nul = compressor.indexOf('\0');
            if (nul >= 0) compressor = compressor.substring(0, nul);
            List<Box> ext = children(e.duplicate().position(78).slice());
            Box colr = find(ext, "colr");
            String colorSpace = colr == null ? null : colrMatrix(colr.body);
            String codec;
            String pixFmt;
            switch (entry.type) {
                case "avc1", "avc3" -> {
                    codec = "h264";
                    Box avcC = find(ext, "avcC");
                    if (avcC == null) throw new Unsupported("avc1 without avcC");
                    H264Sps.Info sps = H264Sps.fromAvcC(avcC.body);
                    pixFmt = sps.pixFmt();
                    if (colr == null) colorSpace = sps.colorSpace();
                }
                case "hvc1", "hev1" -> {
                    codec = "hevc";
                    Box hvcC = find(ext, "hvcC");
                    if (hvcC == null || colr == null) throw new Unsupported("hevc without hvcC and colr");
                    pixFmt = hevcPixFmt(hvcC.body);
                }
                case "mp4v" -> {
                    Box esds = find(ext, "esds");
                    if (esds == null || objectType(esds.body) != 0x20) throw new Unsupported("mp4v that is not MPEG-4 Part 2");
                    codec = "mpeg4";
                    // MPEG-4 Part 2 simple/advanced simple profiles are 4:2:0 8-bit (ffmpeg's decoder says yuv420p)
                    pixFmt = "yuv420p";
                }
                default -> throw new Unsupported("video codec " + entry.type);
            }
            for (Box b : ext) {
                switch (b.type) {
                    case "avcC", "hvcC", "esds", "colr", "pasp", "btrt", "fiel", "clap", "gama", "free" -> {
                    }
                    default -> throw new Unsupported("video sample entry box " + b.type);
                }
            }
            if (!compressor.isEmpty()) tags.put("encoder", compressor);
            s.put("codec_name", codec);
            s.put("codec_type", "video");
            s.put("width", width);
            s.put("height", height);
            s.put("pix_fmt", pixFmt);
            if (colorSpace != null) s.put("color_space", colorSpace);
            long frames = 0;
            long ticks = 0;
            for (int i = 0; i < t.sttsCounts.length; i++) {
                frames += t.sttsCounts[i];
                ticks += t.sttsCounts[i] * t.sttsDeltas[i];
            }
            int n = t.sttsCounts.length;
            if (n == 0 || ticks <= 0) throw new Unsupported("no sample timing");
            if (!(n == 1 || (n == 2 && t.sttsCounts[1] == 1))) throw new Unsupported("variable frame rate");
            s.put("r_frame_rate", rational(t.timescale, t.sttsDeltas[0]));
            s.put("avg_frame_rate", rational(t.timescale * frames, ticks));
        }

        void audio(Track t, Box entry, ObjectNode s, Map<String, String> tags) throws Unsupported {
            ByteBuffer e = entry.body;
            if (e.limit() < 28) throw new Unsupported("short sound sample entry");
            vendor(e, tags);
            int version = Short.toUnsignedInt(e.getShort(8));
            if (version == 2) throw new Unsupported("sound description v2");
            int channels = Short.toUnsignedInt(e.getShort(16));
            int bits = Short.toUnsignedInt(e.getShort(18));
            long rate = Integer.toUnsignedLong(e.getInt(24)) >>> 16;
            int extStart = version == 1 ? 44 : 28;
            List<Box> ext = e.limit() > extStart ? children(e.duplicate().position(extStart).slice()) : List.of();
            String codec;
            switch (entry.type) {
                case "mp4a" -> {
                    Box esds = find(ext, "esds");
                    if (esds == null) {
                        Box wave = find(ext, "wave");
                        if (wave != null) esds = find(children(wave.body), "esds");
                    }
                    if (esds == null) throw new Unsupported("mp4a without esds");
                    int ot = objectType(esds.body);
                    if (ot == 0x40 || ot == 0x66 || ot == 0x67 || ot == 0x68) {
                        codec = "aac";
                        byte[] asc = decoderSpecificInfo(esds.body);
                        if (asc == null) throw new Unsupported("aac without AudioSpecificConfig");
                        long[] rc = aacConfig(asc);
                        rate = rc[0];
                        channels = (int) rc[1];
                    } else if (ot == 0x69 || ot == 0x6B) {
                        codec = "mp3";
                    } else {
                        throw new Unsupported("mp4a object type " + ot);
                    }
                }
                case "ac-3" -> codec = "ac3";
                case "ec-3" -> codec = "eac3";
                case "Opus" -> codec = "opus";
                case "fLaC" -> codec = "flac";
                case "sowt", "twos" -> {
                    if (bits != 16 || version != 0) throw new Unsupported("pcm of " + bits + " bits");
                    codec = entry.type.equals("sowt") ? "pcm_s16le" : "pcm_s16be";
                    s.put("bit_rate", Long.toString(rate * channels * bits));
                }
                default -> throw new Unsupported("audio codec " + entry.type);
            }
            if (codec.equals("ac3") || codec.equals("eac3") || codec.equals("opus") || codec.equals("flac") || codec.equals("mp3")) {
                // their channel counts come from the bitstream headers in ffprobe; the sample entry is trusted only
                // when it is the plain stereo/mono layout ffmpeg and GStreamer write
                if (channels != 1 && channels != 2) throw new Unsupported("channel count from the bitstream");
                if (codec.equals("opus")) rate = 48000;
            }
            s.put("codec_name", codec);
            s.put("codec_type", "audio");
            s.put("sample_rate", Long.toString(rate));
            s.put("channels", channels);
            s.put("r_frame_rate", "0/0");
            s.put("avg_frame_rate", "0/0");
        }

        void timecode(Track t, Box entry, ObjectNode s, Map<String, String> tags) throws IOException, Unsupported {
            if (!entry.type.equals("tmcd")) throw new Unsupported("timecode entry " + entry.type);
            ByteBuffer e = entry.body;
            int flags = e.getInt(12);
            long timescale = Integer.toUnsignedLong(e.getInt(16));
            long frameDuration = Integer.toUnsignedLong(e.getInt(20));
            int fps = e.get(24) & 0xFF;
            if ((flags & 1) != 0) throw new Unsupported("drop-frame timecode");
            if ((flags & 8) != 0) throw new Unsupported("negative timecode");
            if (fps <= 0 || frameDuration <= 0) throw new Unsupported("bad tmcd");
            if (t.firstChunkOffset < 0 || t.firstChunkOffset + 4 > fileSize) throw new Unsupported("tmcd without sample");
            long frame = Integer.toUnsignedLong(read(ch, t.firstChunkOffset, 4).getInt(0));
            long ff = frame % fps;
            long secs = frame / fps;
            long hh = secs / 3600;
            if ((flags & 2) != 0) hh %= 24;
            tags.put("timecode", String.format(Locale.ROOT, "%02d:%02d:%02d:%02d", hh, (secs / 60) % 60, secs % 60, ff));
            s.put("codec_type", "data");
            s.put("r_frame_rate", "0/0");
            s.put("avg_frame_rate", rational(timescale, frameDuration));
        }

        void vendor(ByteBuffer e, Map<String, String> tags) {
            if (isom && !beforeFfprobe8) return;
            StringBuilder v = new StringBuilder();
            for (int i = 12; i < 16; i++) {
                int c = e.get(i) & 0xFF;
                if (Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == ' ' || c == '-' || c == '_') v.append((char) c);
                else v.append('[').append(c).append(']');
            }
            tags.put("vendor_id", v.toString());
        }

        // ------------------------------------------------------------ tags

        void udta(ByteBuffer udta, Map<String, String> tags) throws Unsupported {
            for (Box b : children(udta)) {
                String key = TEXT_ATOMS.get(b.type);
                if (b.type.equals("meta")) {
                    meta(b.body, tags);
                } else if (key != null) {
                    ByteBuffer s = b.body;
                    if (s.remaining() < 4) throw new Unsupported("short string atom");
                    int len = Short.toUnsignedInt(s.getShort(0));
                    int lang = Short.toUnsignedInt(s.getShort(2));
                    if (len + 4 > s.remaining()) throw new Unsupported("string past its atom");
                    byte[] raw = bytes(s, 4, len);
                    if (lang < 0x400 && !ascii(raw)) throw new Unsupported("Mac-encoded string");
                    putTag(tags, key, utf8(raw));
                } else if (!b.type.equals("XMP_") && !b.type.equals("free") && !b.type.equals("name")) {
                    throw new Unsupported("udta atom " + b.type);
                }
            }
        }

        void meta(ByteBuffer meta, Map<String, String> tags) throws Unsupported {
            ByteBuffer m = meta.duplicate();
            if (m.remaining() >= 8 && m.getInt(0) == 0) m.position(4);
            List<String> keys = new ArrayList<>();
            ByteBuffer ilst = null;
            for (Box b : children(m.slice())) {
                switch (b.type) {
                    case "keys" -> {
                        ByteBuffer k = b.body;
                        int count = k.getInt(4);
                        int p = 8;
                        for (int i = 0; i < count; i++) {
                            int ks = k.getInt(p);
                            if (ks < 8 || p + ks > k.limit()) throw new Unsupported("bad keys");
                            if (!fourcc(k, p + 4).equals("mdta")) throw new Unsupported("key namespace");
                            keys.add(new String(bytes(k, p + 8, ks - 8), StandardCharsets.UTF_8));
                            p += ks;
                        }
                    }
                    case "ilst" -> ilst = b.body;
                    case "hdlr", "free" -> {
                    }
                    default -> throw new Unsupported("meta child " + b.type);
                }
            }
            if (ilst == null) return;
            for (Box item : children(ilst)) {
                String key;
                if (!keys.isEmpty()) {
                    int index = index(item.type);
                    if (index < 1 || index > keys.size()) throw new Unsupported("ilst item without key");
                    key = keys.get(index - 1);
                } else {
                    key = ILST_ATOMS.get(item.type);
                    if (key == null) throw new Unsupported("ilst atom " + item.type);
                }
                String value = null;
                for (Box data : children(item.body)) {
                    if (data.type.equals("mean") || data.type.equals("name")) throw new Unsupported("freeform ilst");
                    if (!data.type.equals("data")) continue;
                    ByteBuffer d = data.body;
                    if (d.remaining() < 8) throw new Unsupported("short data atom");
                    int type = d.getInt(0) & 0xFFFFFF;
                    if (type != 1) throw new Unsupported("tag value of type " + type);
                    if (value != null) throw new Unsupported("several values");
                    value = utf8(bytes(d, 8, d.remaining() - 8));
                }
                if (value != null) putTag(tags, key, value);
            }
        }

        void putTag(Map<String, String> tags, String key, String value) throws Unsupported {
            String old = tags.get(key);
            // ffmpeg keeps the first of two values for one key unless they agree; be sure or ask ffprobe
            if (old != null && !old.equals(value)) throw new Unsupported("two values for " + key);
            tags.put(key, value);
        }
    }

    /** ilst atoms and the keys ffmpeg gives them (libavformat/mov.c, mov_read_udta_string). */
    private static final Map<String, String> ILST_ATOMS = Map.ofEntries(
            Map.entry("\u00A9cmt", "comment"), Map.entry("\u00A9too", "encoder"), Map.entry("\u00A9nam", "title"),
            Map.entry("\u00A9ART", "artist"), Map.entry("\u00A9alb", "album"), Map.entry("\u00A9day", "date"),
            Map.entry("\u00A9gen", "genre"), Map.entry("\u00A9wrt", "composer"), Map.entry("aART", "album_artist"),
            Map.entry("cprt", "copyright"), Map.entry("desc", "description"), Map.entry("ldes", "synopsis"),
            Map.entry("\u00A9lyr", "lyrics"), Map.entry("\u00A9grp", "grouping"));

    /** QuickTime udta text atoms and ffmpeg's keys for them. */
    private static final Map<String, String> TEXT_ATOMS = Map.ofEntries(
            Map.entry("\u00A9cmt", "comment"), Map.entry("\u00A9swr", "encoder"), Map.entry("\u00A9nam", "title"),
            Map.entry("\u00A9ART", "artist"), Map.entry("\u00A9alb", "album"), Map.entry("\u00A9day", "date"),
            Map.entry("\u00A9too", "encoder"), Map.entry("\u00A9cpy", "copyright"), Map.entry("\u00A9des", "comment"),
            Map.entry("\u00A9wrt", "composer"), Map.entry("\u00A9gen", "genre"));

    // ---------------------------------------------------------------- codec details

    /** The matrix coefficients of an nclx/nclc colr box, named as ffprobe names them (null: unspecified). */
    static String colrMatrix(ByteBuffer c) throws Unsupported {
        if (c.limit() < 10) throw new Unsupported("short colr");
        String kind = fourcc(c, 0);
        if (!kind.equals("nclx") && !kind.equals("nclc")) throw new Unsupported("colr " + kind);
        return matrixName(Short.toUnsignedInt(c.getShort(8)));
    }

    static String matrixName(int mc) throws Unsupported {
        return switch (mc) {
            case 0 -> "gbr";
            case 1 -> "bt709";
            case 2 -> null;
            case 4 -> "fcc";
            case 5 -> "bt470bg";
            case 6 -> "smpte170m";
            case 7 -> "smpte240m";
            case 8 -> "ycgco";
            case 9 -> "bt2020nc";
            case 10 -> "bt2020c";
            default -> throw new Unsupported("matrix coefficients " + mc);
        };
    }

    private static String hevcPixFmt(ByteBuffer h) throws Unsupported {
        if (h.limit() < 23) throw new Unsupported("short hvcC");
        int chroma = h.get(16) & 0x03;
        int depth = (h.get(17) & 0x07) + 8;
        return pixFmt(chroma, depth);
    }

    static String pixFmt(int chroma, int depth) throws Unsupported {
        String base = switch (chroma) {
            case 0 -> "gray";
            case 1 -> "yuv420p";
            case 2 -> "yuv422p";
            case 3 -> "yuv444p";
            default -> throw new Unsupported("chroma format " + chroma);
        };
        if (depth == 8) return base;
        if (chroma == 0) return "gray" + depth + "le";
        if (depth == 10 || depth == 12) return base + depth + "le";
        throw new Unsupported("bit depth " + depth);
    }

    /** The objectTypeIndication of an esds box's DecoderConfigDescriptor. */
    private static int objectType(ByteBuffer esds) throws Unsupported {
        ByteBuffer d = decoderConfig(esds);
        return d.get(0) & 0xFF;
    }

    private static ByteBuffer decoderConfig(ByteBuffer esds) throws Unsupported {
        ByteBuffer b = esds.duplicate().position(4).slice();
        int[] len = new int[1];
        int tag = descriptor(b, len);
        if (tag != 3) throw new Unsupported("esds without ES descriptor");
        int flags = b.get(b.position() + 2) & 0xFF;
        b.position(b.position() + 3);
        if ((flags & 0x80) != 0) b.position(b.position() + 2);
        if ((flags & 0x40) != 0) b.position(b.position() + 1 + (b.get(b.position()) & 0xFF));
        if ((flags & 0x20) != 0) b.position(b.position() + 2);
        tag = descriptor(b, len);
        if (tag != 4) throw new Unsupported("esds without decoder config");
        return b.slice().limit(Math.min(len[0], b.remaining()));
    }

    private static byte[] decoderSpecificInfo(ByteBuffer esds) throws Unsupported {
        ByteBuffer d = decoderConfig(esds);
        if (d.remaining() <= 13) return null;
        d.position(13);
        int[] len = new int[1];
        int tag = descriptor(d, len);
        if (tag != 5) return null;
        return bytes(d, d.position(), Math.min(len[0], d.remaining()));
    }

    private static int descriptor(ByteBuffer b, int[] len) {
        int tag = b.get() & 0xFF;
        int n = 0;
        for (int i = 0; i < 4; i++) {
            int c = b.get() & 0xFF;
            n = (n << 7) | (c & 0x7F);
            if ((c & 0x80) == 0) break;
        }
        len[0] = n;
        return tag;
    }

    private static final int[] AAC_RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000,
            11025, 8000, 7350};

    /** {sample rate, channels} of an AudioSpecificConfig; SBR/PS and program config elements are not handled. */
    static long[] aacConfig(byte[] asc) throws Unsupported {
        Bits b = new Bits(asc);
        int ot = b.u(5);
        if (ot == 31) ot = 32 + b.u(6);
        if (ot == 5 || ot == 29 || ot > 4 && ot != 23 && ot != 39) throw new Unsupported("AAC object type " + ot);
        int fi = b.u(4);
        long rate = fi == 15 ? b.u(24) : fi < AAC_RATES.length ? AAC_RATES[fi] : 0;
        int cc = b.u(4);
        if (rate == 0 || cc == 0 || cc > 7) throw new Unsupported("AAC channel configuration " + cc);
        return new long[]{rate, cc == 7 ? 8 : cc};
    }

    // ---------------------------------------------------------------- helpers

    private static String rational(long num, long den) {
        if (den == 0) return "0/0";
        long g = gcd(num, den);
        return num / g + "/" + den / g;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return Math.max(1, a);
    }

    /** av_rescale: a * b / c rounded to nearest, halves away from zero. */
    static long rescale(long a, long b, long c) {
        return java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(b))
                .add(java.math.BigInteger.valueOf(c / 2)).divide(java.math.BigInteger.valueOf(c)).longValue();
    }

    private static String micros(long us) {
        return String.format(Locale.ROOT, "%d.%06d", us / 1_000_000, us % 1_000_000);
    }

    private static String time(long since1904) {
        return TIME.format(Instant.ofEpochSecond(since1904 - EPOCH_1904));
    }

    /** ff_mov_lang_to_iso639: packed ISO 639-2 or a Macintosh language code; null when unspecified. */
    static String language(int code) {
        if (code >= 0x400 && code != 0x7FFF) {
            char[] c = new char[3];
            for (int i = 2; i >= 0; i--) {
                c[i] = (char) (0x60 + (code & 0x1F));
                code >>= 5;
            }
            return new String(c);
        }
        if (code == 0) return "eng";
        return null;
    }

    private static String handlerName(ByteBuffer h, int at) {
        if (h.limit() <= at) return null;
        byte[] raw = bytes(h, at, h.limit() - at);
        int len = raw.length;
        int start = 0;
        // QuickTime writes a Pascal string (length byte first), ISO a C string
        if (raw.length > 0 && (raw[0] & 0xFF) == raw.length - 1) {
            start = 1;
        }
        int end = start;
        while (end < len && raw[end] != 0) end++;
        return new String(raw, start, end - start, StandardCharsets.UTF_8);
    }

    private static Box find(List<Box> boxes, String type) {
        for (Box b : boxes) if (b.type.equals(type)) return b;
        return null;
    }

    private static List<Box> children(ByteBuffer parent) throws Unsupported {
        List<Box> out = new ArrayList<>();
        int pos = parent.position();
        int end = parent.limit();
        while (pos + 8 <= end) {
            long size = Integer.toUnsignedLong(parent.getInt(pos));
            String type = fourcc(parent, pos + 4);
            int hlen = 8;
            if (size == 1) {
                if (pos + 16 > end) throw new Unsupported("short header");
                size = parent.getLong(pos + 8);
                hlen = 16;
            } else if (size == 0) {
                size = end - pos;
            }
            if (size < hlen || pos + size > end) throw new Unsupported("box '" + type + "' past its parent");
            ByteBuffer body = parent.duplicate();
            body.position(pos + hlen).limit((int) (pos + size));
            out.add(new Box(type, body.slice()));
            pos += (int) size;
        }
        if (pos != end && (end - pos < 4 || parent.getInt(pos) != 0)) throw new Unsupported("trailing bytes in a box");
        return out;
    }

    private static ByteBuffer read(FileChannel ch, long pos, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        Mp4Boxes.readFully(ch, b, pos);
        b.flip();
        return b;
    }

    private static byte[] bytes(ByteBuffer b, int at, int n) {
        byte[] out = new byte[n];
        b.get(at, out);
        return out;
    }

    private static String fourcc(ByteBuffer b, int at) {
        return new String(bytes(b, at, 4), StandardCharsets.ISO_8859_1);
    }

    private static int index(String fourcc) {
        byte[] b = fourcc.getBytes(StandardCharsets.ISO_8859_1);
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    private static boolean ascii(byte[] b) {
        for (byte x : b) if (x < 0) return false;
        return true;
    }

    private static String utf8(byte[] raw) throws Unsupported {
        var dec = StandardCharsets.UTF_8.newDecoder();
        try {
            return dec.decode(ByteBuffer.wrap(raw)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new Unsupported("tag that is not UTF-8");
        }
    }

    /** MSB-first bit reader with Exp-Golomb codes (H.264 parameter sets, AAC configs). */
    static final class Bits {
        private final byte[] b;
        private int bit;

        Bits(byte[] b) {
            this.b = b;
        }

        int u(int n) throws Unsupported {
            int v = 0;
            for (int i = 0; i < n; i++) {
                if (bit >> 3 >= b.length) throw new Unsupported("bitstream ends early");
                v = (v << 1) | ((b[bit >> 3] >> (7 - (bit & 7))) & 1);
                bit++;
            }
            return v;
        }

        int ue() throws Unsupported {
            int zeros = 0;
            while (u(1) == 0) {
                if (++zeros > 31) throw new Unsupported("bad Exp-Golomb code");
            }
            return (int) ((1L << zeros) - 1 + (zeros == 0 ? 0 : Integer.toUnsignedLong(u(zeros))));
        }

        int se() throws Unsupported {
            int k = ue();
            return (k & 1) != 0 ? (k + 1) / 2 : -(k / 2);
        }
    }

    /** Just enough of an H.264 SPS for ffprobe's pix_fmt and color_space. */
    static final class H264Sps {
        record Info(String pixFmt, String colorSpace) {
        }

        static Info fromAvcC(ByteBuffer avcC) throws Unsupported {
            if (avcC.limit() < 8) throw new Unsupported("short avcC");
            int n = avcC.get(5) & 0x1F;
            if (n < 1) throw new Unsupported("avcC without SPS");
            int len = Short.toUnsignedInt(avcC.getShort(6));
            if (8 + len > avcC.limit()) throw new Unsupported("SPS past avcC");
            byte[] nal = bytes(avcC, 8, len);
            return parse(unescape(nal));
        }

        static byte[] unescape(byte[] nal) {
            byte[] out = new byte[nal.length];
            int n = 0;
            int zeros = 0;
            for (int i = 1; i < nal.length; i++) { // skip the NAL header byte
                int c = nal[i] & 0xFF;
                if (zeros >= 2 && c == 3) {
                    zeros = 0;
                    continue;
                }
                zeros = c == 0 ? zeros + 1 : 0;
                out[n++] = (byte) c;
            }
            return java.util.Arrays.copyOf(out, n);
        }

        static Info parse(byte[] rbsp) throws Unsupported {
            Bits b = new Bits(rbsp);
            int profile = b.u(8);
            b.u(16); // constraint flags, level
            b.ue(); // seq_parameter_set_id
            int chroma = 1;
            int depth = 8;
            if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 || profile == 83
                    || profile == 86 || profile == 118 || profile == 128 || profile == 138 || profile == 139
                    || profile == 134 || profile == 135) {
                chroma = b.ue();
                if (chroma == 3) b.u(1);
                depth = b.ue() + 8;
                b.ue(); // bit_depth_chroma
                b.u(1); // qpprime_y_zero_transform_bypass
                if (b.u(1) == 1) {
                    for (int i = 0; i < (chroma != 3 ? 8 : 12); i++) {
                        if (b.u(1) == 1) scalingList(b, i < 6 ? 16 : 64);
                    }
                }
            }
            b.ue(); // log2_max_frame_num
            int poc = b.ue();
            if (poc == 0) {
                b.ue();
            } else if (poc == 1) {
                b.u(1);
                b.se();
                b.se();
                int cycle = b.ue();
                for (int i = 0; i < cycle; i++) b.se();
            }
            b.ue(); // max_num_ref_frames
            b.u(1);
            b.ue();
            b.ue(); // pic size
            if (b.u(1) == 0) b.u(1); // frame_mbs_only, mb_adaptive
            b.u(1); // direct_8x8
            if (b.u(1) == 1) {
                b.ue();
                b.ue();
                b.ue();
                b.ue();
            }
            String colorSpace = null;
            if (b.u(1) == 1) { // VUI
                if (b.u(1) == 1) { // aspect ratio
                    if (b.u(8) == 255) b.u(32);
                }
                if (b.u(1) == 1) b.u(1); // overscan
                if (b.u(1) == 1) { // video signal type
                    b.u(3);
                    // full range: older ffmpeg builds call it yuvj420p, newer ones yuv420p; ask ffprobe
                    if (b.u(1) == 1) throw new Unsupported("full-range H.264");
                    if (b.u(1) == 1) {
                        b.u(8);
                        b.u(8);
                        colorSpace = matrixName(b.u(8));
                    }
                }
            }
            String pix = pixFmt(chroma, depth);
            return new Info(pix, colorSpace);
        }

        private static void scalingList(Bits b, int size) throws Unsupported {
            int last = 8;
            int next = 8;
            for (int j = 0; j < size; j++) {
                if (next != 0) next = (last + b.se() + 256) % 256;
                last = next == 0 ? last : next;
            }
        }
    }
}
