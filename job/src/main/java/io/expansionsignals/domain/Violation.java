package io.expansionsignals.domain;

import io.expansionsignals.schema.DeadLetterReason;

/** Why an input record cannot be used: a dead-letter reason and a sentence naming the field. */
public record Violation(DeadLetterReason reason, String detail) {}
