package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.json.Json;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes sidecar files. XML goes through StAX (escaping by the library; characters XML 1.0 cannot hold are
 * dropped), CSV through commons-csv in RFC 4180 form with spreadsheet formulas neutralised, OTIO through Jackson.
 */
public final class SidecarRenderer {
    private static final XMLOutputFactory XML = XMLOutputFactory.newInstance();
    static final String GENERATOR = "Reelmark";

    private SidecarRenderer() {
    }

    // ---- per video ----

    /** An XML sidecar: the template's root element, one child per field, {@code null="true"} where unknown. */
    public static void xml(TemplateSpec spec, Clip clip, OutputStream out) {
        try {
            XMLStreamWriter w = XML.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement(spec.rootElement());
            w.writeAttribute("generator", GENERATOR);
            w.writeAttribute("source", clean(clip.mediaName()));
            w.writeAttribute("path", clean(clip.mediaRef()));
            w.writeAttribute("segment_id", Long.toString(clip.segmentId()));
            if (spec.showsGeneration()) w.writeAttribute("generation_source", clip.generation().source().wire());
            for (String field : spec.fields()) {
                w.writeCharacters("\n  ");
                Object v = clip.value(field);
                w.writeStartElement(field);
                if (field.equals("resolution") && v != null) {
                    w.writeAttribute("width", Clip.asText(clip.value("width")));
                    w.writeAttribute("height", Clip.asText(clip.value("height")));
                }
                if (field.equals("duration") && v != null) w.writeAttribute("unit", "seconds");
                if (v == null || (v instanceof JsonNode n && n.isNull())) {
                    w.writeAttribute("null", "true");
                } else if (v instanceof JsonNode n && n.isContainerNode()) {
                    writeJson(w, n, 2);
                    w.writeCharacters("\n  ");
                } else {
                    w.writeCharacters(clean(Clip.asText(v)));
                }
                w.writeEndElement();
            }
            w.writeCharacters("\n");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.flush();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write XML: " + e.getMessage(), e);
        }
    }

