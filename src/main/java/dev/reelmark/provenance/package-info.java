/**
 * Generation provenance (PRD-069): immutable generation receipts, staleness after asset updates, targeted
 * regeneration, forward and reverse provenance, and import from ComfyUI output.
 *
 * <h2>Tables ({@code V4__provenance.sql})</h2>
 * {@code generation_receipts} (one row per generation; references the exact asset/image version rows used and copies
 * their names, versions and hashes), {@code receipt_loras} (one row per LoRA per receipt, indexed by
 * {@code (asset_id, receipt_id)}), {@code regeneration_drafts} (planned inputs of segments created by targeted
 * regeneration). Triggers on both vendors refuse any UPDATE of a receipt except setting
 * {@code generation_completed_at}/{@code generation_duration_ms} once (NULL → value), any UPDATE of a LoRA row, and
 * any DELETE while the parent (segment, resp. receipt) still exists — so only the ON DELETE CASCADE from
 * {@code segments} removes receipts. Asset and image versions used by a receipt cannot be deleted (409).
 *
 * <h2>Latest receipt, staleness</h2>
 * A segment's latest receipt is the one with the highest id. A segment is stale when its latest receipt's model,
 * any LoRA, the workflow (assets) or the source/variant image (images) is not the current version of its chain
 * ({@code is_current_version} false). Computed by every query, never stored. A segment without a receipt is
 * "without receipt", not stale.
 *
 * <h2>Canonical encoding v1 of {@code inputs_hash}</h2>
 * {@code inputs_hash} is the lowercase hex SHA-256 of the UTF-8 bytes of this text, one {@code key=value} line per
 * field, each ending in {@code \n}, in exactly this order:
 * <pre>
 * reelmark-generation-inputs/v1
 * source_image_hash=S
 * variant_image_hash=S
 * workflow_name=S
 * workflow_version=S
 * workflow_hash=S
 * model_name=S
 * model_version=S
 * model_hash=S
 * lora_count=N
 * lora=S|S|S|D          (name|version|hash|weight; one line per LoRA, lines sorted by Java String order)
 * prompt_text=S
 * negative_prompt=S
 * cfg_scale=D
 * seed=N
 * resolution_width=N
 * resolution_height=N
 * steps=N
 * sampler=S
 * additional_params=J
 * </pre>
 * <ul>
 * <li>S: a JSON string literal: {@code "}, then the text with only {@code "} → {@code \"}, {@code \} →
 * {@code \\} and U+0000..U+001F → {@code \}u00xx (4 lowercase hex digits) escaped, then {@code "}; no Unicode
 * normalization. A missing value is {@code null} (no quotes).</li>
 * <li>N: an integer in plain decimal ({@code -} sign, no leading zeros, no {@code +}).</li>
 * <li>D: a finite double written as {@code new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString()},
 * and zero (also -0.0) as {@code 0}: 6.50 → {@code 6.5}, 7.0 → {@code 7}, 1e21 → {@code 1000000000000000000000}.
 * NaN and infinities are refused before hashing.</li>
 * <li>J: canonical JSON of the object: no whitespace, object keys sorted by Java String order (UTF-16 code units),
 * arrays in order, strings as S, numbers as D (integers and decimals alike: 81.0 → {@code 81}), {@code true},
 * {@code false}, {@code null}.</li>
 * </ul>
 * Database ids, timing, the segment and the receipt's source are not inputs and are not hashed, so the same inputs
 * give the same hash on SQLite and PostgreSQL and in every run. A golden test pins
 * {@code 5b276ce68e474cc7d1246bd4581333593c231bba7e9575ffbdeba496d6737a44} for its fixture; any change of this
 * encoding must become v2 (a new header), never an edit of v1.
 *
 * <h2>Encoding v2</h2>
 * Inputs with several models, a LoRA CLIP strength or loaded image files (ComfyUI imports) are hashed with v2:
 * header {@code reelmark-generation-inputs/v2}, a fifth {@code |D} (or {@code |null}) on each {@code lora=} line, and
 * {@code model_count=}/{@code model=role|name|version|hash} and {@code source_file_count=}/{@code source_file=role|name|sha256}
 * lines after {@code additional_params}; see docs/inputs-hash.md. Other inputs still hash as v1.
 *
 * <h2>Targeted regeneration</h2>
 * {@code provenance.regenerate} creates, per stale segment, a NEW segment through the catalog in the same scene with
 * the SAME {@code sequence_index} (the old one is kept for comparison; the newest segment id at an index is the
 * current take), status {@code pending}, seed frame copied, and stores the planned inputs (every stale reference
 * swapped for its chain's current version; prompt, seed, weights and parameters kept) as a regeneration draft.
 * Reelmark runs no generator: the draft is a plan, and a receipt is recorded when a generator actually runs.
 * The draft copies what it replaces (V8), so it outlives that segment. A stale segment with an open draft (new take
 * without receipt, not failed or rejected) is not queued again; once the new take has a receipt the old segment is
 * superseded: not stale, counted apart. See {@link dev.reelmark.provenance.Regenerations}.
 *
 * <h2>Holes closed by V8</h2>
 * No receipt or LoRA row can be written twice (REPLACE, INSERT OR REPLACE, upserts: BEFORE INSERT triggers), no
 * TRUNCATE on PostgreSQL (statement triggers), and {@code asset_segment_usage} only changes through its triggers.
 */
package dev.reelmark.provenance;
