#!/usr/bin/env bash
# Makes the class-data sharing archive JSA for JAR's ledger commands: a training run of `ledger set` (a partial
# update: read and parse an existing ledger with a catalog link and hand-added fields, lock, write, print) with
# -XX:ArchiveClassesAtExit, then a check that this JVM accepts the archive (-Xshare:on fails when it does not);
# nothing is kept otherwise. Usage: scripts/cds-archive.sh JAR JSA
set -euo pipefail
jar="$1"; jsa="$2"
scratch="$(mktemp -d)"
tmp="$jsa.tmp.$$"
trap 'rm -rf "$scratch"; rm -f "$tmp"' EXIT
opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xlog:cds=off -Xlog:cds+dynamic=off)
file="$scratch/generated-videos.json"
# The training ledger: what the per-frame commands read (an entry of each shape), so the parser's classes are archived.
cat > "$file" <<'JSON'
[
  {"spotId": "cds", "eraId": "training", "prompt": "class-data sharing training", "localPath": null, "status": "pending",
   "createdAt": "2026-01-01T00:00:00.000Z", "completedAt": null, "error": null},
  {"spotId": "cds", "eraId": "mirrored", "prompt": null, "localPath": "media/s.mp4", "status": "failed",
   "createdAt": "2026-01-01T00:00:00.000Z", "completedAt": "2026-01-01T00:00:01.000Z", "error": "x",
   "catalog": {"projectId": 1, "sceneId": 2, "segmentId": 3}, "note": {"by": "hand", "n": [1, 2.5, true, null]}}
]
JSON
java "${opts[@]}" -XX:ArchiveClassesAtExit="$tmp" -jar "$jar" ledger set cds training --status ready --local-path generated/cds.mp4 \
  --file "$file" >/dev/null 2>&1
java "${opts[@]}" -XX:SharedArchiveFile="$tmp" -Xshare:on -jar "$jar" ledger check --file "$file" >/dev/null 2>&1
mv -f "$tmp" "$jsa"
