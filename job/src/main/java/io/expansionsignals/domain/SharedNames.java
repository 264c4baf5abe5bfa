package io.expansionsignals.domain;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared instance per name from the product's small vocabularies: metric, feature, plan and
 * add-on ids, currencies, signal types, threshold levels. Each account keeps these as map keys
 * and fields; decoded from an event or read back from RocksDB, every account would hold its own
 * copies, about a dozen strings (two objects each) per account. Shared, they cost no heap per
 * account and stay in the CPU's caches, so walking an account (the write-back at the barrier,
 * a map lookup by name) reaches fewer cold objects.
 *
 * <p>Only for names drawn from a bounded set: ids unique to an account (account, subscription,
 * event ids) must not come here. The pool is bounded, so a producer sending unbounded names
 * costs nothing worse than unshared strings once it is full.
 */
public final class SharedNames {
    /** Distinct names kept; the benchmark's catalog and workload use about a hundred. */
    static final int CAPACITY = 4096;
    /** Longer strings are not names; kept as they are. */
    static final int MAX_LENGTH = 128;
    private static final SharedNames JVM = new SharedNames(CAPACITY);

    private final int capacity;
    private final ConcurrentHashMap<String, String> pool = new ConcurrentHashMap<>();

    SharedNames(int capacity) {
        this.capacity = capacity;
    }

    /** The shared instance equal to {@code name}; {@code name} itself when it is null, too long or the pool is full. */
    public static String of(String name) {
        return JVM.share(name);
    }

    String share(String name) {
        if (name == null || name.length() > MAX_LENGTH) {
            return name;
        }
        String shared = pool.get(name);
        if (shared != null) {
            return shared;
        }
        if (pool.size() >= capacity) {
            return name;
        }
        shared = pool.putIfAbsent(name, name);
        return shared == null ? name : shared;
    }
}
