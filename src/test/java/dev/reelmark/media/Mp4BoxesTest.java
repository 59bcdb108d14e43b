package dev.reelmark.media;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Chunk offset tables moved by a shift (files past 4 GiB are too large to make in a test: the table alone here). */
class Mp4BoxesTest {
    private static Mp4Boxes.Node stbl(String type, long... offsets) {
        boolean wide = type.equals("co64");
        ByteBuffer b = ByteBuffer.allocate(8 + offsets.length * (wide ? 8 : 4));
        b.putInt(0).putInt(offsets.length);
        for (long o : offsets) {
            if (wide) b.putLong(o);
            else b.putInt((int) o);
        }
        Mp4Boxes.Node table = new Mp4Boxes.Node(type);
        table.body = b.array();
        Mp4Boxes.Node stbl = new Mp4Boxes.Node("stbl");
        stbl.children = new ArrayList<>(List.of(table));
        return stbl;
    }

    private static long[] offsets(Mp4Boxes.Node table) {
        ByteBuffer b = ByteBuffer.wrap(table.body);
        int n = b.getInt(4);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = table.type.equals("co64") ? b.getLong(8 + i * 8) : Integer.toUnsignedLong(b.getInt(8 + i * 4));
        return out;
    }

    @Test
    void offsetsPastTheMoovMoveAndOnesBeforeItStay() throws Exception {
        Mp4Boxes.Node shifted = Mp4Boxes.shiftOffsets(stbl("stco", 40, 5000, 9000), 1000, 1536);
        Mp4Boxes.Node table = shifted.children.get(0);
        assertThat(table.type).isEqualTo("stco");
        assertThat(offsets(table)).containsExactly(40, 6536, 10536);
        assertThat(shifted.size()).isEqualTo(8 + 8 + 8 + 3 * 4);
    }

    @Test
    void anOffsetPastFourGibTurnsStcoIntoCo64() throws Exception {
        Mp4Boxes.Node shifted = Mp4Boxes.shiftOffsets(stbl("stco", 100, 0xFFFFFF00L), 50, 0x200);
        Mp4Boxes.Node table = shifted.children.get(0);
        assertThat(table.type).isEqualTo("co64");
        assertThat(offsets(table)).containsExactly(100L + 0x200, 0x1_0000_0100L);
        assertThat(table.size()).isEqualTo(8 + 8 + 2 * 8);
    }

    @Test
    void co64StaysCo64() throws Exception {
        Mp4Boxes.Node shifted = Mp4Boxes.shiftOffsets(stbl("co64", 0x1_0000_0000L), 0, 8);
        assertThat(shifted.children.get(0).type).isEqualTo("co64");
        assertThat(offsets(shifted.children.get(0))).containsExactly(0x1_0000_0008L);
    }
}
