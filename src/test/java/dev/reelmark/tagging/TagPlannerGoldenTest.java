package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.json.Json;
import dev.reelmark.tagging.TagRecords.CacheRow;
import dev.reelmark.tagging.TagRecords.PlanEdit;
import dev.reelmark.tagging.TagRecords.PlanItem;
import dev.reelmark.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plan item {@link TagPlanner} builds for a fixed set of inputs (what the file's comment holds now, its people
 * key, the catalog's people, a user's edit, a bad name, an unsupported container, a probe error, a path outside the
 * roots), all items with their statistics and categories in golden/tagging/plan-items.json (the temp directory is
 * written as $DIR; item_key, a hash of the real path, is checked against {@code itemKey} instead).
 */
class TagPlannerGoldenTest {
    @TempDir
    Path dir;

    static final String COMFY = "{\"prompt\": {\"3\": {\"class_type\": \"KSampler\", \"inputs\": {\"seed\": 7}}}}";

    record Case(String name, String ext, List<String> people, String formatName, String comment, String probeError,
                String peopleKey, boolean hasXmp, PlanEdit edit) {
    }

    @Test
    void planItemsForAFixedSetOfInputs() throws Exception {
        List<Case> cases = List.of(
                new Case("a-empty", "mp4", List.of("Ava Reyes"), "mov,mp4,m4a,3gp,3g2,mj2", null, null, null, false, null),
                new Case("b-people", "mp4", List.of("Ava Reyes", "Chloe"), "mov,mp4,m4a,3gp,3g2,mj2", "People: Ava Reyes, Bo", null, null, false, null),
                new Case("c-custom", "mkv", List.of("Chloe"), "matroska,webm", "shot on day 2\nkeep this", null, null, false, null),
                new Case("d-comfy", "mp4", List.of("Ava Reyes"), "mov,mp4,m4a,3gp,3g2,mj2", COMFY, null, null, true, null),
                new Case("e-comfy-key", "mp4", List.of("Ava Reyes"), "mov,mp4,m4a,3gp,3g2,mj2", COMFY, null, PeopleComment.keyValue(List.of("Ava Reyes", "Old")), false, null),
                new Case("f-comfy-replace", "mkv", List.of("Ava Reyes"), "matroska,webm", COMFY, null, null, false,
                        new PlanEdit("fp-f", List.of("Ava Reyes", "Extra"), false, false)),
                new Case("g-bad-name", "mp4", List.of("Ava\nReyes", "Bo"), "mov,mp4,m4a,3gp,3g2,mj2", null, null, null, false, null),
                new Case("h-avi", "avi", List.of("Bo"), "avi", null, null, null, false, null),
                new Case("i-probe-error", "mp4", List.of("Bo"), null, null, "ffprobe: moov atom not found", null, false, null),
                new Case("j-skipped", "mp4", List.of("Bo"), "mov,mp4,m4a,3gp,3g2,mj2", "People: Bo", null, null, false,
                        new PlanEdit("fp-j", null, true, null)));
        TagPlanner planner = new TagPlanner(null, null, null, null, null, TagConfig.defaults());
        List<PlanItem> items = new ArrayList<>();
        long segment = 100;
        for (Case c : cases) {
            Path file = dir.resolve(c.name() + "." + c.ext());
            Files.write(file, ("not really a " + c.ext() + " file: " + c.name()).getBytes());
            Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-11-20T08:00:00Z")));
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            String fp = "fp-" + c.name().charAt(0);
            CacheRow row = new CacheRow(file.toString(), attrs.size(), attrs.lastModifiedTime().toMillis(), fp, c.formatName(),
                    c.comment(), c.probeError(), c.peopleKey(), c.hasXmp(), 0);
            ObjectNode provenance = c.comment() == COMFY ? (ObjectNode) Json.parse("{\"generation_source\": \"file_comment\", \"seed\": 7}") : null;
            items.add(planner.item(new TagPlanner.Target("media/" + file.getFileName(), file, List.of(segment++), c.people()),
                    new TagPlanner.FileState(attrs.size(), attrs.lastModifiedTime().toInstant(), row, null, null), c.edit(), provenance));
        }
        items.add(planner.item(new TagPlanner.Target("../outside/x.mp4", null, List.of(segment), List.of("Bo")), null, null, null));

        var out = Json.object();
        var array = out.putArray("items");
        for (PlanItem i : items) {
            ObjectNode n = Json.MAPPER.valueToTree(i);
            assertThat(i.itemKey()).isEqualTo(TagPlanner.itemKey(i.filePath(), i.fileHash()));
            n.remove("item_key");
            array.add(n);
        }
        out.set("statistics", Json.MAPPER.valueToTree(TagPlanner.statistics(items)));
        out.set("categories", Json.MAPPER.valueToTree(TagPlanner.categories(items)));
        String text = Json.PRETTY.writeValueAsString(out).replace(dir.toString(), "$DIR") + "\n";
        Golden.check("tagging/plan-items.json", text);
        assertThat(items).extracting(PlanItem::riskLevel).contains("safe", "warning", "blocked");
    }
}
