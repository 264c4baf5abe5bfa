package io.expansionsignals.io.registry;

import io.expansionsignals.schema.DeadLetterReason;
import java.util.Objects;

/**
 * Outcome of decoding one message: the record, or why it is unusable. Bad data is a value, not
 * an exception, so the caller can route it to dead letters without try/catch on the hot path.
 */
public final class DecodeResult<T> {
  private final T record;
  private final DeadLetterReason reason;
  private final String detail;
  private final int schemaId;

  private DecodeResult(T record, DeadLetterReason reason, String detail, int schemaId) {
    this.record = record;
    this.reason = reason;
    this.detail = detail;
    this.schemaId = schemaId;
  }

  public static <T> DecodeResult<T> ok(T record, int schemaId) {
    return new DecodeResult<>(Objects.requireNonNull(record, "record"), null, null, schemaId);
  }

  /** @param schemaId the writer schema id from the header, or -1 if there was no valid header */
  public static <T> DecodeResult<T> failure(DeadLetterReason reason, String detail, int schemaId) {
    return new DecodeResult<>(null, Objects.requireNonNull(reason, "reason"), detail, schemaId);
  }

  public boolean isOk() {
    return record != null;
  }

  /** The decoded record; only for {@link #isOk()} results. */
  public T record() {
    if (record == null) {
      throw new IllegalStateException("no record: " + reason + ": " + detail);
    }
    return record;
  }

  /** Why decoding failed, or null for a decoded record. */
  public DeadLetterReason reason() {
    return reason;
  }

  /** A human explanation of the failure, or null for a decoded record. */
  public String detail() {
    return detail;
  }

  /** The writer schema id read from the header, or -1. */
  public int schemaId() {
    return schemaId;
  }

  @Override
  public String toString() {
    return isOk() ? "DecodeResult[ok, schemaId=" + schemaId + "]"
        : "DecodeResult[" + reason + ", schemaId=" + schemaId + ": " + detail + "]";
  }
}
