// Reads C2PA manifests with the reference implementation (c2pa-rs built to WebAssembly), offline.
// Usage: node read.js FILE... → one JSON array on stdout: per file {file, format, manifest_store} or {file, format, error}.
// A .c2pa file is a bare manifest store (a sidecar): c2pa-rs reads it as 'application/c2pa', without its asset.
'use strict';
const fs = require('fs');
const path = require('path');
const pkg = path.join(__dirname, 'node_modules', '@contentauth', 'c2pa-wasm', 'pkg');
const c2pa = require(path.join(pkg, 'c2pa.js'));
c2pa.initSync({ module: fs.readFileSync(path.join(pkg, 'c2pa_bg.wasm')) });

function formatOf(file) {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.mov') return 'video/quicktime';
  if (ext === '.m4v') return 'video/x-m4v';
  if (ext === '.c2pa') return 'application/c2pa';
  return 'video/mp4';
}

(async () => {
  const out = [];
  for (const file of process.argv.slice(2)) {
    const format = formatOf(file);
    try {
      const reader = await c2pa.WasmReader.fromBytes(format, new Uint8Array(fs.readFileSync(file)));
      out.push({ file, format, manifest_store: JSON.parse(reader.json()) });
    } catch (e) {
      out.push({ file, format, error: String(e && e.message ? e.message : e) });
    }
  }
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
})().catch((e) => { console.error(e); process.exit(3); });
