package dev.reelmark.dataset;

import dev.reelmark.app.AppConfig;
import dev.reelmark.app.Reelmark;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.cli.Main;
import dev.reelmark.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code reelmark datasets export} refuses out-of-range numbers with exit code 2 and the field's message, exporting nothing. */
class DatasetCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String err) {
    }

    private Run reelmark(String... args) {
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String[] all = new String[args.length + 2];
            System.arraycopy(args, 0, all, 0, args.length);
            all[args.length] = "--data";
            all[args.length + 1] = dir.toString();
            return new Run(Main.run(all), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(before);
        }
    }

    @Test
    void outOfRangeSplitsAndSeedsExitWithTwoNamingTheField() {
        long project;
        try (Reelmark app = Reelmark.open(AppConfig.defaults(dir).withJobWorkers(0))) {
            project = app.catalog().create(CatalogModel.PROJECTS, Json.object().put("name", "cli")).get("id").longValue();
        }
        String p = Long.toString(project);
        Run overflow = reelmark("datasets", "export", "--project", p, "--split", "4294967396/0/0");
        assertThat(overflow.exit()).as(overflow.err()).isEqualTo(2);
        assertThat(overflow.err()).contains("splits.train").contains("4294967396");
        Run negative = reelmark("datasets", "export", "--project", p, "--split", "100/-4294967296/0");
        assertThat(negative.exit()).isEqualTo(2);
        assertThat(negative.err()).contains("splits.validation");
        Run seed = reelmark("datasets", "export", "--project", p, "--seed", "-5");
        assertThat(seed.exit()).isEqualTo(2);
        assertThat(seed.err()).contains("seed");
        Run sum = reelmark("datasets", "export", "--project", p, "--split", "70/20/20");
        assertThat(sum.exit()).isEqualTo(2);
        assertThat(sum.err()).contains("= 110");
        Run unsignable = reelmark("datasets", "export", "--project", p, "--no-videos", "--content-credentials");
        assertThat(unsignable.exit()).isEqualTo(2);
        assertThat(unsignable.err()).contains("content_credentials", "include_videos");
        try (Reelmark app = Reelmark.open(AppConfig.defaults(dir).withJobWorkers(0))) {
            assertThat(app.datasets().list(project)).isEmpty();
        }
    }
}
