package io.expansionsignals.domain;

import io.expansionsignals.schema.AccountHealth;
import io.expansionsignals.schema.ChurnRiskSignal;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MrrMovement;
import java.util.ArrayList;
import java.util.List;

/** Everything one input or one timer made the engine decide. */
public final class EngineResult {
    public final List<ExpansionSignal> expansionSignals = new ArrayList<>();
    public final List<ChurnRiskSignal> churnRiskSignals = new ArrayList<>();
    public final List<MrrMovement> movements = new ArrayList<>();
    /** The new account-health snapshot, or null when nothing material changed. */
    public AccountHealth snapshot;
    /** The input was an older snapshot of a subscription than one already applied. */
    public boolean superseded;
    /** A DELTA usage for a usage period that has already rolled over (kept out of the new period). */
    public boolean closedPeriod;
    /** The account has no active subscription and was quiet long enough: clear its state. */
    public boolean expire;

    public boolean isEmpty() {
        return expansionSignals.isEmpty() && churnRiskSignals.isEmpty() && movements.isEmpty() && snapshot == null && !expire;
    }
}
