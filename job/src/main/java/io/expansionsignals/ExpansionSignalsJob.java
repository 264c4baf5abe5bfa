package io.expansionsignals;

import io.expansionsignals.config.JobConfig;
import io.expansionsignals.pipeline.KafkaJob;

/** Entry point: read the settings (arguments, environment), build the Kafka job, run it. */
public final class ExpansionSignalsJob {
    private ExpansionSignalsJob() {}

    public static void main(String[] args) throws Exception {
        KafkaJob.create(JobConfig.fromArgs(args)).execute("expansion-signals");
    }
}
