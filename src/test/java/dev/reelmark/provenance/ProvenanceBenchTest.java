package dev.reelmark.provenance;

import dev.reelmark.db.Vendor;
import dev.reelmark.testing.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A quick run of the benchmark (20,000 receipts across 2,000 segments): it runs every query, and its plans use the indexes. */
class ProvenanceBenchTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void quickBenchmarkRunsAndUsesTheIndexes(Vendor vendor) throws Exception {
        try (var tdb = TestDatabases.fresh(vendor, dir)) {
            var r = new ProvenanceBench(tdb.db(), System.out).run(20_000, 2_000, null);
            assertThat(r.timings()).hasSize(4);
            // figures are reported by `reelmark bench provenance`, never asserted: a loaded machine is not a failure
            assertThat(r.timings()).allSatisfy(t -> assertThat(t.runs()).isPositive());
            assertThat(r.plans().get("forward (latest receipt)")).containsIgnoringCase("idx_receipts_segment");
            assertThat(r.plans().get("reverse (LoRA)")).containsIgnoringCase("idx_receipt_loras_asset");
        }
    }
}
