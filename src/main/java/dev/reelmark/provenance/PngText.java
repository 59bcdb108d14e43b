package dev.reelmark.provenance;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.InflaterInputStream;

/** Reads a PNG's text chunks (tEXt, zTXt, iTXt) and its IHDR size with plain java.io; where ComfyUI keeps prompt/workflow. */
public final class PngText {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};

    public record Result(int width, int height, Map<String, String> text) {
    }

    private PngText() {
    }

    public static boolean isPng(byte[] head) {
        return head.length >= 8 && Arrays.equals(Arrays.copyOf(head, 8), SIGNATURE);
    }

    public static Result read(InputStream raw) throws IOException {
        return read(raw, 64 * 1024 * 1024);
    }

    /**
     * Reads the text chunks, refusing any text chunk (or inflated zTXt/iTXt text) longer than {@code maxText} bytes
     * before it is held in memory; image data and other chunks are skipped, not read.
     */
    public static Result read(InputStream raw, int maxText) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] sig = in.readNBytes(8);
        if (!isPng(sig)) throw new IOException("not a PNG file");
        Map<String, String> text = new LinkedHashMap<>();
        int width = 0, height = 0;
        while (true) {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException e) {
                break;
            }
            if (length < 0) throw new IOException("PNG chunk too large: " + (length & 0xffffffffL));
            byte[] type = in.readNBytes(4);
            String t = new String(type, StandardCharsets.ISO_8859_1);
            boolean isText = t.equals("tEXt") || t.equals("zTXt") || t.equals("iTXt");
            if (!isText && !t.equals("IHDR")) {
                in.skipNBytes(length);
                in.readInt(); // CRC
                if (t.equals("IEND")) return new Result(width, height, text);
                continue;
            }
            if (length > maxText) {
                throw new IOException("the PNG's " + t + " chunk is " + (length / (1024 * 1024)) + " MiB; at most "
                        + (maxText / (1024 * 1024)) + " MiB of text is read");
            }
            byte[] data = in.readNBytes(length);
            if (data.length != length) throw new IOException("truncated PNG chunk");
            in.readInt(); // CRC
            switch (t) {
                case "IHDR" -> {
                    width = ((data[0] & 0xff) << 24) | ((data[1] & 0xff) << 16) | ((data[2] & 0xff) << 8) | (data[3] & 0xff);
                    height = ((data[4] & 0xff) << 24) | ((data[5] & 0xff) << 16) | ((data[6] & 0xff) << 8) | (data[7] & 0xff);
                }
                case "tEXt" -> {
                    int z = indexOf(data, 0);
                    if (z > 0) text.put(new String(data, 0, z, StandardCharsets.ISO_8859_1),
                            new String(data, z + 1, data.length - z - 1, StandardCharsets.ISO_8859_1));
                }
                case "zTXt" -> {
                    int z = indexOf(data, 0);
                    if (z > 0) text.put(new String(data, 0, z, StandardCharsets.ISO_8859_1),
                            new String(inflate(data, z + 2, maxText), StandardCharsets.ISO_8859_1));
                }
                case "iTXt" -> {
                    int z = indexOf(data, 0);
                    if (z <= 0) break;
                    String key = new String(data, 0, z, StandardCharsets.ISO_8859_1);
                    boolean compressed = data[z + 1] != 0;
                    int lang = indexOf(data, z + 3);
                    int translated = indexOf(data, lang + 1);
                    int start = translated + 1;
                    byte[] body = compressed ? inflate(data, start, maxText) : Arrays.copyOfRange(data, start, data.length);
                    text.put(key, new String(body, StandardCharsets.UTF_8));
                }
                case "IEND" -> {
                    return new Result(width, height, text);
                }
                default -> {
                }
            }
        }
        return new Result(width, height, text);
    }

    private static int indexOf(byte[] data, int from) {
        for (int i = from; i < data.length; i++) if (data[i] == 0) return i;
        return -1;
    }

    private static byte[] inflate(byte[] data, int from, int max) throws IOException {
        try (var in = new InflaterInputStream(new java.io.ByteArrayInputStream(data, from, data.length - from))) {
            byte[] out = in.readNBytes(max + 1);
            if (out.length > max) throw new IOException("a compressed PNG text chunk inflates to more than " + (max / (1024 * 1024)) + " MiB");
            return out;
        }
    }
}
