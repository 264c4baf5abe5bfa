package io.expansionsignals.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WorkloadCliTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String[] MINIMAL = {"--bootstrap-servers", "localhost:9092", "--registry-url", "http://r:8080"};

    @Test
    void defaults() {
        WorkloadSettings s = WorkloadArgs.parse(MINIMAL, CLOCK);
        assertThat(s.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(s.registryUrl()).isEqualTo("http://r:8080");
        assertThat(s.spec().accounts()).isEqualTo(200);
        assertThat(s.spec().seed()).isEqualTo(42);
        assertThat(s.spec().start()).isEqualTo(NOW.minus(Duration.ofDays(200)));
        assertThat(s.spec().simulatedStep()).isEqualTo(Duration.ofHours(6));
        assertThat(s.spec().malformedShare()).isEqualTo(0.005);
        assertThat(s.ratePerSecond()).isEqualTo(200);
        assertThat(s.maxSteps()).isEqualTo(Long.MAX_VALUE);
        assertThat(s.topics()).isEqualTo(WorkloadTopics.DEFAULTS);
    }

    @Test
    void everyOptionIsParsed() {
        WorkloadSettings s = WorkloadArgs.parse(new String[] {"--bootstrap-servers=b:1", "--registry-url", "http://x",
            "--accounts", "10", "--seed", "-3", "--rate", "0", "--steps", "5", "--simulated-step", "P1D",
            "--malformed-share", "0.1", "--duplicate-share", "0.2", "--out-of-order-share", "0.3",
            "--start", "2025-02-01T00:00:00Z", "--subscription-topic", "s", "--usage-topic", "u",
            "--engagement-topic", "e", "--progress-seconds", "0", "--signup-window", "PT2H"}, CLOCK);
        assertThat(s.spec()).isEqualTo(new WorkloadSpec(-3, 10, Instant.parse("2025-02-01T00:00:00Z"),
                Duration.ofDays(1), 0.2, 0.3, 0.1, Duration.ofHours(2)));
        assertThat(s.ratePerSecond()).isZero();
        assertThat(s.maxSteps()).isEqualTo(5);
        assertThat(s.topics()).isEqualTo(new WorkloadTopics("s", "u", "e"));
        assertThat(s.progressInterval()).isZero();
    }

    @Test
    void badArgumentsAreNamed() {
        assertBad(new String[] {"--registry-url", "http://x"}, "--bootstrap-servers is required");
        assertBad(args("--accounts", "many"), "--accounts must be an integer");
        assertBad(args("--accounts", "0"), "--accounts must be within");
        assertBad(args("--rate", "-1"), "--rate must be >= 0");
        assertBad(args("--simulated-step", "6h"), "--simulated-step must be an ISO-8601 duration");
        assertBad(args("--simulated-step", "P30D"), "--simulated-step must be positive and at most P7D");
        assertBad(args("--malformed-share", "1.5"), "--malformed-share must be within [0, 1)");
        assertBad(args("--start", "yesterday"), "--start must be an ISO-8601 instant");
        assertBad(args("--signup-window", "P30D"), "--signup-window must be positive and at most P7D");
        assertBad(args("--colour", "red"), "unknown option --colour");
        assertBad(args("--steps"), "--steps needs a value");
        assertBad(args("--duplicate-share", "0.3", "--malformed-share", "0.3"), "at most 0.5");
    }

    @Test
    void mainExitsWith2AndNamesTheArgument() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = WorkloadCli.run(args("--seed", "x"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--seed must be an integer").contains("usage:");
    }

    private static String[] args(String... extra) {
        String[] all = new String[MINIMAL.length + extra.length];
        System.arraycopy(MINIMAL, 0, all, 0, MINIMAL.length);
        System.arraycopy(extra, 0, all, MINIMAL.length, extra.length);
        return all;
    }

    private static void assertBad(String[] args, String message) {
        assertThatThrownBy(() -> WorkloadArgs.parse(args, CLOCK))
                .isInstanceOf(WorkloadArgs.BadArgument.class).hasMessageContaining(message);
    }
}
