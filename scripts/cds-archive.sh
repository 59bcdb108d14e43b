#!/usr/bin/env bash
# Makes the class-data sharing archive JSA for JAR's ledger commands: a training run of `ledger set` on a scratch
# ledger with -XX:ArchiveClassesAtExit, then a check that this JVM accepts the archive (-Xshare:on fails when it
# does not); nothing is kept otherwise. Usage: scripts/cds-archive.sh JAR JSA
set -euo pipefail
jar="$1"; jsa="$2"
scratch="$(mktemp -d)"
tmp="$jsa.tmp.$$"
trap 'rm -rf "$scratch"; rm -f "$tmp"' EXIT
opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xlog:cds=off -Xlog:cds+dynamic=off)
ledger=(ledger set cds training --prompt "class-data sharing training" --status ready --file "$scratch/generated-videos.json")
java "${opts[@]}" -XX:ArchiveClassesAtExit="$tmp" -jar "$jar" "${ledger[@]}" >/dev/null 2>&1
java "${opts[@]}" -XX:SharedArchiveFile="$tmp" -Xshare:on -jar "$jar" ledger check --file "$scratch/generated-videos.json" >/dev/null 2>&1
mv -f "$tmp" "$jsa"
