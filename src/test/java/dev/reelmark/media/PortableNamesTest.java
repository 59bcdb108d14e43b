package dev.reelmark.media;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Names stay the user's own; only what Linux, macOS or Windows cannot hold is replaced. */
class PortableNamesTest {
    @Test
    void keepsAccentsEmojiSpacesAndEveryScriptVerbatim() {
        for (String name : new String[]{"évènement 🎬.mov", "a b.mp4", "a_b.mp4", "Chloé (take 2).mp4", "夜の街.mkv",
                "שלום.mp4", "$HOME [1] {x} 'q' #5 %20 &.mp4", "-2+3.mp4", "=cmd.mp4", "e\u0301.mp4"}) {
            assertThat(PortableNames.element(name)).isEqualTo(name);
        }
        assertThat(PortableNames.stem("évènement 🎬.mov") + ".xml").isEqualTo("évènement 🎬.xml");
        assertThat(PortableNames.stem(".hidden")).isEqualTo(".hidden");
    }

    @Test
    void replacesOnlyWhatAFileSystemCannotHold() {
        assertThat(PortableNames.element("a/b.mp4")).isEqualTo("a_b.mp4");
        assertThat(PortableNames.element("a\\b:c*d?e\"f<g>h|i.mp4")).isEqualTo("a_b_c_d_e_f_g_h_i.mp4");
        assertThat(PortableNames.element("nul\u0000tab\tcr\rdel\u007fc1\u0085.mp4")).isEqualTo("nul_tab_cr_del_c1_.mp4");
        assertThat(PortableNames.element("lone\uD800.mp4")).isEqualTo("lone_.mp4");
        assertThat(PortableNames.element("trailing. ")).isEqualTo("trailing__");
        assertThat(PortableNames.element("CON")).isEqualTo("_CON");
        assertThat(PortableNames.element("lpt1.mp4")).isEqualTo("_lpt1.mp4");
        assertThat(PortableNames.element("console.mp4")).isEqualTo("console.mp4");
        assertThat(PortableNames.element("..")).isEqualTo("__");
        assertThat(PortableNames.element(".")).isEqualTo("_");
        assertThat(PortableNames.element("")).isEqualTo("_");
        assertThat(PortableNames.element(null)).isEqualTo("_");
    }

    @Test
    void longNamesAreCutOnCodePointsKeepingTheExtension() {
        String cut = PortableNames.element("🎬".repeat(100) + ".mov");
        assertThat(cut).endsWith("🎬.mov");
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(PortableNames.MAX_BYTES);
        assertThat(cut.codePoints().filter(c -> c == 0x1F3AC).count()).isEqualTo((PortableNames.MAX_BYTES - 4) / 4);
    }

    @Test
    void collisionKeysFoldCaseAndUnicodeNormalization() {
        assertThat(PortableNames.collisionKey("Take.MP4")).isEqualTo(PortableNames.collisionKey("take.mp4"));
        assertThat(PortableNames.collisionKey("e\u0301.mp4")).isEqualTo(PortableNames.collisionKey("\u00e9.mp4"));
    }
}
