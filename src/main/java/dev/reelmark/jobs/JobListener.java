package dev.reelmark.jobs;

/**
 * Told about every change to a job made in this process (submit, claim, progress, checkpoint, pause, resume,
 * cancel, completion, failure, recovery). Called synchronously on the thread that made the change: keep it quick
 * and never block. Changes made by other processes are not reported; poll {@link JobService#find} for those.
 */
@FunctionalInterface
public interface JobListener {
    void jobChanged(Job job);
}
