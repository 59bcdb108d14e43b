package dev.reelmark.footage.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.footage.GenerationFacts;
import dev.reelmark.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The reader on full ComfyUI graphs of each shape (fixtures under src/test/resources/comfy/). */
public class ComfyGraphTest {
    public static String fixtureText(String name) {
        try (InputStream in = ComfyGraphTest.class.getResourceAsStream("/comfy/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static JsonNode fixture(String name) {
        return Json.parse(fixtureText(name));
    }

    /** The comment VideoHelperSuite writes: the prompt as a JSON string, the workflow as an object. */
    public static String vhsComment(JsonNode prompt, JsonNode workflow) {
        ObjectNode c = Json.object();
        c.put("prompt", Json.write(prompt));
        if (workflow != null) c.set("workflow", workflow);
        return Json.write(c);
    }

    private static List<Object[]> loras(GenerationFacts f) {
        return f.loras().stream().map(l -> new Object[]{l.asset().name(), l.strengthModel(), l.strengthClip()}).toList();
    }

    @Test
    void sdxlWithALoraStackAndAChainedLoraLoader() {
        ComfyReading r = ComfyGraph.read(fixture("sdxl_lora_stack.json"), null);
        GenerationFacts f = r.facts();
        assertThat(f.source()).isEqualTo(GenerationFacts.Source.FILE_COMMENT);
        assertThat(f.prompt()).isEqualTo("portrait of Ava Reyes on a rooftop at dusk, 85mm, shallow depth of field\ncinematic, film still");
        assertThat(f.negativePrompt()).isEqualTo("lowres, blurry, extra fingers, watermark, text");
        assertThat(f.seed()).isEqualTo(BigInteger.valueOf(887766554433L));
        assertThat(f.sampler()).isEqualTo("dpmpp_2m_sde");
        assertThat(f.scheduler()).isEqualTo("karras");
        assertThat(f.cfg()).isEqualTo(6.5);
        assertThat(f.steps()).isEqualTo(30);
        assertThat(f.width()).isEqualTo(1024);
        assertThat(f.height()).isEqualTo(1024);
        assertThat(f.frameCount()).isNull();
        assertThat(f.models()).extracting(m -> m.role(), m -> m.asset().name(), m -> m.asset().verified())
                .containsExactly(tuple("base", "sd_xl_base_1.0.safetensors", false));
        // the stack's row 2 is switched off; the stack applies before the LoraLoader stacked on it
        assertThat(loras(f)).containsExactly(new Object[]{"ava-likeness-sdxl.safetensors", 0.8, 0.7},
                new Object[]{"film-grain-xl.safetensors", 0.35, 0.5}, new Object[]{"detail-tweaker-xl.safetensors", 0.5, 0.25});
        assertThat(f.sourceImages()).isEmpty();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.format()).isEqualTo("api");
    }

    @Test
    void wan22ImageToVideoWithHighAndLowNoiseModels() {
        ComfyReading r = ComfyGraph.read(fixture("wan22_i2v_high_low.json"), null);
        GenerationFacts f = r.facts();
        assertThat(f.prompt()).isEqualTo("Ava turns towards the camera and smiles, wind in her hair, slow dolly-in, golden hour");
        assertThat(f.negativePrompt()).startsWith("色调艳丽，过曝").endsWith("overexposed, static, blurry details, subtitles");
        assertThat(f.seed()).isEqualTo(BigInteger.valueOf(1234567890123L));
        assertThat(f.sampler()).isEqualTo("euler");
        assertThat(f.scheduler()).isEqualTo("simple");
        assertThat(f.cfg()).isEqualTo(1.0);
        assertThat(f.steps()).isEqualTo(4);
        assertThat(f.width()).isEqualTo(640);
        assertThat(f.height()).isEqualTo(640);
        assertThat(f.frameCount()).isEqualTo(81);
        assertThat(f.models()).extracting(m -> m.role(), m -> m.asset().name()).containsExactly(
                tuple("high_noise", "wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors"),
                tuple("low_noise", "wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors"));
        assertThat(loras(f)).containsExactly(
                new Object[]{"wan2.2_i2v_lightx2v_4steps_lora_v1_high_noise.safetensors", 1.0, null},
                new Object[]{"wan2.2_i2v_lightx2v_4steps_lora_v1_low_noise.safetensors", 1.0, null},
                new Object[]{"ava-likeness-wan22.safetensors", 0.75, null});
        assertThat(f.sourceImages()).extracting(GenerationFacts.SourceImage::name, GenerationFacts.SourceImage::role)
                .containsExactly(tuple("ava_start_frame.png", "start_image"));
        assertThat(r.samplers()).extracting(ComfyReading.SamplerStep::nodeId, ComfyReading.SamplerStep::role,
                        ComfyReading.SamplerStep::startAtStep, ComfyReading.SamplerStep::endAtStep)
                .containsExactly(tuple("57", "high_noise", 0, 2), tuple("58", "low_noise", 2, 10000));
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void controlNetApplyAdvancedKeepsPositiveAndNegativeApart() {
        GenerationFacts f = ComfyGraph.read(fixture("controlnet_advanced.json"), null).facts();
        assertThat(f.prompt()).isEqualTo("Chloe dancing in a sunlit studio, full body, photorealistic");
        assertThat(f.negativePrompt()).isEqualTo("deformed hands, bad anatomy, cartoon");
        assertThat(f.seed()).isEqualTo(BigInteger.valueOf(42));
        assertThat(f.sampler()).isEqualTo("euler_ancestral");
        assertThat(f.scheduler()).isEqualTo("normal");
        assertThat(f.cfg()).isEqualTo(7.0);
        assertThat(f.steps()).isEqualTo(25);
        assertThat(f.width()).isEqualTo(512);
        assertThat(f.height()).isEqualTo(768);
        assertThat(f.models()).extracting(m -> m.asset().name()).containsExactly("realisticVisionV60B1_v51HyperVAE.safetensors");
        assertThat(f.loras()).isEmpty();
        assertThat(f.sourceImages()).extracting(GenerationFacts.SourceImage::name, GenerationFacts.SourceImage::role)
                .containsExactly(tuple("pose_reference.png", "image"));
    }

    @Test
    void rgthreePowerLoraLoaderHonoursRowsThatAreOff() {
        ComfyReading r = ComfyGraph.read(fixture("rgthree_power_lora.json"), null);
        GenerationFacts f = r.facts();
        assertThat(loras(f)).containsExactly(new Object[]{"ava-likeness-sdxl.safetensors", 0.9, 0.6},
                new Object[]{"styles\\detail-tweaker-xl.safetensors", 1.2, 1.2});
        assertThat(f.prompt()).isEqualTo("Ava walking through a night market, neon reflections, 35mm");
        assertThat(f.negativePrompt()).isEqualTo("blurry, jpeg artifacts");
        assertThat(f.models()).extracting(m -> m.asset().name()).containsExactly("juggernautXL_v9Rdphoto2Lightning.safetensors");
        assertThat(f.seed()).isEqualTo(BigInteger.valueOf(99));
        assertThat(f.steps()).isEqualTo(6);
        assertThat(f.cfg()).isEqualTo(1.5);
        assertThat(f.width()).isEqualTo(832);
        assertThat(f.height()).isEqualTo(1216);
    }

    @Test
    void pysssssLoadersWithBothStrengthsAndTheObjectNameForm() {
        GenerationFacts f = ComfyGraph.read(fixture("pysssss_lora.json"), null).facts();
        assertThat(loras(f)).containsExactly(new Object[]{"ava-likeness-v1.safetensors", 0.8, 1.0},
                new Object[]{"smooth-motion.safetensors", 0.45, 0.3});
        assertThat(f.prompt()).isEqualTo("Ava waves at the camera");
        assertThat(f.negativePrompt()).isEqualTo("blurry, watermark");
        assertThat(f.models()).extracting(m -> m.asset().name()).containsExactly("dreamshaper_8.safetensors");
        assertThat(f.seed()).isEqualTo(BigInteger.valueOf(424242));
    }

    @Test
    void valuesLinkedFromPrimitiveSeedAndStringNodesAreResolvedAndSeedsAreUnsigned64Bit() {
        ComfyReading r = ComfyGraph.read(fixture("primitive_seed_u64.json"), null);
        GenerationFacts f = r.facts();
        assertThat(f.seed()).isEqualTo(new BigInteger("18000000000000000001"));
        assertThat(f.seed()).isGreaterThan(BigInteger.ONE.shiftLeft(63));
        assertThat(f.prompt()).isEqualTo("Ava in the rain on a neon street, cinematic");
        assertThat(f.negativePrompt()).isEqualTo("lowres, blurry, oversaturated");
        assertThat(f.steps()).isEqualTo(28);
        assertThat(f.cfg()).isEqualTo(5.5);
        assertThat(f.width()).isEqualTo(1216);
        assertThat(f.height()).isEqualTo(832);
        assertThat(r.warnings()).isEmpty();

        // the largest ComfyUI seed, and one past it
        ObjectNode p = (ObjectNode) fixture("primitive_seed_u64.json");
        ((ObjectNode) p.get("30").get("inputs")).put("seed", new BigInteger("18446744073709551615"));
        assertThat(ComfyGraph.read(p, null).facts().seed()).isEqualTo(new BigInteger("18446744073709551615"));
        ((ObjectNode) p.get("30").get("inputs")).put("seed", new BigInteger("18446744073709551616"));
        ComfyReading over = ComfyGraph.read(p, null);
        assertThat(over.facts().seed()).isNull();
        assertThat(over.warnings()).anyMatch(w -> w.contains("outside 0..18446744073709551615"));
    }

    @Test
    void fluxSamplerCustomAdvancedWithGuiderNoiseSamplerAndSigmas() {
        ComfyReading r = ComfyGraph.read(fixture("flux_sampler_custom_advanced.json"), null);
        GenerationFacts f = r.facts();
        assertThat(f.prompt()).isEqualTo("a close-up of Ava reading a letter by candlelight, film grain");
        assertThat(f.negativePrompt()).isNull();
        assertThat(f.seed()).isEqualTo(BigInteger.valueOf(219670278747233L));
        assertThat(f.sampler()).isEqualTo("euler");
        assertThat(f.scheduler()).isEqualTo("simple");
        assertThat(f.steps()).isEqualTo(20);
        assertThat(f.cfg()).isEqualTo(1.0);
        assertThat(r.guidance()).isEqualTo(3.5);
        assertThat(f.width()).isEqualTo(1024);
        assertThat(f.height()).isEqualTo(1024);
        assertThat(f.models()).extracting(m -> m.asset().name()).containsExactly("flux1-dev.safetensors");
        assertThat(loras(f)).containsExactly(new Object[]{"flux-ava-likeness.safetensors", 1.0, 0.9});
    }

    @Test
    void uiFormatWorkflowWithWidgetValuesAPrimitiveSeedAndAReroute() {
        ComfyReading r = ComfyGraph.read(null, fixture("ui_workflow_sd15.json"));
        GenerationFacts f = r.facts();
        assertThat(r.format()).isEqualTo("ui");
        assertThat(f.prompt()).isEqualTo("Ava on a ferry at sunrise, wind, soft light");
        assertThat(f.negativePrompt()).isEqualTo("text, watermark, lowres");
        assertThat(f.seed()).isEqualTo(BigInteger.valueOf(5318008123456L)); // the PrimitiveNode's, not the stale widget
        assertThat(f.steps()).isEqualTo(25);
        assertThat(f.cfg()).isEqualTo(7.5);
        assertThat(f.sampler()).isEqualTo("dpmpp_2m");
        assertThat(f.scheduler()).isEqualTo("karras");
        assertThat(f.width()).isEqualTo(512);
        assertThat(f.height()).isEqualTo(768);
        assertThat(f.models()).extracting(m -> m.asset().name()).containsExactly("dreamshaper_8.safetensors");
        assertThat(loras(f)).containsExactly(new Object[]{"ava-likeness-v1.safetensors", 0.8, 0.6});
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void theCommentShapesVideoHelperSuiteAndTaggingLeave() {
        JsonNode prompt = fixture("pysssss_lora.json");
        JsonNode wf = fixture("ui_workflow_sd15.json");
        String vhs = vhsComment(prompt, wf);
        ComfyReading r = ComfyGraph.fromComment(vhs).orElseThrow();
        assertThat(r.facts().prompt()).isEqualTo("Ava waves at the camera"); // the prompt wins over the workflow
        assertThat(r.workflow()).isEqualTo(wf);
        assertThat(r.prompt()).isEqualTo(prompt);
        // a People line written after (or before) the JSON by tag writing
        assertThat(ComfyGraph.fromComment(vhs + "\nPeople: Ava Reyes, Chloe")).map(x -> x.facts().prompt()).contains("Ava waves at the camera");
        assertThat(ComfyGraph.fromComment("People: Ava Reyes\n" + vhs)).map(x -> x.facts().prompt()).contains("Ava waves at the camera");
        // a bare prompt graph, a bare UI workflow
        assertThat(ComfyGraph.fromComment(Json.write(prompt))).isPresent();
        assertThat(ComfyGraph.fromComment(Json.write(wf))).map(x -> x.facts().prompt()).contains("Ava on a ferry at sunrise, wind, soft light");
        // never a prompt
        assertThat(ComfyGraph.fromComment("People: Ava Reyes, Chloe")).isEmpty();
        assertThat(ComfyGraph.fromComment("shot on a rainy tuesday {not json")).isEmpty();
        assertThat(ComfyGraph.fromComment("{\"title\": \"not a graph\"}")).isEmpty();
        assertThat(ComfyGraph.fromComment(null)).isEmpty();
    }

    @Test
    void aGraphWithoutASamplerIsAClearError() {
        ObjectNode p = (ObjectNode) fixture("pysssss_lora.json");
        p.remove("3");
        assertThatThrownBy(() -> ComfyGraph.read(p, null)).isInstanceOf(ComfyGraphException.class)
                .hasMessageContaining("no sampler node");
        assertThat(ComfyGraph.fromComment(vhsComment(p, null))).isEmpty();
        assertThatThrownBy(() -> ComfyGraph.readComment(vhsComment(p, null))).hasMessageContaining("no sampler node");
    }

    @Test
    void aCycleIsNamed() {
        ObjectNode p = (ObjectNode) fixture("pysssss_lora.json");
        // LoRA 10 takes its model from LoRA 11, which takes it from LoRA 10
        ((ObjectNode) p.get("10").get("inputs")).putArray("model").add("11").add(0);
        assertThatThrownBy(() -> ComfyGraph.read(p, null)).isInstanceOf(ComfyGraphException.class)
                .hasMessageContaining("cycle").hasMessageContaining("10 (LoraLoader|pysssss)").hasMessageContaining("11 (LoraLoader|pysssss)");
        ObjectNode wf = (ObjectNode) fixture("ui_workflow_sd15.json");
        ((com.fasterxml.jackson.databind.node.ArrayNode) wf.get("links")).add(Json.MAPPER.createArrayNode().add(99).add(3).add(0).add(4).add(0).add("LATENT"));
        ((ObjectNode) wf.get("nodes").get(0)).putArray("inputs").addObject().put("name", "x").put("type", "LATENT").put("link", 99);
        assertThatThrownBy(() -> ComfyGraph.read(null, wf)).hasMessageContaining("cycle");
    }

    @Test
    void aHugeCommentIsRefusedBeforeItIsParsed() {
        String big = "{\"prompt\": \"" + "x".repeat(ComfyGraph.MAX_COMMENT_CHARS) + "\"}";
        assertThatThrownBy(() -> ComfyGraph.readComment(big)).isInstanceOf(ComfyGraphException.class).hasMessageContaining("at most 16 MiB");
        assertThat(ComfyGraph.fromComment(big)).isEmpty();
    }

    @Test
    void conditioningThroughCombineAndZeroOut() {
        ObjectNode p = (ObjectNode) fixture("controlnet_advanced.json");
        p.putObject("20").put("class_type", "CLIPTextEncode").putObject("inputs").put("text", "rim light").putArray("clip").add("4").add(1);
        ObjectNode comb = p.putObject("21").put("class_type", "ConditioningCombine").putObject("inputs");
        comb.putArray("conditioning_1").add("15").add(0);
        comb.putArray("conditioning_2").add("20").add(0);
        ObjectNode zero = p.putObject("22").put("class_type", "ConditioningZeroOut").putObject("inputs");
        zero.putArray("conditioning").add("6").add(0);
        ObjectNode ks = (ObjectNode) p.get("3").get("inputs");
        ks.putArray("positive").add("21").add(0);
        ks.putArray("negative").add("22").add(0);
        GenerationFacts f = ComfyGraph.read(p, null).facts();
        assertThat(f.prompt()).isEqualTo("Chloe dancing in a sunlit studio, full body, photorealistic\nrim light");
        assertThat(f.negativePrompt()).isNull(); // zeroed: not the positive text it was made from
    }
}
