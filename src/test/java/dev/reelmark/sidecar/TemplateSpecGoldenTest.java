package dev.reelmark.sidecar;

import dev.reelmark.errors.DomainException;
import dev.reelmark.http.ApiError;
import dev.reelmark.json.Json;
import dev.reelmark.testing.Golden;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code template_json} validation for every sidecar format: each accepted template as it is stored again
 * ({@link TemplateSpec#toJson}) and each refused one with the field and message of its 400, in one golden file
 * (golden/sidecar/template-spec.txt).
 */
class TemplateSpecGoldenTest {
    record Case(SidecarFormat format, String json) {
    }

    static final List<Case> CASES = List.of(
            // accepted
            new Case(SidecarFormat.XML, "{\"root_element\": \"clip\", \"fields\": [\"file_name\", \"frame_rate\", \"prompt\", \"seed\"]}"),
            new Case(SidecarFormat.XML, "{\"root_element\": \"évènement_1.a-b\", \"fields\": [\"character\"]}"),
            new Case(SidecarFormat.CSV, "{\"columns\": [\"frame\", \"face_confidence\"]}"),
            new Case(SidecarFormat.CLIP_CSV, "{\"columns\": [{\"header\": \"File Name\", \"field\": \"file_name\"}, {\"header\": \"Description\", \"field\": \"prompt\"}]}"),
            new Case(SidecarFormat.ALE, "{\"columns\": [{\"header\": \"Name\", \"field\": \"editorial_name\"}, {\"header\": \"Tracks\", \"field\": \"tracks\"},"
                    + " {\"header\": \"Start\", \"field\": \"start_tc\"}, {\"header\": \"End\", \"field\": \"end_tc\"}]}"),
            new Case(SidecarFormat.OTIO, "{\"fields\": [\"prompt\", \"seed\"]}"),
            new Case(SidecarFormat.NK, "{\"fields\": [\"video_path\"]}"),
            // refused
            new Case(SidecarFormat.XML, "null"),
            new Case(SidecarFormat.XML, "[]"),
            new Case(SidecarFormat.XML, "{\"fields\": [\"file_name\"]}"),
            new Case(SidecarFormat.XML, "{\"root_element\": \"xmlThing\", \"fields\": [\"file_name\"]}"),
            new Case(SidecarFormat.XML, "{\"root_element\": \"1clip\", \"fields\": [\"file_name\"]}"),
            new Case(SidecarFormat.XML, "{\"root_element\": 5, \"fields\": [\"file_name\"]}"),
            new Case(SidecarFormat.XML, "{\"root_element\": \"clip\", \"fields\": []}"),
            new Case(SidecarFormat.XML, "{\"root_element\": \"clip\", \"fields\": [\"file_name\", \"file_name\"]}"),
            new Case(SidecarFormat.XML, "{\"root_element\": \"clip\", \"fields\": [\"file_name\", 3]}"),
            new Case(SidecarFormat.XML, "{\"root_element\": \"clip\", \"fields\": [\"shoe_size\"]}"),
            new Case(SidecarFormat.XML, "{\"root_element\": \"clip\", \"fields\": [\"file_name\"], \"columns\": []}"),
            new Case(SidecarFormat.CSV, "{\"columns\": [\"frame\", \"nose_length\"]}"),
            new Case(SidecarFormat.CSV, "{\"columns\": \"frame\"}"),
            new Case(SidecarFormat.CLIP_CSV, "{\"columns\": [{\"header\": \"Description\", \"field\": \"prompt\"}]}"),
            new Case(SidecarFormat.CLIP_CSV, "{\"columns\": [{\"header\": \"File Name\", \"field\": \"file_name\", \"width\": 3}]}"),
            new Case(SidecarFormat.CLIP_CSV, "{\"columns\": [{\"header\": \"File\\tName\", \"field\": \"file_name\"}]}"),
            new Case(SidecarFormat.CLIP_CSV, "{\"columns\": [{\"header\": \"File Name\", \"field\": \"file_name\"}, {\"header\": \"File Name\", \"field\": \"prompt\"}]}"),
            new Case(SidecarFormat.CLIP_CSV, "{\"columns\": [{\"header\": \" \", \"field\": \"file_name\"}]}"),
            new Case(SidecarFormat.CLIP_CSV, "{\"columns\": [{\"header\": \"File Name\", \"field\": \"nope\"}]}"),
            new Case(SidecarFormat.CLIP_CSV, "{\"columns\": [\"file_name\"]}"),
            new Case(SidecarFormat.ALE, "{\"columns\": [{\"header\": \"Name\", \"field\": \"editorial_name\"}, {\"header\": \"Tracks\", \"field\": \"tracks\"}]}"),
            new Case(SidecarFormat.OTIO, "{\"root_element\": \"clip\", \"fields\": [\"prompt\"]}"),
            new Case(SidecarFormat.NK, "{\"fields\": null}"));

    @Test
    void everyFormatsAcceptedAndRefusedTemplates() throws Exception {
        StringBuilder out = new StringBuilder();
        List<String> accepted = new ArrayList<>();
        for (Case c : CASES) {
            out.append(c.format().value()).append(' ').append(c.json()).append("\n  -> ");
            try {
                TemplateSpec spec = TemplateSpec.parse(c.format(), Json.parse(c.json()));
                out.append("ok ").append(Json.write(spec.toJson()));
                accepted.add(c.json());
                // what is stored parses to the same template
                assertThat(TemplateSpec.parse(c.format(), spec.toJson())).isEqualTo(spec);
            } catch (DomainException e) {
                out.append(ApiError.statusOf(e)).append(' ').append(e.code()).append(" field=").append(e.field()).append(": ").append(e.getMessage());
            }
            out.append('\n');
        }
        Golden.check("sidecar/template-spec.txt", out.toString());
        assertThat(accepted).hasSize(7);
    }
}
