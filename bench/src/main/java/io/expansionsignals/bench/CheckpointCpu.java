package io.expansionsignals.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Diagnostic ({@code -Dbench.checkpoint-cpu=true}): which threads of the process had the cores
 * while a checkpoint ran, and which waited for one, against the time between checkpoints. The
 * account engine's flush before the barrier spends most of its wall time runnable but queued for a
 * core; this says what ran instead. Reads every thread's {@code /proc/self/task/<tid>/schedstat}
 * (nanoseconds on a CPU and waiting in the run queue) every {@link #PERIOD_MS} ms, native threads
 * (RocksDB's, the collector's, the JIT's) included, grouped by the thread's kernel name.
 */
final class CheckpointCpu implements AutoCloseable {
    static final boolean ENABLED = Boolean.getBoolean("bench.checkpoint-cpu");
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final long PERIOD_MS = 50;
    /** New threads are looked for every this many samples (once a second). */
    private static final int RELIST_EVERY = 20;
    /** Pools number their threads ("GC Thread#1", "rocksdb:low0", "data-plane-kafka-request-handler-3"). */
    private static final Pattern NUMBER = Pattern.compile("[#-]?\\d+$");
    private static final int TOP = 8;

    /** One sampling period: when it ended, and on-CPU / run-queue nanoseconds per thread group over it. */
    record Sample(long endMillis, long periodMillis, Map<String, long[]> byGroup) {}

    /** Thread id to its group, its open schedstat file, and its counters at the last read. */
    private final Map<String, String> groups = new HashMap<>();
    private final Map<String, FileChannel> open = new HashMap<>();
    private final Map<String, long[]> last = new HashMap<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(128);
    private long reads;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean stop;

    private CheckpointCpu() {
        sampler = new Thread(this::sample, "checkpoint-cpu");
        sampler.setDaemon(true);
    }

    /** Starts sampling, or returns null when the diagnostic is off. */
    static CheckpointCpu startIfEnabled() {
        return ENABLED ? start() : null;
    }

    static CheckpointCpu start() {
        CheckpointCpu cpu = new CheckpointCpu();
        cpu.read(); // the baseline
        cpu.sampler.start();
        return cpu;
    }

    private void sample() {
        long previous = System.currentTimeMillis();
        while (!stop) {
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.currentTimeMillis();
            Map<String, long[]> grown = read();
            synchronized (samples) {
                samples.add(new Sample(now, now - previous, grown));
            }
            previous = now;
        }
    }

    /** How much each group's on-CPU and waiting time grew since the last read. */
    private Map<String, long[]> read() {
        if (reads++ % RELIST_EVERY == 0) {
            relist();
        }
        Map<String, long[]> grown = new HashMap<>();
        for (Iterator<Map.Entry<String, FileChannel>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, FileChannel> task = it.next();
            String tid = task.getKey();
            try {
                buffer.clear();
                int n = task.getValue().read(buffer, 0); // procfs makes the text anew at each read from 0
                String[] f = new String(buffer.array(), 0, Math.max(n, 0), StandardCharsets.US_ASCII).trim().split(" ");
                long[] now = {Long.parseLong(f[0]), Long.parseLong(f[1])};
                long[] before = last.put(tid, now);
                long[] sum = grown.computeIfAbsent(groups.get(tid), g -> new long[2]);
                sum[0] += now[0] - (before == null ? 0 : before[0]);
                sum[1] += now[1] - (before == null ? 0 : before[1]);
            } catch (IOException | RuntimeException ended) {
                closeQuietly(task.getValue());
                it.remove();
            }
        }
        return grown;
    }

    /**
     * Opens the threads started since the last listing. Listing the directory and opening a file
     * cost ten times a read of an open one, so they are done once a second, not at every sample (a
     * thread started since counts its time so far in the period of its first read).
     */
    private void relist() {
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String tid = task.getFileName().toString();
                if (!open.containsKey(tid)) {
                    try {
                        open.put(tid, FileChannel.open(task.resolve("schedstat")));
                        groups.put(tid, groupOf(task));
                    } catch (IOException ended) {
                        // the thread ended between the listing and the open
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + TASKS, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do: the thread is gone
        }
    }

    /** The kernel's name of a thread (its first 15 characters) without a pool number. */
    static String groupOf(Path task) {
        try {
            return group(Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return "?";
        }
    }

    static String group(String kernelName) {
        String name = NUMBER.matcher(kernelName).replaceFirst("").trim();
        return name.equals("java") ? "java (main: benchmark, load)" : name;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        sampler.join();
        open.values().forEach(CheckpointCpu::closeQuietly);
    }

    /**
     * One line: the share of the time a checkpoint ran, then for the busiest groups while one ran
     * their cores on a CPU and waiting (as "run / wait"), and the same between checkpoints.
     */
    String summary(List<CheckpointSpans.Checkpoint> checkpoints) {
        List<Sample> copy;
        synchronized (samples) {
            copy = List.copyOf(samples);
        }
        return summary(copy, checkpoints.stream().map(c -> new long[] {c.startMillis(), c.startMillis() + c.durationMillis()}).toList());
    }

    /** {@code spans} are [start, end] in epoch ms; a sample counts as "during" when its period's middle lies in one. */
    static String summary(List<Sample> samples, List<long[]> spans) {
        Map<String, long[]> during = new HashMap<>();
        Map<String, long[]> between = new HashMap<>();
        long[] wall = new long[2];
        for (Sample s : samples) {
            long middle = s.endMillis - s.periodMillis / 2;
            boolean in = spans.stream().anyMatch(x -> middle >= x[0] && middle <= x[1]);
            wall[in ? 0 : 1] += s.periodMillis;
            Map<String, long[]> into = in ? during : between;
            s.byGroup.forEach((g, v) -> {
                long[] sum = into.computeIfAbsent(g, k -> new long[2]);
                sum[0] += v[0];
                sum[1] += v[1];
            });
        }
        if (wall[0] == 0 || wall[1] == 0) {
            return "checkpoint CPU: too few samples";
        }
        return String.format(Locale.ROOT, "cores while a checkpoint ran (%.0f %% of %.0f s), on a CPU / waiting for one: %s; between "
                + "checkpoints: %s", 100.0 * wall[0] / (wall[0] + wall[1]), (wall[0] + wall[1]) / 1e3, top(during, wall[0]),
                top(between, wall[1]));
    }

    private static String top(Map<String, long[]> groups, long wallMillis) {
        double ns = wallMillis * 1e6;
        long run = groups.values().stream().mapToLong(v -> v[0]).sum();
        long wait = groups.values().stream().mapToLong(v -> v[1]).sum();
        return groups.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(TOP)
                .map(e -> String.format(Locale.ROOT, "%s %.2f / %.2f", e.getKey(), e.getValue()[0] / ns, e.getValue()[1] / ns))
                .collect(Collectors.joining(", "))
                + String.format(Locale.ROOT, "; all threads %.2f / %.2f", run / ns, wait / ns);
    }
}
