package io.expansionsignals.functions;

import java.util.LinkedHashMap;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The account cache's look-up of a cached account by the record's key (an equal but distinct
 * String, as a decoded record's is), in random order over all cached accounts: the access-ordered
 * {@code LinkedHashMap} the cache used up to change 25 against its {@link AccountTable}. With a
 * million entries the table, the nodes and the keys are far larger than the CPU's caches, as at
 * 1 M accounts in the job. In this package because the table is the job's package-private class.
 * {@code ./bench/jmh.sh AccountCacheLookup}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"})
public class AccountCacheLookupBenchmarks {
    private static final int PROBES = 1 << 22;

    @State(Scope.Thread)
    public static class Cache {
        @Param({"40000", "1000000"})
        int accounts;

        @Param({"linkedHashMap", "accountTable"})
        String table;

        /** One of the two, after {@link #fill}. */
        LinkedHashMap<String, AccountTable.Entry> lru;
        AccountTable clock;
        String[] probes;
        int next;

        @Setup(Level.Trial)
        public void fill() {
            SplittableRandom rnd = new SplittableRandom(42);
            if (table.equals("linkedHashMap")) {
                lru = new LinkedHashMap<>(Math.min(accounts, 1 << 16) + 1, 0.75f, true); // as the cache built it
            } else {
                clock = new AccountTable(accounts);
            }
            for (int i = 0; i < accounts; i++) {
                String key = String.format("acct-%07d", i);
                if (lru != null) {
                    lru.put(key, new AccountTable.Entry(key));
                } else {
                    clock.add(key);
                }
            }
            probes = new String[PROBES];
            for (int i = 0; i < PROBES; i++) {
                probes[i] = String.format("acct-%07d", rnd.nextInt(accounts)); // a record's own String
            }
            System.gc();
        }
    }

    @Benchmark
    public Object lookUp(Cache c) {
        String key = c.probes[c.next++ & (PROBES - 1)];
        return c.lru != null ? c.lru.get(key) : c.clock.get(key);
    }
}
