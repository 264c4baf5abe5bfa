package io.expansionsignals.domain;

/**
 * Per-account, per-signal-type cooldown: after a signal of a type, another of the same type is
 * held back for the cooldown, unless it escalates to a higher level than the last one.
 */
public final class Cooldown {
    private final long cooldownMillis;

    public Cooldown(long cooldownMillis) {
        this.cooldownMillis = cooldownMillis;
    }

    public boolean allows(AccountState account, String type, double level, long at) {
        Long last = account.lastSignalAt.get(type);
        if (last == null || at - last >= cooldownMillis) {
            return true;
        }
        Double lastLevel = account.lastSignalLevel.get(type);
        return lastLevel == null || level > lastLevel;
    }

    public void record(AccountState account, String type, double level, long at) {
        Long last = account.lastSignalAt.get(type);
        if (last == null || at >= last) {
            String shared = SharedNames.of(type);
            account.lastSignalAt.put(shared, at);
            account.lastSignalLevel.put(shared, level);
        }
    }
}
