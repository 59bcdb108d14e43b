package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.reelmark.catalog.Character;
import dev.reelmark.catalog.Scene;
import dev.reelmark.catalog.SceneType;
import dev.reelmark.catalog.Segment;
import dev.reelmark.catalog.SegmentContext;
import dev.reelmark.media.MediaRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where videos and sidecars go in a package: the video's own name, deterministic suffixes, unique folders. */
class PackageLayoutTest {
    @TempDir
    Path data;

    private final List<SegmentContext> scope = new ArrayList<>();

    private void segment(long id, String stored) throws Exception {
        Path f = data.resolve(stored);
        Files.createDirectories(f.getParent());
        if (!Files.exists(f)) Files.writeString(f, "video " + id);
        Instant t = Instant.EPOCH;
        scope.add(new SegmentContext(new Segment(id, 1, (int) id, null, stored, null, "complete", t, t),
                new Scene(1, 1, 1, "s", "active", t, t), new SceneType(1, 1, "idle", null, t, t),
                new Character(1, 1, "c", null, List.of(), null, null, null, null, JsonNodeFactory.instance.objectNode(), t, t)));
    }

    @Test
    void videosKeepTheirNamesAndCollisionsGetDeterministicSuffixes() throws Exception {
        segment(5, "media/évènement 🎬.mov");
        segment(4, "media/a:b.mp4");        // ':' cannot be on Windows → a_b.mp4, which a_b.mp4 already is
        segment(9, "media/a_b.mp4");
        segment(3, "media/Take.mp4");       // case-insensitive file systems: Take.mp4 and take.mp4 are one file
        segment(2, "media/take.mp4");
        segment(6, "media/x.mp4");          // two videos, one sidecar stem
        segment(7, "media/x.mov");
        segment(8, "media/x.mp4");          // a second segment on the same file
        PackageLayout layout = PackageLayout.of(scope, MediaRoots.of(data));

        assertThat(layout.of(5)).isEqualTo(new PackageLayout.Placed("media/évènement 🎬.mov", "media/évènement 🎬"));
        assertThat(layout.of(9).mediaPath()).isEqualTo("media/a_b.mp4");                       // its name needed no change
        assertThat(layout.of(4).mediaPath()).isEqualTo("media/a_b_segment4.mp4");
        assertThat(layout.of(2).mediaPath()).isEqualTo("media/take.mp4");                       // lower id first
        assertThat(layout.of(3).mediaPath()).isEqualTo("media/Take_segment3.mp4");
        assertThat(layout.of(6)).isEqualTo(new PackageLayout.Placed("media/x.mp4", "media/x"));
        assertThat(layout.of(7)).isEqualTo(new PackageLayout.Placed("media/x.mov", "media/x_segment7"));
        assertThat(layout.of(8)).isEqualTo(new PackageLayout.Placed("media/x.mp4", "media/x_segment8"));

        // the same scope in another order lays out the same way (a resumed export names files as the first run)
        java.util.Collections.reverse(scope);
        PackageLayout again = PackageLayout.of(scope, MediaRoots.of(data));
        for (long id = 2; id <= 9; id++) assertThat(again.of(id)).isEqualTo(layout.of(id));
    }

    @Test
    void templateFoldersAreUniqueAndNeverAMediaFolder() throws Exception {
        segment(1, "media/clip.mp4");
        PackageLayout layout = PackageLayout.of(scope, MediaRoots.of(data));
        Instant t = Instant.EPOCH;
        var json = JsonNodeFactory.instance.objectNode();
        List<SidecarTemplate> templates = List.of(new SidecarTemplate(1, "Nuke XML", null, "xml", null, json, true, t, t),
                new SidecarTemplate(12, "nuke-xml", null, "xml", null, json, false, t, t),
                new SidecarTemplate(13, "Media", null, "xml", null, json, false, t, t),
                new SidecarTemplate(1, "Nuke XML", null, "xml", null, json, true, t, t));
        assertThat(layout.templateFolders(templates)).containsExactly(java.util.Map.entry(1L, "nuke_xml"),
                java.util.Map.entry(12L, "nuke_xml_12"), java.util.Map.entry(13L, "media_13"));
    }
}
