package io.expansionsignals.workload;

import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;

/** A generated event waiting for its step to be sorted by event time and sent. */
record Pending(SimAccount account, Topic topic, SpecificRecord record, Instant at) {}
