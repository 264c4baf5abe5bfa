package io.expansionsignals.functions;

import io.expansionsignals.schema.AccountHealth;
import io.expansionsignals.schema.ChurnRiskSignal;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.MrrMovement;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** Side outputs of the account operator (expansion signals are its main output). */
public final class OutputTags {
    public static final OutputTag<ChurnRiskSignal> CHURN_RISK =
            new OutputTag<>("churn-risk-signals", new AvroTypeInfo<>(ChurnRiskSignal.class));
    public static final OutputTag<MrrMovement> MOVEMENTS =
            new OutputTag<>("mrr-movements", new AvroTypeInfo<>(MrrMovement.class));
    public static final OutputTag<AccountHealth> HEALTH =
            new OutputTag<>("account-health", new AvroTypeInfo<>(AccountHealth.class));
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private OutputTags() {}
}
