package dev.reelmark.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * CBOR through Jackson's CBOR module, and COSE_Sign1 (RFC 9052) as C2PA signs a claim: ES256, the certificate
 * chain as {@code x5chain} (label 33) in the protected header, the claim as detached payload, tag 18.
 */
final class Cose {
    static final ObjectMapper CBOR = new CBORMapper();
    private static final CBORFactory FACTORY = new CBORFactory();
    static final int ALG_ES256 = -7;
    static final int X5CHAIN = 33;
    static final int SIGNATURE_LENGTH = 64; // ES256: r || s, 32 bytes each

    private Cose() {
    }

    /** Maps, lists, strings, numbers and {@code byte[]} (a CBOR byte string) to CBOR, keys in insertion order. */
    static byte[] encode(Object value) {
        try {
            return CBOR.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode decode(byte[] cbor) {
        try {
            return CBOR.readTree(cbor);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed CBOR: " + e.getMessage(), e);
        }
    }

    /** The protected header: {1: -7, 33: [end-entity DER, ..., issuer DER]}. */
    static byte[] protectedHeader(List<byte[]> chainDer) {
        return write(g -> {
            g.writeStartObject(null, 2);
            g.writeFieldId(1);
            g.writeNumber(ALG_ES256);
            g.writeFieldId(X5CHAIN);
            g.writeStartArray(null, chainDer.size());
            for (byte[] c : chainDer) g.writeBinary(c);
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** What is signed: ["Signature1", protected, external_aad = h'', payload]. */
    static byte[] toBeSigned(byte[] protectedHeader, byte[] payload) {
        return write(g -> {
            g.writeStartArray(null, 4);
            g.writeString("Signature1");
            g.writeBinary(protectedHeader);
            g.writeBinary(new byte[0]);
            g.writeBinary(payload);
            g.writeEndArray();
        });
    }

    /** The tagged COSE_Sign1 with a detached payload: 18([protected, {}, nil, signature]). */
    static byte[] sign1(byte[] protectedHeader, byte[] signature) {
        return write(g -> {
            g.writeTag(18);
            g.writeStartArray(null, 4);
            g.writeBinary(protectedHeader);
            g.writeStartObject(null, 0);
            g.writeEndObject();
            g.writeNull();
            g.writeBinary(signature);
            g.writeEndArray();
        });
    }

    /** A parsed COSE_Sign1: the raw protected header, its algorithm, the chain (end-entity first), the signature. */
    record Sign1(byte[] protectedHeader, Integer alg, List<byte[]> chain, byte[] signature) {
    }

    static Sign1 parse(byte[] cose) {
        JsonNode arr = decode(cose);
        if (!arr.isArray() || arr.size() != 4 || !arr.get(0).isBinary() || !arr.get(3).isBinary()) {
            throw new IllegalArgumentException("the signature is not a COSE_Sign1 structure");
        }
        try {
            byte[] prot = arr.get(0).binaryValue();
            JsonNode header = decode(prot);
            JsonNode alg = header.get("1");
            JsonNode x5 = header.get(String.valueOf(X5CHAIN));
            if (x5 == null) x5 = arr.get(1).get(String.valueOf(X5CHAIN));
            List<byte[]> chain = new ArrayList<>();
            if (x5 != null && x5.isBinary()) chain.add(x5.binaryValue());
            else if (x5 != null) for (JsonNode c : x5) chain.add(c.binaryValue());
            return new Sign1(prot, alg == null || !alg.isInt() ? null : alg.intValue(), chain, arr.get(3).binaryValue());
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed COSE_Sign1: " + e.getMessage(), e);
        }
    }

    private interface Writer {
        void accept(CBORGenerator g) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = FACTORY.createGenerator(out)) {
            w.accept(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
