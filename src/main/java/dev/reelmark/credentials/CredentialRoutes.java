package dev.reelmark.credentials;

import dev.reelmark.http.ApiRouter;
import dev.reelmark.json.Json;
import dev.reelmark.http.Requests;

import com.fasterxml.jackson.databind.node.ObjectNode;

import static dev.reelmark.http.ApiRouter.arrayOf;
import static dev.reelmark.http.ApiRouter.objectOf;
import static dev.reelmark.http.ApiRouter.ref;
import static dev.reelmark.http.ApiRouter.type;

/** The HTTP API of content credentials: reading and checking a clip's C2PA manifest. */
public final class CredentialRoutes {
    private static final String TAG = "credentials";
    private final CredentialService credentials;

    public CredentialRoutes(CredentialService credentials) {
        this.credentials = credentials;
    }

    private static ObjectNode nullable(String t) {
        ObjectNode n = Json.object();
        n.set("type", Json.MAPPER.createArrayNode().add(t).add("null"));
        return n;
    }

    public void register(ApiRouter router) {
        ObjectNode signer = objectOf("subject", type("string"), "issuer", type("string"), "not_after", type("string"),
                "development_certificate", type("boolean"));
        ObjectNode receipt = objectOf("segment_id", nullable("integer"), "receipt_id", nullable("integer"), "inputs_hash", nullable("string"));
        router.schema("CredentialReport", objectOf("file", type("string"), "has_manifest", type("boolean"),
                "manifest_label", nullable("string"), "claim_generator", nullable("string"),
                "digital_source_type", nullable("string"), "hash_matches", nullable("boolean"),
                "signature_valid", nullable("boolean"), "assertions_match", nullable("boolean"), "valid", type("boolean"),
                "signer", Json.object().set("oneOf", Json.MAPPER.createArrayNode().add(signer).add(type("null"))),
                "receipt", Json.object().set("oneOf", Json.MAPPER.createArrayNode().add(receipt).add(type("null"))),
                "sidecar", nullable("string"), "problems", arrayOf(type("string"))));
        router.schema("SegmentCredential", objectOf("segment_id", type("integer"), "file", type("string"),
                "receipt_id", nullable("integer"), "inputs_hash", nullable("string"),
                "credential", ref("CredentialReport"), "matches_receipt", nullable("boolean")));

        router.get("/api/segments/{id}/credentials").tag(TAG).summary("Content credentials (C2PA) of a segment's clip")
                .description("Reads the C2PA manifest embedded in the segment's clip (or in `path`, a signed copy under the media roots), "
                        + "or for a Matroska/WebM clip its sidecar store `FILE.c2pa` beside it (`sidecar`): "
                        + "whether there is one, whether its hash (BMFF, or the data hash over the whole file) still matches the bytes, whether the claim signature verifies, who "
                        + "signed it, and whether its Reelmark receipt assertion matches the segment's latest receipt (`matches_receipt`). "
                        + "A file that is neither MP4/MOV nor Matroska/WebM and has no sidecar is a 400 naming it.")
                .query("path", "string", "a signed copy of the clip, as a path under the media roots (default: the segment's clip)")
                .response(ref("SegmentCredential"))
                .errors(400, 404, 409)
                .handle(ctx -> ctx.json(credentials.forSegment(Requests.pathId(ctx, "id"), ctx.queryParam("path"))));
    }
}
