package io.expansionsignals.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The whole host's CPU over a measured interval, from Linux's {@code /proc/stat}: how many cores'
 * worth were busy, how much of that was not this process (another build, a stray job), and how
 * much the hypervisor took from this virtual machine (steal); and from {@code /proc/vmstat}, how
 * much evicted page cache had to be read back (the broker's log segments, RocksDB's files). The
 * benchmark's rates move by tens of percent between runs on the same code; this line says whether
 * a slow row shared the machine or waited for its disk.
 */
final class HostCpu {
    private static final Path PROC_STAT = Path.of("/proc/stat");
    private static final Path PROC_VMSTAT = Path.of("/proc/vmstat");
    private static final long PAGE_BYTES = 4096;

    /** Ticks of one snapshot, summed over the host's CPUs. */
    record Ticks(int cpus, long busy, long steal, long total) {}

    /** Page-cache counters of one snapshot: evicted file pages read back, and major faults. */
    record Paging(long fileRefaults, long majorFaults) {}

    private final Ticks start;
    private final Paging startPaging;
    /** This process's CPU and the wall time, from the same instant. */
    private final CpuClock process = new CpuClock();

    private HostCpu(Ticks start, Paging startPaging) {
        this.start = start;
        this.startPaging = startPaging;
    }

    /** A snapshot now; where /proc/stat cannot be read (not Linux) the summary says so. */
    static HostCpu start() {
        return new HostCpu(read(), readPaging());
    }

    /**
     * Since {@link #start}, e.g. "host: 2 CPUs, 1.95 busy (this process 1.90, the rest 0.05), steal
     * 0.01; page cache read back 0 MB (major faults 8)" (cores' worth over the interval).
     */
    String summary() {
        double processCpuSeconds = process.cpuSeconds();
        double wallSeconds = process.wallSeconds(System.nanoTime());
        Ticks end = read();
        if (start == null || end == null) {
            return "host: /proc/stat not readable, no host CPU figures";
        }
        Paging endPaging = readPaging();
        String cpu = summary(start, end, processCpuSeconds, wallSeconds);
        return startPaging == null || endPaging == null ? cpu : cpu + "; " + paging(startPaging, endPaging);
    }

    /** e.g. "page cache read back 312 MB (major faults 1,204)". */
    static String paging(Paging from, Paging to) {
        return String.format(Locale.ROOT, "page cache read back %,d MB (major faults %,d)",
                (to.fileRefaults() - from.fileRefaults()) * PAGE_BYTES / (1024 * 1024), to.majorFaults() - from.majorFaults());
    }

    static String summary(Ticks from, Ticks to, double processCpuSeconds, double wallSeconds) {
        long total = to.total() - from.total();
        if (total <= 0 || wallSeconds <= 0) {
            return "host: interval too short for host CPU figures";
        }
        double busy = (double) (to.busy() - from.busy()) / total * to.cpus();
        double steal = (double) (to.steal() - from.steal()) / total * to.cpus();
        double process = processCpuSeconds / wallSeconds;
        return String.format(Locale.ROOT, "host: %d CPUs, %.2f busy (this process %.2f, the rest %.2f), steal %.2f",
                to.cpus(), busy, process, Math.max(0, busy - process), steal);
    }

    private static Ticks read() {
        return readOrNull(PROC_STAT, HostCpu::parse);
    }

    private static Paging readPaging() {
        return readOrNull(PROC_VMSTAT, HostCpu::parsePaging);
    }

    /** The file parsed, or null where it is missing or not as expected (not Linux, an older kernel). */
    private static <T> T readOrNull(Path file, Function<List<String>, T> parser) {
        try {
            return parser.apply(Files.readAllLines(file));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The "workingset_refault_file" and "pgmajfault" counters (kernels before 5.9 name the first "workingset_refault"). */
    static Paging parsePaging(List<String> lines) {
        long refaults = -1;
        long major = -1;
        for (String line : lines) {
            String[] kv = line.split(" ");
            if (kv.length != 2) {
                continue;
            }
            switch (kv[0]) {
                case "workingset_refault_file", "workingset_refault" -> refaults = Long.parseLong(kv[1]);
                case "pgmajfault" -> major = Long.parseLong(kv[1]);
                default -> { }
            }
        }
        if (refaults < 0 || major < 0) {
            throw new IllegalArgumentException("no refault or major fault counters in /proc/vmstat");
        }
        return new Paging(refaults, major);
    }

    /**
     * The aggregate "cpu" line's ticks and the count of "cpuN" lines. Fields: user nice system idle
     * iowait irq softirq steal (guest time is already counted in user).
     */
    static Ticks parse(List<String> lines) {
        long[] f = null;
        int cpus = 0;
        for (String line : lines) {
            if (line.startsWith("cpu ")) {
                String[] parts = line.trim().split("\\s+");
                f = new long[8];
                for (int i = 0; i < 8 && i + 1 < parts.length; i++) {
                    f[i] = Long.parseLong(parts[i + 1]);
                }
            } else if (line.startsWith("cpu")) {
                cpus++;
            }
        }
        if (f == null || cpus == 0) {
            throw new IllegalArgumentException("no cpu lines in /proc/stat");
        }
        long busy = f[0] + f[1] + f[2] + f[5] + f[6];
        long total = busy + f[3] + f[4] + f[7];
        return new Ticks(cpus, busy, f[7], total);
    }
}
