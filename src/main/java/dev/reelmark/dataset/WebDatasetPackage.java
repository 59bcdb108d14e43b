package dev.reelmark.dataset;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A WebDataset export as users of {@code webdataset} and {@code wids} expect it: one folder
 * {@code dataset-<id>/} holding the shards {@code <split>-000000.tar…}, {@code manifest.json} (the dataset
 * manifest with every shard, its sample count and size) and per split a wids shard index
 * {@code <split>.wids.json} whose relative URLs resolve beside it. The folder is built under a hidden name and
 * renamed into place once whole, so a reader never sees half an export; a failed or cancelled one leaves nothing.
 */
final class WebDatasetPackage implements AutoCloseable {
    static final String MANIFEST = "manifest.json";
    private final Path target;
    private final Path staging;
    private final WebDatasetWriter writer;
    private final String videoField;
    private boolean committed;

    private WebDatasetPackage(Path target, Path staging, WebDatasetWriter writer, String videoField) {
        this.target = target;
        this.staging = staging;
        this.writer = writer;
        this.videoField = videoField;
    }

    /**
     * {@code videoField} is the member extension every sample's video gets (see {@link WebDatasetSamples#videoField}),
     * null for an export of frames only.
     */
    static WebDatasetPackage create(Path target, long shardBytes, Instant mtime, String videoField) throws IOException {
        Path staging = target.resolveSibling("." + target.getFileName() + ".partial");
        DatasetService.deleteTree(staging);
        Files.createDirectories(staging);
        return new WebDatasetPackage(target, staging, new WebDatasetWriter(staging, shardBytes, mtime), videoField);
    }

    WebDatasetWriter writer() {
        return writer;
    }

    String videoField() {
        return videoField;
    }

    /** Closes the last shard, adds the shard list to the manifest, writes the indexes and moves the folder in place. */
    Path commit(ObjectNode manifest, String datasetName) throws IOException {
        List<WebDatasetWriter.Shard> shards = writer.finish();
        manifest.put("video_field", videoField);
        ArrayNode list = manifest.putArray("shards");
        for (WebDatasetWriter.Shard s : shards) {
            list.addObject().put("split", s.split()).put("url", s.name()).put("nsamples", s.samples()).put("filesize", s.sizeBytes());
        }
        ObjectNode patterns = manifest.putObject("shard_patterns");
        ObjectNode indexes = manifest.putObject("shard_indexes");
        for (String split : DatasetConfig.SPLITS) {
            List<WebDatasetWriter.Shard> of = shards.stream().filter(s -> s.split().equals(split)).toList();
            if (of.isEmpty()) continue;
            String file = split + ".wids.json";
            indexes.put(split, file);
            // brace notation as webdataset.WebDataset expands it
            patterns.put(split, of.size() == 1 ? of.get(0).name() : split + "-{" + String.format(java.util.Locale.ROOT, "%06d..%06d", 0, of.size() - 1) + "}.tar");
            // the wids shard index format (wids.ShardListDataset reads it; URLs are relative to this file)
            ObjectNode idx = Json.object().put("__kind__", "wids-shard-index-v1").put("wids_version", 1).put("name", datasetName + " (" + split + ")");
            ArrayNode sl = idx.putArray("shardlist");
            for (WebDatasetWriter.Shard s : of) sl.addObject().put("url", s.name()).put("nsamples", s.samples()).put("filesize", s.sizeBytes());
            Files.write(staging.resolve(file), Json.PRETTY.writeValueAsBytes(idx));
        }
        Files.write(staging.resolve(MANIFEST), Json.PRETTY.writeValueAsBytes(manifest));
        DatasetService.deleteTree(target);
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
        return target;
    }

    @Override
    public void close() throws IOException {
        try {
            writer.close();
        } finally {
            if (!committed) DatasetService.deleteTree(staging);
        }
    }

    /** Every file of a finished export folder, added up. */
    static long size(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            long total = 0;
            for (Path f : files.toList()) total += Files.size(f);
            return total;
        }
    }

    /**
     * One file of a finished export by its name: a shard, the manifest or a shard index, never anything else
     * (no paths, no links), so the download route cannot be walked out of the folder.
     */
    static Optional<Path> file(Path folder, String name) {
        boolean known = WebDatasetWriter.isShardName(name) || name.equals(MANIFEST)
                || DatasetConfig.SPLITS.stream().anyMatch(s -> name.equals(s + ".wids.json"));
        if (!known) return Optional.empty();
        Path f = folder.resolve(name);
        return Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) ? Optional.of(f) : Optional.empty();
    }
}
