package io.expansionsignals.e2e;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Polling helper: the cluster answers asynchronously, so every "wait until" in the tests is a
 * bounded poll that fails with the last observed state rather than hanging the build.
 */
final class Waits {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private Waits() {}

    /**
     * Polls {@code probe} until it yields a value or {@code timeout} passes. A probe that throws
     * {@link UncheckedIOException} counts as "not yet" (REST not up, job not known yet); any other
     * exception is a verdict (a process died, the job failed) and ends the wait at once. The last
     * I/O failure and {@code lastState} go into the timeout message so a failed run explains itself.
     */
    static <T> T until(String what, Duration timeout, Supplier<Optional<T>> probe,
                       Supplier<String> lastState) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException lastFailure = null;
        while (true) {
            try {
                Optional<T> result = probe.get();
                if (result.isPresent()) {
                    return result.get();
                }
                lastFailure = null;
            } catch (UncheckedIOException e) {
                lastFailure = e;
            }
            if (System.nanoTime() > deadline) {
                String state;
                try {
                    state = lastState.get();
                } catch (RuntimeException e) {
                    state = "(state unavailable: " + e + ")";
                }
                TimeoutException timeoutException = new TimeoutException(
                        "timed out after " + timeout.toSeconds() + " s waiting for " + what
                                + "; last state: " + state);
                if (lastFailure != null) {
                    timeoutException.initCause(lastFailure);
                }
                throw timeoutException;
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    static <T> T until(String what, Duration timeout, Supplier<Optional<T>> probe)
            throws TimeoutException {
        return until(what, timeout, probe, () -> "n/a");
    }
}
