package dev.reelmark.dataset;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.json.Json;
import dev.reelmark.media.MediaRoots;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One dataset sample as WebDataset members: {@code <key>.<video extension>} (the clip's bytes, its real container
 * extension), {@code <key>.jpg} (the extracted frame) and {@code <key>.json} (the sample's metadata, the same
 * document the videofolder package stores under {@code metadata/}), plus its line in the manifest.
 */
final class WebDatasetSamples {
    private WebDatasetSamples() {
    }

    /** Packages one sample whose frame is ready ({@code signed}: its signed video, or null); returns an error (nothing of it written) or null when it is in. */
    static String pack(MediaRoots roots, DatasetConfig config, DatasetService.Sample s, Path signed, WebDatasetPackage shards, Path frame,
                       ArrayNode splitList) throws IOException {
        DatasetService.Clip c = s.clip();
        if (c.file() == null || roots.resolve(c.file().toString()).isEmpty()) return "the video path is outside the media roots";
        WebDatasetWriter writer = shards.writer();
        String key = SampleNames.key(s.id());
        String ext = shards.videoField();
        List<String> members = new ArrayList<>();
        FileChannel video = null;
        FileChannel image = null;
        try {
            List<WebDatasetWriter.Member> parts = new ArrayList<>();
            if (config.includeVideos()) {
                try {
                    video = FileChannel.open(signed != null ? signed : c.file(), StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    return "the video vanished before it was packaged: " + c.storedPath();
                }
                parts.add(WebDatasetWriter.Member.file(ext, video));
                members.add(key + "." + ext);
            }
            if (config.frameImages()) {
                image = FileChannel.open(frame, StandardOpenOption.READ);
                parts.add(WebDatasetWriter.Member.file("jpg", image));
                members.add(key + ".jpg");
            }
            // every input is open: from here on the sample's members are written whole
            ObjectNode metadata = DatasetService.sampleMetadata(s, config.includeVideos() ? key + "." + ext : null,
                    config.frameImages() ? key + ".jpg" : null);
            metadata.put("key", key).put("container", videoExtension(c.fileName()));
            parts.add(WebDatasetWriter.Member.bytes("json", Json.PRETTY.writeValueAsBytes(metadata)));
            members.add(key + ".json");
            String shard = writer.add(s.split(), key, parts);

            ObjectNode m = splitList.addObject().put("key", key).put("shard", shard);
            ArrayNode names = m.putArray("members");
            members.forEach(names::add);
            for (String f : List.of("prompt", "lora_weights", "generation_source", "quality_score", "failure_tags", "scene_type")) {
                m.set(f, metadata.get(f));
            }
            m.set("character_name", metadata.get("character"));
            m.put("split", s.split()).put("segment_id", c.segmentId()).put("scene_id", c.sceneId());
            return null;
        } finally {
            if (video != null) video.close();
            if (image != null) image.close();
        }
    }

    /**
     * The member extension of the videos. Loaders pick fields by extension and Hugging Face's webdataset builder
     * refuses samples whose member types differ, so one export uses one: the clips' own extension when they all
     * share it ({@code mp4} for the usual ComfyUI output, typed as Video by Hugging Face), else {@code video} (the
     * clip's unchanged bytes; its real container is {@code container} in the sample's JSON). Clips are never
     * renamed to a container they are not.
     */
    static String videoField(List<DatasetService.Sample> samples) {
        java.util.Set<String> exts = new java.util.TreeSet<>();
        for (DatasetService.Sample s : samples) exts.add(videoExtension(s.clip().fileName()));
        String only = exts.size() == 1 ? exts.iterator().next() : null;
        return only == null || only.equals("jpg") || only.equals("json") ? "video" : only;
    }

    /** What the manifest says about reading the shards. */
    static void describe(ObjectNode manifest, ObjectNode loaders) {
        manifest.put("package_format", DatasetFormat.WEBDATASET);
        loaders.put("webdataset", "webdataset.WebDataset('<folder>/' + shard_patterns['train'])  # or the URLs listed under shards");
        loaders.put("wids", "wids.ShardListDataset('<folder>/train.wids.json')");
        loaders.put("huggingface", "datasets.load_dataset('webdataset', data_files={'train': '<folder>/train-*.tar'})");
        loaders.put("pytorch", "read manifest.json; shards[] lists every tar with its split, sample count and size; "
                + "a sample is the members <key>.<ext> sharing one key (no dots in keys)");
    }

    /** The clip's container extension, lower case; {@code bin} when it has none a loader could use. */
    private static String videoExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "bin" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return ext.matches("[a-z0-9]{1,8}") ? ext : "bin";
    }
}
