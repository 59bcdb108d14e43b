package dev.reelmark.ledger;

import dev.reelmark.media.FfmpegTools;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where the ledger is and how it is keyed.
 *
 * @param file         the ledger file; default {@code <data dir>/generated-videos.json}
 * @param keys         the JSON names of the two keys; default {@code spotId}/{@code eraId}
 * @param generatorUrl an external generation service ({@link HttpGenerator}); null: {@link TitleCardGenerator}
 */
public record LedgerConfig(Path file, LedgerKeys keys, URI generatorUrl) {
    public static final String FILE_NAME = "generated-videos.json";
    /** The ledger file (absolute, or relative to the current directory). */
    public static final String ENV_FILE = "REELMARK_LEDGER_FILE";
    /** The two key names, comma-separated, e.g. {@code shotId,take}. */
    public static final String ENV_KEYS = "REELMARK_LEDGER_KEYS";
    /** The URL of an external generation service. */
    public static final String ENV_GENERATOR_URL = "REELMARK_LEDGER_GENERATOR_URL";
    /** Where generated videos are written, under the data directory. */
    public static final String GENERATED_DIR = "generated";

    public LedgerConfig {
        file = file.toAbsolutePath().normalize();
        keys = keys == null ? LedgerKeys.DEFAULT : keys;
    }

    public static LedgerConfig defaults(Path dataDir) {
        return new LedgerConfig(dataDir.resolve(FILE_NAME), LedgerKeys.DEFAULT, null);
    }

    /** {@link #defaults} overridden by REELMARK_LEDGER_FILE, REELMARK_LEDGER_KEYS and REELMARK_LEDGER_GENERATOR_URL. */
    public static LedgerConfig fromEnvironment(Path dataDir) {
        return fromEnvironment(dataDir, System.getenv());
    }

    static LedgerConfig fromEnvironment(Path dataDir, Map<String, String> env) {
        String file = blankToNull(env.get(ENV_FILE));
        String keys = blankToNull(env.get(ENV_KEYS));
        String url = blankToNull(env.get(ENV_GENERATOR_URL));
        return new LedgerConfig(file == null ? dataDir.resolve(FILE_NAME) : Path.of(file), LedgerKeys.parse(keys),
                url == null ? null : URI.create(url));
    }

    public LedgerConfig withFile(Path f) {
        return new LedgerConfig(f, keys, generatorUrl);
    }

    public LedgerConfig withKeys(LedgerKeys k) {
        return new LedgerConfig(file, k, generatorUrl);
    }

    public LedgerConfig withGeneratorUrl(URI url) {
        return new LedgerConfig(file, keys, url);
    }

    public LedgerStore store() {
        return new LedgerStore(file, keys);
    }

    /** The configured generator, writing under {@code <data dir>/generated}. */
    public VideoGenerator generator(Path dataDir, Supplier<FfmpegTools> tools) {
        Path out = dataDir.resolve(GENERATED_DIR);
        return generatorUrl != null ? new HttpGenerator(generatorUrl, out, dataDir) : new TitleCardGenerator(tools, out);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
