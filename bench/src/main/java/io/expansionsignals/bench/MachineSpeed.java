package io.expansionsignals.bench;

import java.util.SplittableRandom;

/**
 * How fast this machine is right now, measured on one thread of a quiet process before each row:
 * a chain of dependent integer steps (the core's speed) and a chain of dependent loads at random
 * over 64 MB, far beyond any CPU cache (the memory's latency, which other tenants of the host
 * share). Runs on the same code move by tens of percent between hours; these two figures, set
 * beside the row's rate, say which of the two moved.
 */
final class MachineSpeed {
    /** 16 M ints: 64 MB, larger than the last-level cache of any machine this runs on. */
    private static final int SLOTS = 1 << 24;
    private static final int ARITHMETIC_STEPS = 50_000_000;
    private static final int LOADS = 2_000_000;
    private static int[] cycle;
    /** Keeps the loops' results alive, so the JIT cannot drop them. */
    static volatile long sink;

    private MachineSpeed() {}

    record Reading(double arithmeticNanos, double loadNanos) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "machine (one thread, quiet process): %.2f ns per dependent arithmetic step, %.0f ns per dependent load over 64 MB",
                    arithmeticNanos, loadNanos);
        }
    }

    /** Measures both chains, each run once to warm up and once timed (~0.3 s in all, plus 64 MB once). */
    static Reading measure() {
        if (cycle == null) {
            cycle = randomCycle(SLOTS, 42);
        }
        arithmetic(ARITHMETIC_STEPS / 10);
        long t0 = System.nanoTime();
        sink = arithmetic(ARITHMETIC_STEPS);
        long t1 = System.nanoTime();
        chase(cycle, LOADS / 10);
        long t2 = System.nanoTime();
        sink = chase(cycle, LOADS);
        long t3 = System.nanoTime();
        return new Reading((t1 - t0) / (double) ARITHMETIC_STEPS, (t3 - t2) / (double) LOADS);
    }

    /** xorshift: each step needs the one before, so the core cannot overlap them. */
    static long arithmetic(int steps) {
        long x = 88172645463325252L;
        for (int i = 0; i < steps; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    /** Follows the cycle: each load's address is the previous load's value. */
    static long chase(int[] next, int loads) {
        int at = 0;
        for (int i = 0; i < loads; i++) {
            at = next[at];
        }
        return at;
    }

    /** One cycle through all {@code n} slots in random order (Sattolo's shuffle), so a chase never repeats early. */
    static int[] randomCycle(int n, long seed) {
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i); // j < i, never i itself: the permutation is one cycle
            int t = next[i];
            next[i] = next[j];
            next[j] = t;
        }
        return next;
    }
}
