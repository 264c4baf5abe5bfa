package io.expansionsignals.functions;

import io.expansionsignals.io.shuffle.PlannedAvroTypeInfo;
import io.expansionsignals.schema.AccountHealth;
import io.expansionsignals.schema.ChurnRiskSignal;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.MrrMovement;
import org.apache.flink.util.OutputTag;

/**
 * Side outputs of the account operator (expansion signals are its main output). Those that cross
 * to another task (dead letters, movements on their way to the portfolio metrics, any sink not
 * chained) do so with the planned serializer.
 */
public final class OutputTags {
    public static final OutputTag<ChurnRiskSignal> CHURN_RISK =
            new OutputTag<>("churn-risk-signals", new PlannedAvroTypeInfo<>(ChurnRiskSignal.class));
    public static final OutputTag<MrrMovement> MOVEMENTS =
            new OutputTag<>("mrr-movements", new PlannedAvroTypeInfo<>(MrrMovement.class));
    public static final OutputTag<AccountHealth> HEALTH =
            new OutputTag<>("account-health", new PlannedAvroTypeInfo<>(AccountHealth.class));
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new PlannedAvroTypeInfo<>(DeadLetter.class));

    private OutputTags() {}
}
