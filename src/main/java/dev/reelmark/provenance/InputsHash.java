package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * {@code inputs_hash}: SHA-256 (lowercase hex) of the canonical encoding of a generation's inputs, specified in
 * docs/inputs-hash.md; this class is its only implementation, and golden tests pin both versions. v1 covers one model
 * and LoRAs with one strength; v2 (used only when the inputs have what v1 cannot say: several models, LoRA CLIP
 * strengths, loaded image files) adds them. Inputs that v1 can say still hash as v1, so every v1 receipt verifies.
 */
public final class InputsHash {
    public static final String HEADER = "reelmark-generation-inputs/v1";
    public static final String HEADER_V2 = "reelmark-generation-inputs/v2";

    private InputsHash() {
    }

    public static String of(ReceiptInputs in) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical(in).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The canonical text that is hashed (exposed for the docs and tests). */
    public static String canonical(ReceiptInputs in) {
        boolean v2 = needsV2(in);
        StringBuilder b = new StringBuilder(256 + in.promptText().length());
        b.append(v2 ? HEADER_V2 : HEADER).append('\n');
        line(b, "source_image_hash", str(in.sourceImageHash()));
        line(b, "variant_image_hash", str(in.variantImageHash()));
        line(b, "workflow_name", str(in.workflowName()));
        line(b, "workflow_version", str(in.workflowVersion()));
        line(b, "workflow_hash", str(in.workflowHash()));
        line(b, "model_name", str(in.modelName()));
        line(b, "model_version", str(in.modelVersion()));
        line(b, "model_hash", str(in.modelHash()));
        List<String> loras = new ArrayList<>();
        for (ReceiptInputs.Lora l : in.loras()) {
            loras.add(str(l.name()) + "|" + str(l.version()) + "|" + str(l.hash()) + "|" + number(l.weight())
                    + (v2 ? "|" + (l.strengthClip() == null ? "null" : number(l.strengthClip())) : ""));
        }
        loras.sort(Comparator.naturalOrder());
        line(b, "lora_count", Integer.toString(loras.size()));
        for (String l : loras) line(b, "lora", l);
        line(b, "prompt_text", str(in.promptText()));
        line(b, "negative_prompt", str(in.negativePrompt()));
        line(b, "cfg_scale", number(in.cfgScale()));
        line(b, "seed", Long.toString(in.seed()));
        line(b, "resolution_width", Integer.toString(in.resolutionWidth()));
        line(b, "resolution_height", Integer.toString(in.resolutionHeight()));
        line(b, "steps", Integer.toString(in.steps()));
        line(b, "sampler", str(in.sampler()));
        StringBuilder json = new StringBuilder();
        json(json, in.additionalParams());
        line(b, "additional_params", json.toString());
        if (v2) {
            line(b, "model_count", Integer.toString(in.models().size()));
            for (ReceiptInputs.Model m : in.models()) {
                line(b, "model", str(m.role()) + "|" + str(m.name()) + "|" + str(m.version()) + "|" + str(m.hash()));
            }
            line(b, "source_file_count", Integer.toString(in.sourceFiles().size()));
            for (ReceiptInputs.SourceFile f : in.sourceFiles()) {
                line(b, "source_file", str(f.role()) + "|" + str(f.name()) + "|" + str(f.sha256()));
            }
        }
        return b.toString();
    }

    /** Whether the inputs hold anything v1 cannot encode. */
    static boolean needsV2(ReceiptInputs in) {
        return !in.models().isEmpty() || !in.sourceFiles().isEmpty()
                || in.loras().stream().anyMatch(l -> l.strengthClip() != null);
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(key).append('=').append(value).append('\n');
    }

    /** A JSON string literal: only {@code "}, {@code \} and U+0000..U+001F escaped ({@code \}u00xx, lowercase). */
    static String str(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    /** Plain decimal, no exponent, no trailing zeros, -0 as 0: 6.50 → "6.5", 1e3 → "1000", -0.0 → "0". */
    static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new IllegalArgumentException("not a finite number: " + d);
        return decimal(new BigDecimal(Double.toString(d)));
    }

    static String decimal(BigDecimal d) {
        if (d.signum() == 0) return "0";
        return d.stripTrailingZeros().toPlainString();
    }

    /** Canonical JSON: no whitespace, object keys sorted (String order), numbers as {@link #decimal}. */
    static void json(StringBuilder b, JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            b.append("null");
        } else if (n.isObject()) {
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) keys.add(it.next());
            keys.sort(Comparator.naturalOrder());
            b.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) b.append(',');
                b.append(str(keys.get(i))).append(':');
                json(b, n.get(keys.get(i)));
            }
            b.append('}');
        } else if (n.isArray()) {
            b.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) b.append(',');
                json(b, n.get(i));
            }
            b.append(']');
        } else if (n.isNumber()) {
            if (n.isFloatingPointNumber() && !n.isBigDecimal()) b.append(number(n.doubleValue()));
            else b.append(decimal(n.decimalValue()));
        } else if (n.isBoolean()) {
            b.append(n.booleanValue());
        } else {
            b.append(str(n.asText()));
        }
    }
}
