package dev.reelmark.dataset;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Sample names: the clip's own name with only what a filesystem cannot hold replaced, unique within a package. */
class SampleNamesTest {
    @Test
    void keepsUtf8AndReplacesOnlyWhatNoFilesystemHolds() {
        assertThat(SampleNames.clean("évènement 🎬")).isEqualTo("évènement 🎬");
        assertThat(SampleNames.clean("a b")).isEqualTo("a b");
        assertThat(SampleNames.clean("x:y?<z>|\"*\\w/v")).isEqualTo("x_y__z_____w_v");
        assertThat(SampleNames.clean("tab\there\u0000nul\u007f")).isEqualTo("tab_here_nul_");
        assertThat(SampleNames.clean(".. hidden. ")).isEqualTo("hidden");
        assertThat(SampleNames.clean("..")).isEqualTo("_");
        assertThat(SampleNames.clean("")).isEqualTo("_");
        // a name written decomposed (as macOS stores it) comes out composed, so it compares equal to the typed one
        assertThat(SampleNames.clean("e\u0301te\u0301")).isEqualTo("été");
        String longName = "🎬".repeat(100);
        String cut = SampleNames.clean(longName);
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(SampleNames.MAX_NAME_BYTES);
        assertThat(cut).isEqualTo("🎬".repeat(SampleNames.MAX_NAME_BYTES / 4)); // never half a character
    }

    @Test
    void keysHaveNoDotsAndCollisionsGetADeterministicSuffix() {
        assertThat(SampleNames.key("seg3_shot.v2")).isEqualTo("seg3_shot_v2");
        SampleNames names = new SampleNames();
        assertThat(names.allocate(3, "shot.v2")).isEqualTo("seg3_shot.v2");
        // same key once the dots are replaced, or once case-folded as macOS and Windows extract: suffixed in order
        assertThat(names.allocate(3, "shot_v2")).isEqualTo("seg3_shot_v2~2");
        assertThat(names.allocate(3, "SHOT.V2")).isEqualTo("seg3_SHOT.V2~3");
        assertThat(names.allocate(4, "a b")).isEqualTo("seg4_a b");
        assertThat(names.allocate(5, "a_b")).isEqualTo("seg5_a_b");
        SampleNames again = new SampleNames();
        assertThat(again.allocate(3, "shot.v2")).isEqualTo("seg3_shot.v2");
        assertThat(again.allocate(3, "shot_v2")).isEqualTo("seg3_shot_v2~2");
    }
}
