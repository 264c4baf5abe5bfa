package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class HostCpuTest {
    /** /proc/stat as a 2-CPU machine writes it: user nice system idle iowait irq softirq steal guest guest_nice. */
    private static List<String> stat(long user, long system, long idle, long steal) {
        return List.of(
                "cpu  " + user + " 0 " + system + " " + idle + " 0 0 0 " + steal + " 0 0",
                "cpu0 1 0 1 1 0 0 0 0 0 0",
                "cpu1 1 0 1 1 0 0 0 0 0 0",
                "intr 12345 0 0",
                "ctxt 999");
    }

    @Test
    void parsesTheAggregateLineAndCountsTheCpus() {
        HostCpu.Ticks t = HostCpu.parse(List.of(
                "cpu  100 5 20 300 7 1 2 9 4 0", "cpu0 1 2 3 4 5 6 7 8 0 0", "cpu1 1 2 3 4 5 6 7 8 0 0", "ctxt 1"));
        assertEquals(2, t.cpus());
        assertEquals(100 + 5 + 20 + 1 + 2, t.busy()); // guest (4) is part of user already
        assertEquals(9, t.steal());
        assertEquals(128 + 300 + 7 + 9, t.total());
    }

    @Test
    void reportsBusyCoresThisProcessesShareTheRestAndSteal() {
        // 10 s on 2 CPUs = 2,000 ticks: 1,800 busy (1.8 cores), 100 stolen (0.1 core), 100 idle.
        HostCpu.Ticks from = HostCpu.parse(stat(1_000, 500, 10_000, 50));
        HostCpu.Ticks to = HostCpu.parse(stat(1_000 + 1_500, 500 + 300, 10_000 + 100, 50 + 100));
        String line = HostCpu.summary(from, to, 15.0, 10.0); // this process: 1.5 cores
        assertEquals("host: 2 CPUs, 1.80 busy (this process 1.50, the rest 0.30), steal 0.10", line);
    }

    @Test
    void theRestIsNeverNegativeWhenTheProcessClockRunsAheadOfTheTicks() {
        HostCpu.Ticks from = HostCpu.parse(stat(0, 0, 0, 0));
        HostCpu.Ticks to = HostCpu.parse(stat(1_000, 0, 1_000, 0)); // 1.0 core busy
        assertTrue(HostCpu.summary(from, to, 10.5, 10.0).contains("this process 1.05, the rest 0.00"));
    }

    @Test
    void anEmptyIntervalSaysSoInsteadOfDividingByZero() {
        HostCpu.Ticks same = HostCpu.parse(stat(1, 1, 1, 1));
        assertEquals("host: interval too short for host CPU figures", HostCpu.summary(same, same, 0, 0));
    }

    @Test
    void aFileWithoutCpuLinesIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> HostCpu.parse(List.of("intr 1", "ctxt 2")));
    }

    @Test
    void pageCacheReadBackIsTheFileRefaultsInMegabytes() {
        HostCpu.Paging from = HostCpu.parsePaging(List.of("nr_free_pages 5", "workingset_refault_anon 7",
                "workingset_refault_file 1000", "pgmajfault 40"));
        HostCpu.Paging to = HostCpu.parsePaging(List.of("workingset_refault_anon 900",
                "workingset_refault_file " + (1000 + 3 * 256), "pgmajfault 52"));
        assertEquals("page cache read back 3 MB (major faults 12)", HostCpu.paging(from, to)); // 768 pages of 4 KB
    }

    @Test
    void olderKernelsRefaultCounterCountsToo() {
        assertEquals(new HostCpu.Paging(9, 3), HostCpu.parsePaging(List.of("workingset_refault 9", "pgmajfault 3")));
        assertThrows(IllegalArgumentException.class, () -> HostCpu.parsePaging(List.of("pgmajfault 3")));
    }

    @Test
    void onLinuxTheLiveReadingGivesFigures() throws Exception {
        Assumptions.assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/stat")));
        HostCpu host = HostCpu.start();
        Thread.sleep(200);
        String line = host.summary();
        assertTrue(line.matches("host: \\d+ CPUs, \\d+\\.\\d\\d busy .*steal \\d+\\.\\d\\d"
                + "; page cache read back [\\d,]+ MB \\(major faults [\\d,]+\\)"),
                line);
    }
}
