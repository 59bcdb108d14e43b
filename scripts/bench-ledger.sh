#!/usr/bin/env bash
# Wall time of N `reelmark ledger set KEY KEY --status ...` processes (each a partial update: read, lock, atomic
# write with fsync) on a ledger of ENTRIES entries, next to N `python3 -c` and N `jq` one-line edits of the same file
# (no lock, no fsync), one `ledger apply -` of N updates, and the ratios. Prints the machine's load first.
# Usage: scripts/bench-ledger.sh [N=20] [ENTRIES=1000]   (REELMARK_NO_CDS=1 measures without the CDS archive)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-20}"; entries="${2:-1000}"
data="$(mktemp -d /tmp/reelmark-bench-ledger.XXXXXX)"
trap 'rm -rf "$data"' EXIT
file="$data/generated-videos.json"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs; $(java -version 2>&1 | head -n 1)"
python3 - "$file" "$entries" <<'PY'
import json, sys
json.dump([{"spotId": f"shot-{i}", "eraId": "take-1", "prompt": f"prompt {i}", "localPath": None, "status": "pending",
            "createdAt": "2026-01-01T00:00:00.000Z", "completedAt": None, "error": None} for i in range(int(sys.argv[2]))],
          open(sys.argv[1], "w"), indent=2)
PY
"$here/reelmark" ledger check --file "$file" >/dev/null   # builds the jar and the CDS archive when needed

status() { if [ $(( $1 % 2 )) -eq 0 ]; then echo ready; else echo generating; fi; }
TIMEFORMAT="%R %U %S"
# measure NAME FUNCTION: prints wall and CPU (user+sys, children included) per update; the wall ms go to $data/last.
measure() {
  local name="$1"; shift
  local t; t=$( { time "$@" >/dev/null 2>&1; } 2>&1 | tail -n 1)
  awk -v name="$name" -v n="$n" -v t="$t" -v out="$data/last" 'BEGIN { split(t, a, " ");
    printf "%-32s %6.0f ms wall, %6.0f ms CPU per update\n", name, a[1] * 1000 / n, (a[2] + a[3]) * 1000 / n;
    printf "%f\n", a[1] * 1000 / n > out }'
}
sets() { for i in $(seq 1 "$n"); do
  "$here/reelmark" ledger set "shot-$(( i % entries ))" take-1 --status "$(status "$i")" --file "$file"; done; }
pys() { for i in $(seq 1 "$n"); do
  python3 -c 'import json,sys,os; f=sys.argv[1]; d=json.load(open(f)); [e.update(status=sys.argv[3]) for e in d if e["spotId"]==sys.argv[2] and e["eraId"]=="take-1"]; json.dump(d,open(f+".tmp","w"),indent=2); os.replace(f+".tmp",f)' \
    "$file" "shot-$(( i % entries ))" "$(status "$i")"; done; }
jqs() { for i in $(seq 1 "$n"); do
  jq --arg s "shot-$(( i % entries ))" --arg st "$(status "$i")" \
    '(.[] | select(.spotId == $s and .eraId == "take-1") | .status) |= $st' "$file" > "$file.tmp" && mv "$file.tmp" "$file"; done; }
batch() { for i in $(seq 1 "$n"); do
  printf '{"spotId":"shot-%d","eraId":"take-1","status":"%s","localPath":"generated/%d.mp4"}\n' $(( i % entries )) "$(status "$i")" "$i"
  done | "$here/reelmark" ledger apply - --file "$file"; }

echo "$n updates of a $entries-entry ledger:"
measure "ledger set (a process each)" sets; set_ms=$(cat "$data/last")
measure "python3 -c json edit" pys; py_ms=$(cat "$data/last")
measure "jq edit" jqs; jq_ms=$(cat "$data/last")
measure "ledger apply - (one process)" batch
"$here/reelmark" ledger check --file "$file" >/dev/null
awk -v s="$set_ms" -v p="$py_ms" -v j="$jq_ms" 'BEGIN { printf "ratio (wall) ledger set / python3: %.2fx; ledger set / jq: %.2fx\n", s / p, s / j }'
# the same figures cli.MachineLoad prints: a run that shared the CPUs shows it
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"
