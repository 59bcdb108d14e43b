package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.db.Database;
import dev.reelmark.db.SqlErrors;
import dev.reelmark.errors.DomainException;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.errors.Conflict;
import dev.reelmark.json.Json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sidecar templates (create, read, update, delete; built-ins are read-only) and rendering: a preview of a template
 * against a sample clip or a chosen segment, and the per-format writers used by {@link SidecarExportJob}.
 */
public final class SidecarService {
    static final Set<String> WRITABLE = Set.of("name", "description", "format", "target_tool", "template_json");
    static final int NAME_MAX = 200;

    private final SidecarStore store;
    private final ClipFacts facts;

    public SidecarService(Database db, ClipFacts facts) {
        this.store = new SidecarStore(db);
        this.facts = facts;
    }

    public ClipFacts facts() {
        return facts;
    }

    public List<SidecarTemplate> list() {
        return store.list();
    }

    public SidecarTemplate get(long id) {
        return store.find(id).orElseThrow(() -> NotFound.of("sidecar template", id));
    }

    public SidecarTemplate create(ObjectNode body) {
        onlyWritable(body);
        String name = name(body.get("name"));
        SidecarFormat format = format(body.get("format"));
        TemplateSpec spec = TemplateSpec.parse(format, body.get("template_json"));
        return unique(() -> store.insert(name, optionalText(body, "description", 2000), format.value(),
                optionalText(body, "target_tool", 100), Json.write(spec.toJson())));
    }

    /** Changes the fields given; the template_json is validated against the (new) format. 409 for a built-in. */
    public SidecarTemplate update(long id, ObjectNode body) {
        onlyWritable(body);
        SidecarTemplate t = get(id);
        if (t.isBuiltin()) throw builtin(t);
        String name = body.has("name") ? name(body.get("name")) : t.name();
        SidecarFormat format = body.has("format") ? format(body.get("format")) : SidecarFormat.parse("format", t.format());
        TemplateSpec spec = TemplateSpec.parse(format, body.has("template_json") ? body.get("template_json") : t.templateJson());
        String description = body.has("description") ? optionalText(body, "description", 2000) : t.description();
        String tool = body.has("target_tool") ? optionalText(body, "target_tool", 100) : t.targetTool();
        return unique(() -> store.update(id, name, description, format.value(), tool, Json.write(spec.toJson()))
                .orElseThrow(() -> builtin(t)));
    }

    public void delete(long id) {
        SidecarTemplate t = get(id);
        if (t.isBuiltin() || !store.delete(id)) throw builtin(t);
    }

    private static DomainException builtin(SidecarTemplate t) {
        return Conflict.of("is_builtin", "sidecar template " + t.id() + " ('" + t.name()
                + "') is built in and cannot be changed or deleted; create a copy with POST /api/sidecar-templates");
    }

