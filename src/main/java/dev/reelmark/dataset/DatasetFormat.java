package dev.reelmark.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.InvalidInput;

import java.util.List;

/**
 * How a dataset is packaged: {@code videofolder} (one ZIP laid out for Hugging Face's videofolder loader, the
 * default) or {@code webdataset} (POSIX tar shards of at most {@code shard_size_mb} per split, with a manifest).
 */
public record DatasetFormat(String name, int shardSizeMb) {
    public static final String VIDEOFOLDER = "videofolder";
    public static final String WEBDATASET = "webdataset";
    public static final List<String> NAMES = List.of(VIDEOFOLDER, WEBDATASET);
    public static final int DEFAULT_SHARD_MB = 1024;
    public static final int MIN_SHARD_MB = 1;
    /** 64 GiB: far beyond what a loader wants in one file, and no overflow in bytes. */
    public static final int MAX_SHARD_MB = 65_536;
    public static final DatasetFormat DEFAULT = new DatasetFormat(VIDEOFOLDER, DEFAULT_SHARD_MB);

    public boolean webDataset() {
        return WEBDATASET.equals(name);
    }

    public long shardBytes() {
        return shardSizeMb * 1024L * 1024L;
    }

    /** {@code format} and {@code shard_size_mb} of a request body; a problem is a 400 naming the field. */
    static DatasetFormat parse(ObjectNode body) {
        JsonNode f = body.get("format");
        String name = VIDEOFOLDER;
        if (f != null && !f.isNull()) {
            if (!f.isTextual() || !NAMES.contains(f.asText())) {
                throw InvalidInput.field("format", "must be one of " + String.join(", ", NAMES) + ", got " + f);
            }
            name = f.asText();
        }
        JsonNode s = body.get("shard_size_mb");
        int mb = DEFAULT_SHARD_MB;
        if (s != null && !s.isNull()) {
            if (!WEBDATASET.equals(name)) throw InvalidInput.field("shard_size_mb", "applies only to \"format\": \"webdataset\"");
            // a long or a huge integer is refused by value, never wrapped into range
            if (!s.isIntegralNumber() || !s.canConvertToLong() || s.longValue() < MIN_SHARD_MB || s.longValue() > MAX_SHARD_MB) {
                throw InvalidInput.field("shard_size_mb", "must be a whole number of MiB from " + MIN_SHARD_MB + " to " + MAX_SHARD_MB + ", got " + s);
            }
            mb = s.intValue();
        }
        return new DatasetFormat(name, mb);
    }

    void write(ObjectNode config) {
        config.put("format", name);
        if (webDataset()) config.put("shard_size_mb", shardSizeMb);
    }

    static DatasetFormat fromJson(JsonNode config) {
        return new DatasetFormat(config.path("format").asText(VIDEOFOLDER), config.path("shard_size_mb").asInt(DEFAULT_SHARD_MB));
    }
}
