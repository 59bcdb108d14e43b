package dev.reelmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "File writes are atomic to prevent corruption from concurrent access", taken literally: eight separate JVMs make
 * 500 read-modify-write updates each to one ledger file (each on its own keys, every fifth on keys all of them share)
 * while this test keeps reading the file. No update is lost and every read sees a complete JSON array.
 */
class LedgerMultiProcessTest {
    static final int WORKERS = 8;
    static final int UPDATES = 500;
    static final int OWN_KEYS = 50;
    static final int SHARED_KEYS = 4;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void eightProcessesUpdatingOneLedgerLoseNothingAndReadersNeverSeeAPartialFile() throws Exception {
        Path file = dir.resolve("generated-videos.json");
        LedgerStore.at(file).readAll();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long start = System.nanoTime();
        List<Process> workers = new ArrayList<>();
        // Eight short-lived JVMs share two cores here: C1 only and the serial collector keep their JIT and GC threads
        // from crowding out the work (the ledger code is the same either way).
        for (int w = 0; w < WORKERS; w++) {
            workers.add(new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    LedgerStressWorker.class.getName(), file.toString(), String.valueOf(w), String.valueOf(UPDATES),
                    String.valueOf(OWN_KEYS), String.valueOf(SHARED_KEYS))
                    .redirectOutput(dir.resolve("worker-" + w + ".out").toFile())
                    .redirectError(dir.resolve("worker-" + w + ".err").toFile())
                    .start());
        }

        int samples = 0;
        int largest = 0;
        while (workers.stream().anyMatch(Process::isAlive)) {
            byte[] bytes = Files.readAllBytes(file);
            JsonNode sample = Json.MAPPER.readTree(bytes);
            assertThat(sample).as("sample %d parses as a complete JSON array", samples).isNotNull();
            assertThat(sample.isArray()).isTrue();
            sample.forEach(e -> assertThat(e.get("status").asText()).isEqualTo("ready"));
            largest = Math.max(largest, sample.size());
            samples++;
            Thread.sleep(10);
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        for (int w = 0; w < WORKERS; w++) {
            Process p = workers.get(w);
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("worker %d: %s", w, Files.readString(dir.resolve("worker-" + w + ".err"))).isZero();
        }

        List<LedgerEntry> entries = LedgerStore.at(file).readAll();
        assertThat(entries).hasSize(WORKERS * OWN_KEYS + SHARED_KEYS);
        Map<String, Integer> countByKey = entries.stream().collect(Collectors.toMap(e -> e.key().toString(),
                e -> Integer.parseInt(e.prompt().substring("count=".length()))));
        int ownUpdatesPerKey = UPDATES * 4 / 5 / OWN_KEYS;
        for (int w = 0; w < WORKERS; w++) {
            for (int k = 0; k < OWN_KEYS; k++) {
                assertThat(countByKey.get("w" + w + "/k" + k)).as("updates of w%d/k%d", w, k).isEqualTo(ownUpdatesPerKey);
            }
        }
        int sharedPerKey = WORKERS * (UPDATES / 5) / SHARED_KEYS;
        for (int s = 0; s < SHARED_KEYS; s++) {
            assertThat(countByKey.get("shared/s" + s)).as("updates of shared/s%d from all workers", s).isEqualTo(sharedPerKey);
        }
        assertThat(countByKey.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(WORKERS * UPDATES);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))).as("temp files left").isEmpty();
        }
        assertThat(samples).as("the file was read while being written").isGreaterThan(20);
        System.out.printf("ledger multi-process: %d processes x %d updates in %d ms (%.1f updates/s); %d concurrent reads, "
                        + "largest sample %d entries, all complete%n", WORKERS, UPDATES, elapsedMs,
                WORKERS * UPDATES * 1000.0 / elapsedMs, samples, largest);
    }
}
