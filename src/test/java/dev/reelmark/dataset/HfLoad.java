package dev.reelmark.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.json.Json;
import dev.reelmark.testing.Consumers;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Loads dataset ZIPs with the real Hugging Face {@code datasets} library, in one Python process: each ZIP is
 * extracted with Python's zipfile, loaded twice (by folder with {@code load_dataset("videofolder"|"imagefolder",
 * data_dir=…)}, and through the dataset card's configs and features with {@code load_dataset(root)}), every split
 * iterated row by row with the media column's decoding off (no torchcodec/decord/Pillow in the consumers' venv).
 * Each row's values are checked against its types and against its sample's metadata file; each media path must
 * exist, and no two videos of the dataset may hold the same bytes (one source file is one sample). The answer, per ZIP: splits, row counts, features (dtype per column) of both loads, and the seen problems.
 */
final class HfLoad {
    private HfLoad() {
    }

    static final String SCRIPT = """
            import hashlib, json, os, sys, tempfile, zipfile
            import datasets
            from datasets import Video, Image
            datasets.disable_progress_bars()
            out = []
            for zpath in sys.argv[1:]:
                root = tempfile.mkdtemp(prefix="hfload-")
                with zipfile.ZipFile(zpath) as z:
                    z.extractall(root)
                manifest = json.load(open(os.path.join(root, "manifest.json")))
                videos = manifest["config"]["include_videos"]
                media = "video" if videos else "image"
                builder = "videofolder" if videos else "imagefolder"
                cache = tempfile.mkdtemp(prefix="hfcache-")
                report = {"zip": zpath, "loads": {}, "problems": []}
                for how in ("data_dir", "card"):
                    if how == "data_dir":
                        ds = datasets.load_dataset(builder, data_dir=root, cache_dir=cache)
                    else:
                        ds = datasets.load_dataset(root, cache_dir=cache)
                    load = {"splits": {}, "features": {}}
                    seen = {}
                    for split in ds:
                        d = ds[split].cast_column(media, (Video if videos else Image)(decode=False))
                        feats = {}
                        for name, f in d.features.items():
                            feats[name] = type(f).__name__.lower() if isinstance(f, (Video, Image)) else f.dtype
                        load["features"][split] = feats
                        n = 0
                        for row in d:
                            n += 1
                            path = row[media]["path"]
                            if not os.path.isfile(path):
                                report["problems"].append(f"{how}/{split}: missing media {path}")
                            elif videos:  # source files; two clips' extracted frames may be alike
                                digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
                                if digest in seen:
                                    report["problems"].append(f"{how}/{split}: {path} has the same bytes as {seen[digest]}")
                                seen[digest] = f"{split}/{os.path.basename(path)}"
                            split_dir = os.path.join(root, split)
                            meta = json.load(open(os.path.join(split_dir, row["metadata_file"])))
                            if os.path.realpath(os.path.dirname(path)) != os.path.realpath(split_dir if videos else os.path.join(split_dir, "frames")):
                                report["problems"].append(f"{how}/{split}: {path} is not in its split folder")
                            for col, want in (("segment_id", int), ("scene_id", int), ("receipt_id", int), ("quality_score", float),
                                              ("seed", str), ("prompt", str), ("caption", str), ("negative_prompt", str),
                                              ("model", str), ("lora_weights", str), ("failure_tags", str), ("sample_id", str)):
                                if type(row[col]) is not want:
                                    report["problems"].append(f"{how}/{split}: {col} is {type(row[col]).__name__}: {row[col]!r}")
                            expect_seed = "" if meta["seed"] is None else str(meta["seed"])
                            if row["seed"] != expect_seed:
                                report["problems"].append(f"{how}/{split}: seed {row['seed']!r} != {expect_seed!r}")
                            if row["prompt"] != (meta["prompt"] or ""):
                                report["problems"].append(f"{how}/{split}: prompt differs from {row['metadata_file']}")
                            if json.loads(row["failure_tags"]) != meta["failure_tags"]:
                                report["problems"].append(f"{how}/{split}: failure_tags differ")
                            if row["segment_id"] != meta["segment_id"] or meta["split"] != split:
                                report["problems"].append(f"{how}/{split}: row is segment {row['segment_id']}, file says {meta['segment_id']}/{meta['split']}")
                        load["splits"][split] = n
                    report["loads"][how] = load
                out.append(report)
            print(json.dumps(out))
            """;

    /** The reports of the given ZIPs, in order. */
    static JsonNode load(Path... zips) {
        String[] args = new String[zips.length];
        for (int i = 0; i < zips.length; i++) args[i] = zips[i].toString();
        return Json.parse(Consumers.runPython(SCRIPT, Duration.ofMinutes(5), args).strip());
    }
}