    /** JSON as XML: objects become {@code <param name="key">}, arrays {@code <item>}, scalars text. */
    private static void writeJson(XMLStreamWriter w, JsonNode node, int depth) throws XMLStreamException {
        String indent = "\n" + "  ".repeat(depth);
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                w.writeCharacters(indent);
                w.writeStartElement("param");
                w.writeAttribute("name", clean(e.getKey()));
                writeValue(w, e.getValue(), depth);
                w.writeEndElement();
            }
        } else {
            for (JsonNode item : node) {
                w.writeCharacters(indent);
                w.writeStartElement("item");
                writeValue(w, item, depth);
                w.writeEndElement();
            }
        }
    }

    private static void writeValue(XMLStreamWriter w, JsonNode v, int depth) throws XMLStreamException {
        if (v.isContainerNode()) {
            writeJson(w, v, depth + 1);
            w.writeCharacters("\n" + "  ".repeat(depth));
        } else if (v.isNull()) {
            w.writeAttribute("null", "true");
        } else {
            w.writeCharacters(clean(v.asText()));
        }
    }

    /** Drops characters XML 1.0 cannot represent (most C0 controls, lone surrogates, U+FFFE/U+FFFF). */
    static String clean(String s) {
        if (s == null) return "";
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (sb != null) sb.append(c).append(s.charAt(i + 1));
                i++;
                continue;
            }
            ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
            if (!ok && sb == null) sb = new StringBuilder(s.substring(0, i));
            if (ok && sb != null) sb.append(c);
        }
        return sb == null ? s : sb.toString();
    }

    /** Frame metrics recorded past the video's last frame: not written, reported as a warning. */
    public record PastTheEnd(long frameCount, long firstFrame, long lastFrame, int metrics) {
        public String message() {
            return metrics + " frame metric(s) at frames " + firstFrame + (lastFrame == firstFrame ? "" : ".." + lastFrame)
                    + " lie past the video's " + frameCount + " frames; they were not written";
        }
    }

    /**
     * The frame CSV: the template's columns as header, one row per frame of the video (0 .. frame_count-1; when
     * ffprobe gives no frame count, up to the last measured frame), {@code null} in cells without a measurement.
     * Returns the metrics past the last frame (null when there are none): they are not rows.
     */
    public static PastTheEnd frameCsv(TemplateSpec spec, Clip clip, TreeMap<Long, ClipFacts.FrameRow> frames, OutputStream out) {
        long n = clip.frameCount();
        PastTheEnd past = null;
        if (n <= 0 && !frames.isEmpty()) n = frames.lastKey() + 1;
        else if (!frames.isEmpty() && frames.lastKey() >= n) {
            var beyond = frames.tailMap(n, true);
            past = new PastTheEnd(n, beyond.firstKey(), beyond.lastKey(), beyond.size());
        }
        int base = clip.timecodeBase();
        try (CSVPrinter p = csv(out)) {
            List<String> header = new ArrayList<>();
            spec.columns().forEach(c -> header.add(c.header()));
            p.printRecord(header);
            List<String> row = new ArrayList<>(header.size());
            for (long f = 0; f < n; f++) {
                ClipFacts.FrameRow m = frames.get(f);
                row.clear();
                for (TemplateSpec.Column c : spec.columns()) {
                    row.add(switch (c.field()) {
                        case "frame" -> Long.toString(f);
                        case "timecode" -> Clip.timecode(f, base);
                        case "face_confidence" -> num(m == null ? null : m.faceConfidence());
                        case "motion_score" -> num(m == null ? null : m.motionScore());
                        case "quality_metric" -> num(m == null ? null : m.qualityMetric());
                        case "boundary_ssim" -> num(m == null ? null : m.boundarySsim());
                        default -> throw new IllegalStateException(c.field());
                    });
                }
                p.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return past;
    }

    private static String num(Double d) {
        return d == null ? "null" : Double.toString(d);
    }

    // ---- per export ----

    /**
     * One row per clip (DaVinci Resolve's metadata CSV: File Name / Clip Directory plus metadata columns). Names,
     * paths, numbers and timecodes are written verbatim (Resolve matches clips by File Name); only free-text fields
     * get the formula guard. Control characters are removed from every cell (line breaks and tabs become spaces).
     */
    public static void clipCsv(TemplateSpec spec, List<Clip> clips, OutputStream out) {
        try (CSVPrinter p = csv(out)) {
            List<String> header = new ArrayList<>();
            spec.columns().forEach(c -> header.add(c.header()));
            p.printRecord(header);
            for (Clip clip : clips) {
                List<String> row = new ArrayList<>();
                for (TemplateSpec.Column c : spec.columns()) {
                    String text = plainLine(clip.text(c.field()));
                    row.add(TemplateSpec.FREE_TEXT_FIELDS.contains(c.field()) ? safeCell(text) : text);
                }
                p.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CSVPrinter csv(OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(new NonClosing(out), StandardCharsets.UTF_8);
        return new CSVPrinter(w, CSVFormat.RFC4180);
    }

    /**
     * Spreadsheet formula injection: a free-text cell starting with =, +, -, @ would be run as a formula by
     * Excel/Sheets/LibreOffice; a leading apostrophe makes it plain text (cells hold no tab or CR, see
     * {@link #plainLine}).
     */
    static String safeCell(String s) {
        if (s == null || s.isEmpty()) return s;
        char c = s.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' ? "'" + s : s;
    }

    /** One line of text: tabs and line breaks become spaces, other control characters (C0, DEL, C1) are removed. */
    static String plainLine(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') sb.append(' ');
            else if (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f)) sb.append(c);
        }
        return sb.toString();
    }

    /**
     * Avid's VIDEO_FORMAT heading for a frame size: 1080 or 720 for HD heights, NTSC (720x480/486) and PAL
     * (720x576), otherwise CUSTOM (Media Composer writes CUSTOM for every other raster, e.g. UHD, and refuses an
     * ALE whose VIDEO_FORMAT differs from the project's, so one ALE holds one format).
     */
    static String videoFormat(Clip clip) {
        long w = clip.tech() == null ? 0 : clip.tech().path("width").asLong(), h = clip.tech() == null ? 0 : clip.tech().path("height").asLong();
        if (h == 1080) return "1080";
        if (h == 720) return "720";
        if (w == 720 && (h == 480 || h == 486)) return "NTSC";
        if (w == 720 && h == 576) return "PAL";
        return "CUSTOM";
    }

    /**
     * An Avid Log Exchange file for clips of one frame rate and video format: Heading (tab-delimited, the exact FPS
     * such as 23.976 or 29.97, VIDEO_FORMAT), Column, Data. Tabs and line breaks inside values become spaces, since
     * ALE has no quoting. Avid merges clips by Name, so a Name seen before gets " (segment id)" appended.
     */
    public static void ale(TemplateSpec spec, List<Clip> clips, FrameRate rate, String videoFormat, OutputStream out) {
        StringBuilder sb = new StringBuilder();
        sb.append("Heading\nFIELD_DELIM\tTABS\nVIDEO_FORMAT\t").append(videoFormat).append("\nAUDIO_FORMAT\t48khz\nFPS\t")
                .append(rate.label()).append("\n\nColumn\n");
        List<String> headers = new ArrayList<>();
        spec.columns().forEach(c -> headers.add(aleCell(c.header())));
        sb.append(String.join("\t", headers)).append("\n\nData\n");
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Clip clip : clips) {
            List<String> row = new ArrayList<>();
            for (TemplateSpec.Column c : spec.columns()) {
                String v = aleCell(clip.text(c.field()));
                if (c.header().equals("Name") && !names.add(v)) {
                    v = v + " (segment " + clip.segmentId() + ")";
                    names.add(v);
                }
                row.add(v);
            }
            sb.append(String.join("\t", row)).append("\n");
        }
        write(out, sb.toString());
    }

    private static String aleCell(String s) {
        return plainLine(s).strip();
    }

    /**
     * A Nuke script: a Root and one Read node per clip, with the template's fields on a "Reelmark" tab of user
     * knobs (File > Open or Insert in Nuke, or {@code nuke.nodePaste(path)}). With {@code levelsToRoot >= 0} the
     * Read nodes' files are relative to the package root and the Root's project directory is set to that root
     * ({@code levelsToRoot} folders above the script), which is how Nuke resolves relative file paths; with -1 the
     * clips' paths are absolute and no project directory is set.
     */
    public static void nk(TemplateSpec spec, List<Clip> clips, int levelsToRoot, OutputStream out) {
        StringBuilder sb = new StringBuilder();
        sb.append("#! nuke -nx\n# Written by Reelmark: one Read node per clip, metadata on the Reelmark tab.\n");
        sb.append("version 13.0 v1\nRoot {\n inputs 0\n name reelmark_sidecars.nk\n");
        if (levelsToRoot >= 0) {
            // a deliberate expression (the script's own folder, then up to the package root); user text never is one
            sb.append(" project_directory \"\\[file dirname \\[value root.name\\]\\]").append("/..".repeat(levelsToRoot)).append("\"\n");
        }
        sb.append("}\n");
        int x = 0;
        for (Clip clip : clips) {
            sb.append("Read {\n inputs 0\n");
            String name = clip.mediaName().toLowerCase(Locale.ROOT);
            if (name.endsWith(".mp4") || name.endsWith(".mov")) sb.append(" file_type mov\n");
            sb.append(" file ").append(nukeValue(clip.mediaRef())).append('\n');
            if (clip.tech() != null) {
                long w = clip.tech().path("width").asLong(), h = clip.tech().path("height").asLong();
                sb.append(" format ").append(tcl(w + " " + h + " 0 0 " + w + " " + h + " 1 ")).append('\n');
                long frames = Math.max(1, clip.frameCount());
                sb.append(" first 1\n last ").append(frames).append("\n origfirst 1\n origlast ").append(frames).append("\n origset true\n");
            }
            sb.append(" name Read_segment_").append(clip.segmentId()).append('\n');
            sb.append(" label ").append(nukeValue(clip.characterName() + " / " + clip.sceneName() + " #" + clip.sequenceIndex())).append('\n');
            sb.append(" addUserKnob {20 reelmark l Reelmark}\n");
            List<String> fields = new ArrayList<>(spec.fields());
            if (spec.showsGeneration() && !fields.contains("generation_source")) fields.add("generation_source");
            for (String field : fields) {
                sb.append(" addUserKnob {1 rm_").append(field).append(" l ").append(field).append("}\n");
            }
            for (String field : fields) {
                sb.append(" rm_").append(field).append(' ').append(nukeValue(clip.text(field))).append('\n');
            }
            sb.append(" xpos ").append(x).append("\n ypos 0\n}\n");
            x += 110;
        }
        write(out, sb.toString());
    }

    /**
     * A knob value Nuke reads back as {@code s}, with no TCL run: Nuke parses the script's word (one level of TCL
     * quoting), then evaluates labels, file paths and string knobs like TCL's {@code subst} ({@code [cmd]},
     * {@code $var}, backslashes). So the text is first escaped for {@code subst}, then quoted as a word.
     */
    static String nukeValue(String s) {
        StringBuilder inner = new StringBuilder();
        for (char c : clean(s).toCharArray()) {
            if (c == '\\' || c == '[' || c == ']' || c == '$') inner.append('\\');
            inner.append(c);
        }
        return tcl(inner.toString());
    }

    /** A TCL double-quoted word: backslash, quote, brackets, braces and $ escaped; line breaks as \n. */
    static String tcl(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : clean(s).toCharArray()) {
            switch (c) {
                case '\\', '"', '[', ']', '$', '{', '}' -> sb.append('\\').append(c);
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    // ---- per scene ----

    /**
     * An OpenTimelineIO timeline (Timeline.1 > Stack.1 > Track.1 "V1" > Clip.2) of a scene's segments in order,
     * each clip referencing its file and carrying the template's fields under {@code metadata.reelmark}.
     */
    public static void otio(TemplateSpec spec, String sceneName, List<Clip> clips, OutputStream out) {
        ObjectNode timeline = Json.object().put("OTIO_SCHEMA", "Timeline.1").put("name", clean(sceneName));
        timeline.putNull("global_start_time");
        ObjectNode tmeta = timeline.putObject("metadata").putObject("reelmark");
        if (!clips.isEmpty()) {
            tmeta.put("scene_id", clips.get(0).sceneId()).put("scene", clips.get(0).sceneName())
                    .put("scene_type", clips.get(0).sceneType()).put("character", clips.get(0).characterName());
        }
        ObjectNode stack = timeline.putObject("tracks");
        composable(stack, "Stack.1", "tracks");
        ObjectNode track = stack.putArray("children").addObject();
        composable(track, "Track.1", "V1");
        track.put("kind", "Video");
        ArrayNode children = track.putArray("children");
        for (Clip clip : clips) {
            ObjectNode c = children.addObject();
            c.put("OTIO_SCHEMA", "Clip.2").put("name", clip.mediaName());
            double rate = clip.fps() > 0 ? clip.fps() : 24;
            long frames = Math.max(1, clip.frameCount());
            c.set("source_range", range(rate, 0, frames));
            ObjectNode refs = c.putObject("media_references");
            ObjectNode ref = refs.putObject("DEFAULT_MEDIA").put("OTIO_SCHEMA", "ExternalReference.1").put("name", clip.mediaName());
            ref.put("target_url", targetUrl(clip.mediaRef()));
            ref.set("available_range", range(rate, 0, frames));
            ref.putObject("metadata");
            ref.putNull("available_image_bounds");
            c.put("active_media_reference_key", "DEFAULT_MEDIA");
            ObjectNode meta = c.putObject("metadata").putObject("reelmark");
            meta.put("segment_id", clip.segmentId()).put("sequence_index", clip.sequenceIndex());
            if (spec.showsGeneration()) meta.put("generation_source", clip.generation().source().wire());
            for (String field : spec.fields()) {
                Object v = clip.value(field);
                if (v == null) meta.putNull(field);
                else if (v instanceof JsonNode n) meta.set(field, n);
                else meta.set(field, Json.MAPPER.valueToTree(v));
            }
            c.putArray("effects");
            c.putArray("markers");
            c.put("enabled", true);
        }
        try {
            Json.PRETTY.writeValue(new NonClosing(out), timeline);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An OTIO target_url: a {@code file://} URL for an absolute path, else a relative URL reference (RFC 3986,
     * percent-encoded UTF-8) resolved against the package root.
     */
    static String targetUrl(String path) {
        if (path.startsWith("/")) return java.nio.file.Path.of(path).toUri().toASCIIString();
        try {
            return new java.net.URI(null, null, path, null).toASCIIString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a path: " + path, e);
        }
    }

    private static void composable(ObjectNode node, String schema, String name) {
        node.put("OTIO_SCHEMA", schema).put("name", name);
        node.putObject("metadata");
        node.putNull("source_range");
        node.putArray("effects");
        node.putArray("markers");
        node.put("enabled", true);
    }

    private static ObjectNode range(double rate, long start, long duration) {
        ObjectNode r = Json.object().put("OTIO_SCHEMA", "TimeRange.1");
        r.putObject("start_time").put("OTIO_SCHEMA", "RationalTime.1").put("rate", rate).put("value", (double) start);
        r.putObject("duration").put("OTIO_SCHEMA", "RationalTime.1").put("rate", rate).put("value", (double) duration);
        return r;
    }

    private static void write(OutputStream out, String s) {
        try {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lets a writer flush and close without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
