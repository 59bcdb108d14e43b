package dev.reelmark.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine a benchmark ran on, as one line every benchmark prints before and after its figures, so a reader can
 * tell a quiet run from one that shared the CPUs with other work.
 */
public final class MachineLoad {
    private MachineLoad() {
    }

    /** For example {@code "2 CPU(s), load average 0.42 0.31 0.20 (1, 5, 15 min)"}. */
    public static String describe() {
        int cpus = Runtime.getRuntime().availableProcessors();
        return String.format(Locale.ROOT, "%d CPU(s), load average %s (1, 5, 15 min)", cpus, averages());
    }

    /** The one-minute load average, or -1 where the platform does not report it. */
    public static double oneMinute() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String averages() {
        Path proc = Path.of("/proc/loadavg");
        try {
            if (Files.isReadable(proc)) {
                String[] fields = Files.readString(proc, StandardCharsets.US_ASCII).trim().split("\\s+");
                if (fields.length >= 3) {
                    return fields[0] + " " + fields[1] + " " + fields[2];
                }
            }
        } catch (IOException ignored) {
            // fall back to the one-minute figure the JVM reports
        }
        return String.format(Locale.ROOT, "%.2f", oneMinute());
    }
}
