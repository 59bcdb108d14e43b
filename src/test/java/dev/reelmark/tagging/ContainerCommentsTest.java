package dev.reelmark.tagging;

import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.FfmpegTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The Java reader agrees with ffprobe on every file it answers for, and stays silent on the rest. */
class ContainerCommentsTest {
    @TempDir
    Path dir;

    @Test
    void agreesWithFfprobe() {
        TagWriter writer = new TagWriter(FfmpegTools::defaults, Duration.ofSeconds(60));
        String unicode = "Ünïcødé ✓ 🎬 \"quoted\" ; = # \\ \nsecond line";
        List<Path> files = new ArrayList<>();
        for (String ext : List.of("mp4", "mov", "mkv")) {
            files.add(TagFixtures.SYNTH.synthesize(TagFixtures.small(), dir.resolve("plain." + ext)));
            files.add(TagFixtures.SYNTH.synthesize(TagFixtures.small().withAudio(true).withSubtitle(true)
                    .withTag("comment", "People: Ann, Bo"), dir.resolve("people." + ext)));
            files.add(TagFixtures.SYNTH.synthesize(TagFixtures.small().withTag("comment", unicode), dir.resolve("unicode." + ext)));
            files.add(TagFixtures.SYNTH.synthesize(TagFixtures.small().withTag("comment", TagFixtures.COMFY), dir.resolve("comfy." + ext)));
            files.add(TagFixtures.SYNTH.synthesize(TagFixtures.small().withTag("comment", "x".repeat(300_000)), dir.resolve("long." + ext)));
            // custom tags make the writer use -movflags +use_metadata_tags (comment in an mdta key)
            Path custom = TagFixtures.SYNTH.synthesize(TagFixtures.small().withTag("reelmark_take", "7"), dir.resolve("custom." + ext));
            writer.rewrite(custom, writer.probeFull(custom), "People: Cy");
            files.add(custom);
        }
        int answered = 0;
        for (Path f : files) {
            Optional<TagWriter.LightProbe> fast = ContainerComments.read(f);
            TagWriter.LightProbe slow = writer.probeLight(f);
            assertThat(slow.error()).isNull();
            if (fast.isPresent()) {
                answered++;
                assertThat(fast.get().comment()).as(f.toString()).isEqualTo(slow.comment());
                assertThat(fast.get().formatName()).as(f.toString()).isEqualTo(slow.formatName());
            }
        }
        assertThat(answered).isEqualTo(files.size());
    }

    @Test
    void staysSilentOnBrokenOrForeignFiles() throws Exception {
        Path good = TagFixtures.SYNTH.synthesize(TagFixtures.small().withTag("comment", "People: A"), dir.resolve("g.mp4"));
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("t.mp4"), Arrays.copyOf(bytes, bytes.length / 2));
        Path text = Files.writeString(dir.resolve("n.mkv"), "not a video at all");
        Path empty = Files.write(dir.resolve("e.mov"), new byte[0]);
        Path mkv = TagFixtures.SYNTH.synthesize(TagFixtures.small(), dir.resolve("k.mkv"));
        byte[] mk = Files.readAllBytes(mkv);
        Path truncatedMkv = Files.write(dir.resolve("tk.mkv"), Arrays.copyOf(mk, mk.length - 100));
        for (Path p : List.of(truncated, text, empty)) assertThat(ContainerComments.read(p)).as(p.toString()).isEmpty();
        // a truncated Matroska file: either unsure, or the same answer as ffprobe's
        var fast = ContainerComments.read(truncatedMkv);
        if (fast.isPresent()) {
            assertThat(fast.get().comment()).isEqualTo(new TagWriter(FfmpegTools::defaults, Duration.ofSeconds(60)).probeLight(truncatedMkv).comment());
        }
    }
}