    /** What a preview returns: the file name the export would write and its content. */
    @com.fasterxml.jackson.databind.annotation.JsonNaming(com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Preview(String fileName, String format, String contentType, String content, Long segmentId, boolean sample) {
    }

    /** Renders a stored template against the sample clip, or against a segment when {@code segmentId} is given. */
    public Preview preview(long templateId, Long segmentId) {
        SidecarTemplate t = get(templateId);
        return render(SidecarFormat.parse("format", t.format()), t.spec(), t.name(), segmentId);
    }

    /** Renders an unsaved template (the editor's live preview); 400s name the bad part as on create. */
    public Preview preview(ObjectNode body) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("format", "template_json", "segment_id", "name").contains(f)) {
                throw InvalidInput.field(f, "is not a field of a preview request (allowed: format, name, segment_id, template_json)");
            }
        }
        SidecarFormat format = format(body.get("format"));
        TemplateSpec spec = TemplateSpec.parse(format, body.get("template_json"));
        Long segment = null;
        JsonNode s = body.get("segment_id");
        if (s != null && !s.isNull()) {
            if (!s.canConvertToLong() || s.longValue() <= 0 || !s.isIntegralNumber()) throw InvalidInput.field("segment_id", "must be a positive integer");
            segment = s.longValue();
        }
        String name = body.path("name").asText("preview");
        return render(format, spec, name.isBlank() ? "preview" : name, segment);
    }

    private Preview render(SidecarFormat format, TemplateSpec spec, String templateName, Long segmentId) {
        Clip clip;
        TreeMap<Long, ClipFacts.FrameRow> frames;
        if (segmentId == null) {
            clip = SampleClip.clip();
            frames = SampleClip.frames();
        } else {
            clip = facts.clip(facts.segment(segmentId));
            frames = format == SidecarFormat.CSV ? facts.frames(segmentId) : new TreeMap<>();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String fileName = write(format, spec, templateName, List.of(clip), clip, frames, out);
        return new Preview(fileName, format.value(), format.contentType(), out.toString(StandardCharsets.UTF_8), segmentId, segmentId == null);
    }

    /** Writes a one-clip rendering of any format; returns the file name the export would give it. */
    static String write(SidecarFormat format, TemplateSpec spec, String templateName, List<Clip> clips, Clip clip,
                        TreeMap<Long, ClipFacts.FrameRow> frames, java.io.OutputStream out) {
        String slug = SidecarTemplate.slug(templateName);
        return switch (format) {
            case XML -> {
                SidecarRenderer.xml(spec, clip, out);
                yield sidecarName(clip, "xml");
            }
            case CSV -> {
                SidecarRenderer.frameCsv(spec, clip, frames, out);
                yield sidecarName(clip, "csv");
            }
            case CLIP_CSV -> {
                SidecarRenderer.clipCsv(spec, clips, out);
                yield slug + ".csv";
            }
            case ALE -> {
                FrameRate rate = FrameRate.of(clip.fps());
                String videoFormat = SidecarRenderer.videoFormat(clip);
                SidecarRenderer.ale(spec, clips, rate, videoFormat, out);
                yield slug + "_" + rate.fileLabel() + "_" + videoFormat + ".ale";
            }
            case NK -> {
                SidecarRenderer.nk(spec, clips, 1, out);
                yield slug + ".nk";
            }
            case OTIO -> {
                SidecarRenderer.otio(spec, clip.sceneName(), clips, out);
                yield SidecarExporter.sceneFileName(clip) + ".otio";
            }
        };
    }

    /** The video's own name with only the extension changed. */
    static String sidecarName(Clip clip, String extension) {
        return dev.reelmark.media.PortableNames.stem(dev.reelmark.media.PortableNames.element(clip.mediaName())) + "." + extension;
    }

    // ---- validation helpers ----

    private static void onlyWritable(ObjectNode body) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!WRITABLE.contains(f)) {
                boolean managed = Set.of("id", "is_builtin", "created_at", "updated_at").contains(f);
                throw InvalidInput.field(f, managed ? "is set by the server" : "is not a field of a sidecar template (allowed: "
                        + String.join(", ", WRITABLE.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String name(JsonNode n) {
        if (n == null || n.isNull()) throw InvalidInput.field("name", "is required");
        if (!n.isTextual() || n.asText().isBlank()) throw InvalidInput.field("name", "must be a non-empty string");
        if (n.asText().length() > NAME_MAX) throw InvalidInput.field("name", "must be at most " + NAME_MAX + " characters");
        return n.asText().strip();
    }

    private static SidecarFormat format(JsonNode n) {
        if (n == null || n.isNull()) throw InvalidInput.field("format", "is required (" + SidecarFormat.allValues() + ")");
        if (!n.isTextual()) throw InvalidInput.field("format", "must be a string");
        return SidecarFormat.parse("format", n.asText());
    }

    private static String optionalText(ObjectNode body, String field, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw InvalidInput.field(field, "must be a string or null");
        if (n.asText().length() > max) throw InvalidInput.field(field, "must be at most " + max + " characters");
        return n.asText();
    }

    private static SidecarTemplate unique(java.util.function.Supplier<SidecarTemplate> write) {
        try {
            return write.get();
        } catch (DomainException e) {
            throw e;
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e)) throw Conflict.of("name", "a sidecar template with this name exists");
            throw e;
        }
    }

}
