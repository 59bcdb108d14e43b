package dev.reelmark.credentials;

import dev.reelmark.footage.GenerationFacts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * One C2PA manifest store (a v2 claim) for a clip, built from its segment facts: {@code c2pa.actions.v2} with
 * {@code c2pa.created} by a trained algorithm (the software agent is the workflow, or the model), an ingredient for
 * each source image (with its SHA-256) and for the clip a regeneration replaced ({@code parentOf}), the Reelmark
 * receipt assertion, and the hard binding: the BMFF hash for a store embedded in an MP4/MOV, or for a sidecar
 * {@code .c2pa} store (any other container) the data hash over the whole asset, as C2PA binds external manifests.
 * Every variable part has a fixed length, so a placeholder (zero hash, zero signature) is exactly as long as the
 * signed store: the file is laid out once, hashed, then filled in.
 */
final class Manifest {
    static final String ACTIONS = "c2pa.actions.v2";
    static final String INGREDIENT = "c2pa.ingredient.v3";
    static final String RECEIPT = "dev.reelmark.receipt";
    static final String CLAIM = "c2pa.claim.v2";
    static final String SIGNATURE = "c2pa.signature";
    static final String TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
    static final String SHA256_KEY = "dev.reelmark.sha256";
    static final String DATA_HASH = "c2pa.hash.data";

    /** How the claim binds the bytes: embedded in BMFF, or a sidecar store over the whole file. */
    enum Binding { BMFF, DATA }

    /** What the manifest says about one clip. */
    record Facts(String title, String format, long segmentId, GenerationFacts generation, ReceiptSource.Receipt receipt,
                 ReceiptSource.Parent parent, boolean includePrompts, String generatorVersion) {
    }

    private final Facts facts;
    private final Binding binding;
    private final String label = "urn:c2pa:" + UUID.randomUUID();
    private final String instanceId = "xmp:iid:" + UUID.randomUUID();

    Manifest(Facts facts) {
        this(facts, Binding.BMFF);
    }

    Manifest(Facts facts, Binding binding) {
        this.facts = facts;
        this.binding = binding;
    }

    String label() {
        return label;
    }

    /** The manifest store with this hash (BMFF or whole-file data hash, as the binding says), signed by {@code key} (or a zero signature of the same length). */
    byte[] store(byte[] assetHash, SigningKey key, List<byte[]> chainDer) {
        List<byte[]> assertionBoxes = new ArrayList<>();
        List<Map<String, Object>> refs = new ArrayList<>();
        List<Map<String, Object>> ingredientRefs = new ArrayList<>();
        int n = 0;
        for (Map<String, Object> ingredient : ingredients()) {
            String l = n == 0 ? INGREDIENT : INGREDIENT + "__" + n;
            n++;
            Map<String, Object> ref = add(assertionBoxes, refs, l, ingredient);
            ingredientRefs.add(ref);
        }
        add(assertionBoxes, refs, ACTIONS, actions(ingredientRefs));
        add(assertionBoxes, refs, RECEIPT, receipt());
        Map<String, Object> hash = new LinkedHashMap<>();
        if (binding == Binding.BMFF) hash.put("exclusions", BmffHash.exclusions());
        hash.put("alg", "sha256");
        hash.put("hash", assetHash);
        hash.put("name", "jumbf manifest");
        // a sidecar store is outside the asset: nothing is excluded (the spec writes no empty exclusion list)
        if (binding == Binding.DATA) hash.put("pad", new byte[0]);
        add(assertionBoxes, refs, binding == Binding.BMFF ? BmffHash.LABEL : DATA_HASH, hash);

        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("instanceID", instanceId);
        claim.put("claim_generator_info", Map.of("name", "Reelmark", "version", facts.generatorVersion()));
        claim.put("signature", "self#jumbf=" + SIGNATURE);
        claim.put("created_assertions", refs);
        claim.put("dc:title", facts.title());
        claim.put("alg", "sha256");
        byte[] claimCbor = Cose.encode(claim);

        byte[] prot = Cose.protectedHeader(chainDer);
        byte[] signature = key == null ? new byte[Cose.SIGNATURE_LENGTH] : key.sign(Cose.toBeSigned(prot, claimCbor));
        byte[] cose = Cose.sign1(prot, signature);

        byte[] assertionStore = Jumbf.superbox(Jumbf.ASSERTIONS, "c2pa.assertions", assertionBoxes.toArray(byte[][]::new));
        byte[] manifest = Jumbf.superbox(Jumbf.MANIFEST, label, assertionStore,
                Jumbf.cborBox(Jumbf.CLAIM, CLAIM, claimCbor), Jumbf.cborBox(Jumbf.SIGNATURE, SIGNATURE, cose));
        return Jumbf.superbox(Jumbf.STORE, "c2pa", manifest);
    }

    /** Adds an assertion box and its hashed URI (SHA-256 of the box after its header, as C2PA hashes it). */
    private static Map<String, Object> add(List<byte[]> boxes, List<Map<String, Object>> refs, String label, Object data) {
        byte[] box = Jumbf.cborBox(Jumbf.CBOR, label, Cose.encode(data));
        boxes.add(box);
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("url", "self#jumbf=c2pa.assertions/" + label);
        ref.put("hash", BmffHash.sha256().digest(Jumbf.payload(box)));
        refs.add(ref);
        return ref;
    }

