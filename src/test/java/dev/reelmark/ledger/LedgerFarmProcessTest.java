package dev.reelmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Farm scripts as separate processes through the real entry point ({@code reelmark ledger ...}): at the same time,
 * four {@code ledger apply -} processes (JSON Lines on stdin) set the localPath of their entries and four
 * {@code ledger set K K K K ... --status ready} processes set the status of the same entries. Every entry ends with
 * both changes and its prompt: no process lost another's update, and no partial update dropped a field.
 */
class LedgerFarmProcessTest {
    static final int GROUPS = 4;
    static final int PER_GROUP = 10;

    @TempDir
    Path dir;

    private ProcessBuilder reelmark(String name, List<String> args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.reelmark.cli.Main", "ledger"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile());
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void concurrentSetAndApplyProcessesKeepEveryUpdate() throws Exception {
        Path file = dir.resolve("generated-videos.json");
        LedgerService seed = new LedgerService(LedgerStore.at(file),
                LedgerConfig.defaults(dir).generator(dir, dev.reelmark.media.FfmpegTools::defaults), null, dir);
        List<LedgerService.KeyedPatch> adds = new ArrayList<>();
        for (int i = 0; i < GROUPS * PER_GROUP; i++) {
            adds.add(new LedgerService.KeyedPatch(i + 1, new EntryKey("shot-" + i, "take-1"),
                    LedgerService.EntryPatch.of("prompt " + i, null, null, null)));
        }
        seed.applyAll(adds);

        List<Process> processes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int g = 0; g < GROUPS; g++) {
            Process apply = reelmark("apply-" + g, List.of("apply", "-", "--file", file.toString()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
            processes.add(apply);
            names.add("apply-" + g);
            List<String> set = new ArrayList<>(List.of("set"));
            for (int i = g * PER_GROUP; i < (g + 1) * PER_GROUP; i++) set.addAll(List.of("shot-" + i, "take-1"));
            set.addAll(List.of("--status", "ready", "--file", file.toString()));
            processes.add(reelmark("set-" + g, set).start());
            names.add("set-" + g);
            try (OutputStream in = apply.getOutputStream()) {
                for (int i = g * PER_GROUP; i < (g + 1) * PER_GROUP; i++) {
                    in.write(("{\"spotId\": \"shot-" + i + "\", \"eraId\": \"take-1\", \"localPath\": \"generated/" + i
                            + ".mp4\"}\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        for (int p = 0; p < processes.size(); p++) {
            assertThat(processes.get(p).waitFor(240, TimeUnit.SECONDS)).as(names.get(p)).isTrue();
            assertThat(processes.get(p).exitValue()).as("%s: %s", names.get(p),
                    Files.readString(dir.resolve(names.get(p) + ".err"))).isZero();
        }
        assertThat(Files.readString(dir.resolve("apply-0.out"))).contains("applied 10 updates");

        JsonNode all = Json.MAPPER.readTree(file.toFile());
        assertThat(all).hasSize(GROUPS * PER_GROUP);
        for (int i = 0; i < GROUPS * PER_GROUP; i++) {
            JsonNode e = all.get(i);
            assertThat(e.get("spotId").asText()).isEqualTo("shot-" + i);
            assertThat(e.get("status").asText()).as("status of shot-%d", i).isEqualTo("ready");
            assertThat(e.get("localPath").asText()).as("localPath of shot-%d", i).isEqualTo("generated/" + i + ".mp4");
            assertThat(e.get("prompt").asText()).isEqualTo("prompt " + i);
        }
    }
}
