package io.expansionsignals.domain;

import io.expansionsignals.schema.Channel;
import io.expansionsignals.schema.Play;
import io.expansionsignals.schema.Priority;

/** What to do about a signal: the play, where, how urgently, and what to offer. */
public record Recommendation(Play play, Channel channel, Priority priority, String suggestedPlanId, Long mrrUpliftMinor) {}