    private List<Map<String, Object>> ingredients() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (GenerationFacts.SourceImage img : facts.generation().sourceImages()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("relationship", "inputTo");
            i.put("dc:title", img.name() == null ? "source image" : fileName(img.name()));
            i.put("dc:format", imageFormat(img.name()));
            i.put("description", "source image" + (img.role() == null ? "" : " (" + img.role() + ")"));
            Map<String, Object> meta = new LinkedHashMap<>();
            if (img.sha256() != null) meta.put(SHA256_KEY, img.sha256());
            if (img.imageId() != null) meta.put("dev.reelmark.image_id", img.imageId());
            if (img.role() != null) meta.put("dev.reelmark.role", img.role());
            if (!meta.isEmpty()) i.put("metadata", meta);
            out.add(i);
        }
        ReceiptSource.Parent p = facts.parent();
        if (p != null) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("relationship", "parentOf");
            i.put("dc:title", p.outputVideoPath() == null ? "segment " + p.segmentId() : fileName(p.outputVideoPath()));
            i.put("dc:format", videoFormat(p.outputVideoPath()));
            i.put("description", "the clip this regeneration replaced (segment " + p.segmentId() + ")");
            Map<String, Object> meta = new LinkedHashMap<>();
            if (p.outputSha256() != null) meta.put(SHA256_KEY, p.outputSha256());
            meta.put("dev.reelmark.segment_id", p.segmentId());
            if (p.receiptId() != null) meta.put("dev.reelmark.receipt_id", p.receiptId());
            if (p.inputsHash() != null) meta.put("dev.reelmark.inputs_hash", p.inputsHash());
            i.put("metadata", meta);
            out.add(i);
        }
        return out;
    }

    private Map<String, Object> actions(List<Map<String, Object>> ingredientRefs) {
        GenerationFacts g = facts.generation();
        Map<String, Object> agent = new LinkedHashMap<>();
        GenerationFacts.AssetRef who = g.workflow() != null ? g.workflow() : g.primaryModel();
        agent.put("name", who == null || who.name() == null ? "unknown generator" : who.name());
        if (who != null && who.version() != null) agent.put("version", who.version());
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("action", "c2pa.created");
        created.put("digitalSourceType", TRAINED);
        created.put("softwareAgent", agent);
        created.put("description", facts.parent() == null ? "generated by a trained model"
                : "regenerated by a trained model, replacing segment " + facts.parent().segmentId());
        if (!ingredientRefs.isEmpty()) created.put("parameters", Map.of("ingredients", ingredientRefs));
        return Map.of("actions", List.of(created));
    }

    /** The Reelmark assertion: the receipt's inputs hash and every generation input it names. */
    private Map<String, Object> receipt() {
        GenerationFacts g = facts.generation();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("segment_id", facts.segmentId());
        r.put("receipt_id", facts.receipt().receiptId());
        r.put("inputs_hash", facts.receipt().inputsHash());
        r.put("generation_source", g.source().wire());
        List<Object> models = new ArrayList<>();
        for (GenerationFacts.Model m : g.models()) {
            Map<String, Object> o = asset(m.asset());
            o.put("role", m.role());
            models.add(o);
        }
        r.put("models", models);
        List<Object> loras = new ArrayList<>();
        for (GenerationFacts.Lora l : g.loras()) {
            Map<String, Object> o = asset(l.asset());
            o.put("strength_model", l.strengthModel());
            o.put("strength_clip", l.strengthClip());
            loras.add(o);
        }
        r.put("loras", loras);
        r.put("workflow", g.workflow() == null ? null : asset(g.workflow()));
        r.put("prompts_included", facts.includePrompts());
        if (facts.includePrompts()) {
            r.put("prompt", g.prompt());
            r.put("negative_prompt", g.negativePrompt());
        }
        // decimal text: every CBOR reader keeps all 64 bits of an unsigned seed
        r.put("seed", g.seed() == null ? null : g.seed().toString());
        r.put("sampler", g.sampler());
        r.put("scheduler", g.scheduler());
        r.put("steps", g.steps());
        r.put("cfg", g.cfg());
        r.put("width", g.width());
        r.put("height", g.height());
        r.put("frame_count", g.frameCount());
        List<Object> images = new ArrayList<>();
        for (GenerationFacts.SourceImage i : g.sourceImages()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", i.name());
            o.put("image_id", i.imageId());
            o.put("sha256", i.sha256());
            o.put("role", i.role());
            images.add(o);
        }
        r.put("source_images", images);
        return r;
    }

    private static Map<String, Object> asset(GenerationFacts.AssetRef a) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", a == null ? null : a.name());
        o.put("version", a == null ? null : a.version());
        o.put("sha256", a == null ? null : a.sha256());
        return o;
    }

    static String fileName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(slash + 1);
    }

    static String imageFormat(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".png")) return "image/png";
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) return "image/jpeg";
        if (n.endsWith(".webp")) return "image/webp";
        return "application/octet-stream";
    }

    static String videoFormat(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".mkv")) return "video/x-matroska";
        if (n.endsWith(".webm")) return "video/webm";
        return n.endsWith(".mov") ? "video/quicktime" : "video/mp4";
    }
}
