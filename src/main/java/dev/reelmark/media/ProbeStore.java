package dev.reelmark.media;

import java.util.Optional;

/**
 * Where the probe cache keeps ffprobe's answers between runs, so a batch over clips probed yesterday does not run
 * ffprobe again. An answer is valid only for the exact file state it was made from (path, size, mtime, ctime).
 */
public interface ProbeStore {
    /** The state of a file that an answer belongs to; ctime is 0 where the filesystem does not report one. */
    record FileState(String realPath, long sizeBytes, long mtimeMillis, long ctimeMillis) {
        String key() {
            return realPath + "|" + sizeBytes + "|" + mtimeMillis + "|" + ctimeMillis;
        }
    }

    /** ffprobe's JSON for exactly this file state, if it was recorded. */
    Optional<String> find(FileState state);

    /** Records ffprobe's JSON for this file state, replacing what was kept for the path. */
    void save(FileState state, String probeJson);

    /** The kept JSON of each of these file states that has one, by {@link FileState#key()}. */
    default java.util.Map<String, String> findAll(java.util.List<FileState> states) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (FileState s : states) find(s).ifPresent(j -> out.put(s.key(), j));
        return out;
    }

    /** {@link #save} for many files at once (one transaction where the store has them). */
    default void saveAll(java.util.Map<FileState, String> answers) {
        answers.forEach(this::save);
    }

    /** Keeps nothing (tests, tools without a database). */
    ProbeStore NONE = new ProbeStore() {
        @Override
        public Optional<String> find(FileState state) {
            return Optional.empty();
        }

        @Override
        public void save(FileState state, String probeJson) {
        }
    };
}
