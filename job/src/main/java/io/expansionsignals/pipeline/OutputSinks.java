package io.expansionsignals.pipeline;

import io.expansionsignals.schema.AccountHealth;
import io.expansionsignals.schema.ChurnRiskSignal;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.PortfolioMetrics;
import org.apache.flink.api.connector.sink2.Sink;

/** Where each output goes: Kafka in production, collecting sinks in tests, the console in demos. */
public record OutputSinks(
        Sink<ExpansionSignal> expansionSignals,
        Sink<ChurnRiskSignal> churnRiskSignals,
        Sink<AccountHealth> accountHealth,
        Sink<MrrMovement> mrrMovements,
        Sink<DeadLetter> deadLetters,
        Sink<PortfolioMetrics> portfolioMetrics) {}
