package dev.reelmark.dataset;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dataset card, {@code README.md} at the export root, as the Hugging Face Hub and {@code datasets} read it: YAML
 * front matter with {@code configs} (one split per folder: its {@code metadata.jsonl} and media files) and
 * {@code dataset_info} (the features of {@link HfMetadata}'s columns, each split's row count, which the loader checks),
 * then a short text saying which tool reads which file. Only non-empty splits are declared. Only fixed identifiers go
 * into the YAML; the export's name is in the text.
 */
final class DatasetCard {
    private DatasetCard() {
    }

    /**
     * @param counts      samples per split (splits with none are left out)
     * @param mediaGlobs  per split, the patterns of its media files relative to the root (e.g. {@code train/*.mp4})
     */
    static String render(String name, DatasetConfig config, Map<String, Integer> counts, Map<String, Set<String>> mediaGlobs) {
        List<String> splits = DatasetConfig.SPLITS.stream().filter(s -> counts.getOrDefault(s, 0) > 0).toList();
        StringBuilder y = new StringBuilder("---\n");
        y.append("configs:\n- config_name: default\n  data_files:\n");
        for (String s : splits) {
            y.append("  - split: ").append(s).append("\n    path:\n");
            y.append("    - ").append(s).append("/metadata.jsonl\n");
            for (String g : mediaGlobs.getOrDefault(s, Set.of())) y.append("    - ").append(quote(g)).append('\n');
        }
        y.append("dataset_info:\n  features:\n");
        for (HfMetadata.Column c : HfMetadata.columns(config)) {
            y.append("  - name: ").append(c.feature()).append("\n    dtype: ").append(c.dtype()).append('\n');
        }
        y.append("  splits:\n");
        for (String s : splits) y.append("  - name: ").append(s).append("\n    num_examples: ").append(counts.get(s)).append('\n');
        y.append("---\n\n");

        String media = config.includeVideos() ? "video" : "image";
        String builder = config.includeVideos() ? "videofolder" : "imagefolder";
        y.append("# ").append(name.replaceAll("[\\r\\n]+", " ")).append("\n\n");
        y.append("A training dataset exported by Reelmark: ").append(splits.isEmpty() ? "no samples" : String.join(", ",
                splits.stream().map(s -> s + " (" + counts.get(s) + ")").toList())).append(".\n\n");
        y.append("| file | read by |\n|---|---|\n");
        y.append("| `README.md` (this card) | Hugging Face `datasets` and the Hub: splits, features, row counts |\n");
        y.append("| `<split>/metadata.jsonl` | `datasets` (").append(builder).append("): one row per sample, `file_name` relative to the split folder |\n");
        if (config.includeVideos()) y.append("| `<split>/<sample>.<ext>` | the video (any video reader: PyAV, torchcodec, decord, ffmpeg) |\n");
        if (config.frameImages()) y.append("| `<split>/frames/<sample>.jpg` | a frame about 10% in (Pillow, torchvision) |\n");
        y.append("| `<split>/metadata/<sample>.json` | the full sample metadata (`json.load`) |\n");
        y.append("| `manifest.json` | every sample's paths, the config, excluded and failed samples, warnings |\n\n");
        y.append("```python\nimport datasets\n")
                .append("ds = datasets.load_dataset(\"<this folder>\")            # reads this card's configs and features\n")
                .append("ds = datasets.load_dataset(\"").append(builder).append("\", data_dir=\"<this folder>\")  # or by folder, one split per folder\n")
                .append("ds = ds.cast_column(\"").append(media).append("\", datasets.").append(config.includeVideos() ? "Video" : "Image")
                .append("(decode=False))  # paths only, without a decoder installed\n```\n\n");
        y.append("Columns never hold null: unknown text is `\"\"`, an unscored sample's `quality_score` is `-1.0`, no receipt is ")
                .append("`receipt_id` 0. `seed` is a decimal string (ComfyUI seeds are unsigned 64-bit); `lora_weights` ")
                .append("(name → model strength) and `failure_tags` are JSON text.\n");
        return y.toString();
    }

    private static String quote(String glob) {
        return "\"" + glob.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
