/**
 * The generation ledger: {@code generated-videos.json}, a JSON array recording which videos were generated, from
 * which prompt, where the file is and how generation went.
 *
 * <h2>File format</h2>
 * <pre>
 * [
 *   {
 *     "spotId": "harbor-01",
 *     "eraId": "1920s",
 *     "prompt": "A harbor at dawn, 1920s film stock",
 *     "localPath": "generated/harbor-01__1920s-3f2a9c1b.mp4",
 *     "status": "ready",                       // pending | generating | ready | failed
 *     "createdAt": "2026-11-23T10:00:00.000Z",  // kept by every update
 *     "completedAt": "2026-11-23T10:00:02.512Z",// when it became ready or failed
 *     "error": null                            // why it failed
 *   }
 * ]
 * </pre>
 * Entries are identified by the pair of keys. Their JSON names are configurable ({@link dev.reelmark.ledger.LedgerKeys};
 * {@code REELMARK_LEDGER_KEYS=shotId,take} or {@code reelmark ledger --keys shotId,take}); the file's location with
 * {@code REELMARK_LEDGER_FILE} or {@code --file} (default {@code <data dir>/generated-videos.json}). Entries mirrored
 * from the catalog also carry {@code "catalog": {projectId, sceneId, segmentId}}; fields added by hand are kept.
 *
 * <h2>Safety</h2>
 * Writes are atomic (temp file, fsync, atomic rename, directory fsync) and serialized across processes by an
 * exclusive lock on {@code generated-videos.json.lock} ({@link dev.reelmark.ledger.LedgerStore}). A file that is not
 * a valid ledger is reported with its line and column, copied to {@code generated-videos.json.corrupt-<timestamp>}
 * and never overwritten: writes answer 409 (CLI exit 2) until the file is repaired by hand, or
 * {@code reelmark ledger reset} / {@code POST /api/ledger/reset} moves it aside and starts {@code []}, or
 * {@code reelmark ledger restore FILE} puts a good copy in its place.
 *
 * <h2>Generation</h2>
 * {@link dev.reelmark.ledger.LedgerService#generateAndStore} marks an entry generating, runs a
 * {@link dev.reelmark.ledger.VideoGenerator} and marks it ready (with localPath) or failed (with the error); through
 * the API it runs as the background job {@code ledger.generate}. Generators: {@link dev.reelmark.ledger.TitleCardGenerator}
 * (a title card showing the prompt, drawn with the font in the jar and encoded by ffmpeg) and {@link dev.reelmark.ledger.HttpGenerator}
 * ({@code REELMARK_LEDGER_GENERATOR_URL}).
 */
package dev.reelmark.ledger;
