package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.footage.GenerationFacts;
import dev.reelmark.json.Json;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

/** The clip a template preview renders when no segment is chosen: 1080p24, 5 s, ComfyUI parameters, partial metrics. */
final class SampleClip {
    private SampleClip() {
    }

    static final String COMMENT = "{\"prompt\":{\"4\":{\"class_type\":\"CheckpointLoaderSimple\",\"inputs\":{\"ckpt_name\":\"wan2.2-i2v-14b.safetensors\"}},"
            + "\"10\":{\"class_type\":\"LoraLoader\",\"inputs\":{\"lora_name\":\"ava-likeness.safetensors\",\"strength_model\":0.8,\"strength_clip\":0.7}},"
            + "\"6\":{\"class_type\":\"CLIPTextEncode\",\"inputs\":{\"text\":\"Ava dances under neon rain, \\\"wide\\\" shot <4K> & slow motion\"}},"
            + "\"7\":{\"class_type\":\"CLIPTextEncode\",\"inputs\":{\"text\":\"blurry, extra fingers\"}},"
            + "\"3\":{\"class_type\":\"KSampler\",\"inputs\":{\"seed\":424242,\"steps\":30,\"cfg\":6.5,\"sampler_name\":\"euler\"}}}}";

    static Clip clip() {
        ObjectNode tech = Json.object().put("resolution", "1920x1080").put("width", 1920).put("height", 1080)
                .put("fps", 24.0).put("codec", "h264").put("duration_seconds", 5.0).put("frame_count", 120)
                .put("color_space", "bt709").put("pixel_format", "yuv420p").put("container", "mov,mp4,m4a,3gp,3g2,mj2");
        tech.putArray("streams").addObject().put("index", 0).put("codec_type", "video").put("codec_name", "h264");
        tech.putObject("tags").put("comment", COMMENT);
        return new Clip(0, 0, "complete", 0, "Ava Reyes — dance", "dance", 0, "Ava Reyes", "media/ava_reyes/dance/scene_video.mp4",
                Path.of("/studio/media/ava_reyes/dance/scene_video.mp4"), tech, null, 0.874, List.of("face_drift"),
                FACTS, null, null);
    }

    /** What the sample's comment graph says, as the segment-facts module reports a clip without a receipt. */
    static final GenerationFacts FACTS = new GenerationFacts(GenerationFacts.Source.FILE_COMMENT, null,
            "Ava dances under neon rain, \"wide\" shot <4K> & slow motion", "blurry, extra fingers",
            java.math.BigInteger.valueOf(424242), "euler", null, 6.5, 30, null, null, null,
            List.of(new GenerationFacts.Model("model", new GenerationFacts.AssetRef("wan2.2-i2v-14b.safetensors", null, null, null, false))),
            List.of(new GenerationFacts.Lora(new GenerationFacts.AssetRef("ava-likeness.safetensors", null, null, null, false), 0.8, 0.7)),
            List.of(), null);

    /** 120 frames; every 11th has no face, the first a boundary SSIM, frames 100.. are missing. */
    static TreeMap<Long, ClipFacts.FrameRow> frames() {
        TreeMap<Long, ClipFacts.FrameRow> rows = new TreeMap<>();
        for (long f = 0; f < 100; f++) {
            rows.put(f, new ClipFacts.FrameRow(f, f % 11 == 5 ? null : 0.9 - (f % 7) * 0.01, (f % 13) * 0.25,
                    0.8 + (f % 5) * 0.03, f == 0 ? 0.93 : null));
        }
        return rows;
    }
}
