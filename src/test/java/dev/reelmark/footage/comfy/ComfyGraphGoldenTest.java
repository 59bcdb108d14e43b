package dev.reelmark.footage.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.json.Json;
import dev.reelmark.testing.Golden;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everything the ComfyUI graph reader extracts (facts, sampler chain, guidance, denoise, format, warnings) from each
 * realistic fixture under src/test/resources/comfy/ (API-format prompts of SDXL, Wan 2.2, Flux, ControlNet and
 * LoRA-loader graphs, and a UI-format workflow), pinned in golden/comfy/NAME.json. A fact read differently fails.
 */
class ComfyGraphGoldenTest {
    static final String[] API = {"sdxl_lora_stack.json", "wan22_i2v_high_low.json", "controlnet_advanced.json",
            "rgthree_power_lora.json", "pysssss_lora.json", "flux_sampler_custom_advanced.json", "primitive_seed_u64.json"};

    static String describe(ComfyReading r) throws Exception {
        ObjectNode o = Json.object();
        o.put("format", r.format());
        o.set("facts", r.facts().toJson());
        ArrayNode samplers = o.putArray("samplers");
        for (ComfyReading.SamplerStep s : r.samplers()) samplers.add(Json.MAPPER.valueToTree(s));
        if (r.guidance() == null) o.putNull("guidance"); else o.put("guidance", r.guidance());
        if (r.denoise() == null) o.putNull("denoise"); else o.put("denoise", r.denoise());
        ArrayNode warnings = o.putArray("warnings");
        r.warnings().forEach(warnings::add);
        return Json.PRETTY.writeValueAsString(o) + "\n";
    }

    @Test
    void apiFormatGraphs() throws Exception {
        for (String name : API) {
            ComfyReading r = ComfyGraph.read(ComfyGraphTest.fixture(name), null);
            assertThat(r.format()).as(name).isEqualTo("api");
            Golden.check("comfy/" + name, describe(r));
        }
    }

    @Test
    void uiFormatWorkflow() throws Exception {
        ComfyReading r = ComfyGraph.read(null, ComfyGraphTest.fixture("ui_workflow_sd15.json"));
        assertThat(r.format()).isEqualTo("ui");
        Golden.check("comfy/ui_workflow_sd15.json", describe(r));
    }

    /** A VideoHelperSuite comment with both graphs: the prompt graph wins, the workflow is kept as found. */
    @Test
    void videoHelperSuiteCommentWithBothGraphs() throws Exception {
        JsonNode prompt = ComfyGraphTest.fixture("wan22_i2v_high_low.json");
        JsonNode workflow = ComfyGraphTest.fixture("ui_workflow_sd15.json");
        ComfyReading r = ComfyGraph.readComment(ComfyGraphTest.vhsComment(prompt, workflow));
        Golden.check("comfy/vhs_comment_wan22.json", describe(r));
        assertThat(r.prompt()).isEqualTo(prompt);
        assertThat(r.workflow()).isEqualTo(workflow);
    }
}
