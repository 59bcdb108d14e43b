package dev.reelmark.provenance;

import dev.reelmark.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Encoding v2 (several models, LoRA CLIP strengths, loaded image files), pinned; inputs v1 can say still hash as v1. */
class InputsHashV2Test {
    static final String GOLDEN_V2 = "a1ca73cabf629cee5b0f143072cec3f31b4bfa1f6b2a4d64183e32d55278971a";

    static String hex(char c) {
        return String.valueOf(c).repeat(64);
    }

    static ReceiptInputs v2Inputs() {
        return new ReceiptInputs(1L, hex('a'), null, null, null, "comfyui-workflow", null, hex('4'), 2L, "wan-high", "fp8", hex('1'),
                List.of(new ReceiptInputs.Lora(3L, "lightx2v-high", "v1", hex('2'), 1.0, null),
                        new ReceiptInputs.Lora(null, "ava-likeness.safetensors", null, null, 0.75, 0.5)),
                "Ava turns", "static, blurry", 1.0, 1234567890123L, 640, 640, 4, "euler",
                Json.parse("{\"scheduler\":\"simple\",\"frames\":81,\"model_count\":2,\"source_image_count\":1}"),
                List.of(new ReceiptInputs.Model("high_noise", 2L, "wan-high", "fp8", hex('1')),
                        new ReceiptInputs.Model("low_noise", null, "wan_low.safetensors", null, hex('9'))),
                List.of(new ReceiptInputs.SourceFile("start_image", "ava.png", "input/ava.png", hex('a'), 1L)));
    }

    @Test
    void v2IsPinnedAndCoversEveryNewInput() {
        ReceiptInputs in = v2Inputs();
        assertThat(InputsHash.canonical(in)).startsWith("reelmark-generation-inputs/v2\n")
                .contains("\nlora=\"ava-likeness.safetensors\"|null|null|0.75|0.5\n")
                .endsWith("model_count=2\nmodel=\"high_noise\"|\"wan-high\"|\"fp8\"|\"" + hex('1') + "\"\n"
                        + "model=\"low_noise\"|\"wan_low.safetensors\"|null|\"" + hex('9') + "\"\n"
                        + "source_file_count=1\nsource_file=\"start_image\"|\"ava.png\"|\"" + hex('a') + "\"\n");
        assertThat(in.inputsHash()).isEqualTo(GOLDEN_V2);
        // ids and where a file was found are not inputs
        ReceiptInputs moved = in.withModels(List.of(new ReceiptInputs.Model("high_noise", 77L, "wan-high", "fp8", hex('1')),
                in.models().get(1)));
        assertThat(moved.inputsHash()).isEqualTo(GOLDEN_V2);
        // a CLIP strength, the second model, a loaded file's content: each changes the hash
        assertThat(in.withLoras(List.of(in.loras().get(0), new ReceiptInputs.Lora(null, "ava-likeness.safetensors", null, null, 0.75, 0.6)))
                .inputsHash()).isNotEqualTo(GOLDEN_V2);
        assertThat(in.withModels(List.of(in.models().get(0), new ReceiptInputs.Model("low_noise", null, "wan_low.safetensors", null, hex('8'))))
                .inputsHash()).isNotEqualTo(GOLDEN_V2);
        ReceiptInputs otherImage = new ReceiptInputs(in.sourceImageId(), in.sourceImageHash(), null, null, null, in.workflowName(), null,
                in.workflowHash(), in.modelAssetId(), in.modelName(), in.modelVersion(), in.modelHash(), in.loras(), in.promptText(),
                in.negativePrompt(), in.cfgScale(), in.seed(), 640, 640, 4, "euler", in.additionalParams(), in.models(),
                List.of(new ReceiptInputs.SourceFile("start_image", "ava.png", "input/ava.png", hex('b'), 1L)));
        assertThat(otherImage.inputsHash()).isNotEqualTo(GOLDEN_V2);
    }

    @Test
    void inputsThatV1CanSayStillHashAsV1() {
        ReceiptInputs v1 = ProvenanceApiTest.goldenInputs();
        assertThat(InputsHash.canonical(v1)).startsWith("reelmark-generation-inputs/v1\n");
        assertThat(v1.inputsHash()).isEqualTo(ProvenanceApiTest.GOLDEN);
        // a stored v1 receipt read back (no models, no files, no CLIP strengths) re-hashes to its stored hash
        assertThat(ProvenanceService.inputsOf((com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(
                "{\"loras\":[],\"source_image_id\":null,\"source_image_hash\":null,\"variant_image_id\":null,\"variant_image_hash\":null,"
                        + "\"workflow_asset_id\":null,\"workflow_name\":null,\"workflow_version\":null,\"workflow_hash\":null,"
                        + "\"model_asset_id\":5,\"model_name\":\"m\",\"model_version\":\"v1\",\"model_hash\":null,\"prompt_text\":\"p\","
                        + "\"negative_prompt\":null,\"cfg_scale\":5.0,\"seed\":1,\"resolution_width\":64,\"resolution_height\":64,"
                        + "\"steps\":10,\"sampler\":\"euler\",\"additional_params\":{},"
                        + "\"models\":[{\"position\":0,\"role\":null,\"asset_id\":5,\"model_name\":\"m\",\"version\":\"v1\",\"hash\":null}],"
                        + "\"source_files\":[]}")).models()).isEmpty();
    }
}
