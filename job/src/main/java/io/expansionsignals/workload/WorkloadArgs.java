package io.expansionsignals.workload;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Parses the CLI's {@code --name value} / {@code --name=value} arguments into settings. */
public final class WorkloadArgs {
    public static final String USAGE = "usage: workload --bootstrap-servers HOST:PORT --registry-url URL"
            + " [--accounts N (200)] [--seed N (42)] [--rate RECORDS_PER_S (200; 0 = unthrottled)]"
            + " [--steps N (unlimited)] [--simulated-step DURATION (PT6H)] [--start INSTANT (now-200d)]"
            + " [--signup-window DURATION (none: over 150 days; e.g. PT1H, a cohort)]"
            + " [--malformed-share F (0.005)] [--duplicate-share F (0.01)] [--out-of-order-share F (0.02)]"
            + " [--subscription-topic T] [--usage-topic T] [--engagement-topic T] [--progress-seconds N (5)]";

    private static final Set<String> KNOWN = Set.of("bootstrap-servers", "registry-url", "accounts", "seed", "rate",
            "steps", "simulated-step", "start", "signup-window", "malformed-share", "duplicate-share", "out-of-order-share",
            "subscription-topic", "usage-topic", "engagement-topic", "progress-seconds");

    /** A bad command line; the message names the argument. */
    public static final class BadArgument extends IllegalArgumentException {
        BadArgument(String message) {
            super(message);
        }
    }

    private WorkloadArgs() {}

    public static WorkloadSettings parse(String[] args, Clock clock) {
        Map<String, String> v = toMap(args);
        String bootstrap = required(v, "bootstrap-servers");
        String registry = required(v, "registry-url");
        WorkloadSpec d = WorkloadSpec.defaults(clock.instant());
        WorkloadSpec spec;
        try {
            spec = new WorkloadSpec(
                    longArg(v, "seed", d.seed()),
                    (int) bounded(v, "accounts", d.accounts(), 1, 10_000_000),
                    instantArg(v, "start", d.start()),
                    durationArg(v, "simulated-step", d.simulatedStep()),
                    share(v, "duplicate-share", d.duplicateShare()),
                    share(v, "out-of-order-share", d.outOfOrderShare()),
                    share(v, "malformed-share", d.malformedShare()),
                    v.containsKey("signup-window") ? durationArg(v, "signup-window", null) : d.signupWindow());
        } catch (BadArgument e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // e.g. a step longer than 7 days: the spec's message names the field
            throw new BadArgument("--simulated-step/--*-share: " + e.getMessage());
        }
        if (spec.duplicateShare() + spec.malformedShare() > 0.5) {
            throw new BadArgument("--duplicate-share plus --malformed-share must be at most 0.5");
        }
        double rate = doubleArg(v, "rate", WorkloadSettings.DEFAULT_RATE);
        if (rate < 0) {
            throw new BadArgument("--rate must be >= 0 (0 = as fast as possible), was " + v.get("rate"));
        }
        long steps = v.containsKey("steps") ? bounded(v, "steps", 0, 1, Long.MAX_VALUE) : Long.MAX_VALUE;
        WorkloadTopics topics = new WorkloadTopics(
                v.getOrDefault("subscription-topic", WorkloadTopics.DEFAULTS.subscription()),
                v.getOrDefault("usage-topic", WorkloadTopics.DEFAULTS.usage()),
                v.getOrDefault("engagement-topic", WorkloadTopics.DEFAULTS.engagement()));
        long progress = bounded(v, "progress-seconds", WorkloadSettings.DEFAULT_PROGRESS_INTERVAL.toSeconds(), 0, 86_400);
        return new WorkloadSettings(bootstrap, registry, spec, rate, steps, topics, Duration.ofSeconds(progress));
    }

    private static Map<String, String> toMap(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new BadArgument("unexpected argument '" + a + "': options start with --");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new BadArgument("--" + name + " needs a value");
            }
            if (!KNOWN.contains(name)) {
                throw new BadArgument("unknown option --" + name);
            }
            if (out.put(name, value) != null) {
                throw new BadArgument("--" + name + " is given more than once");
            }
        }
        return out;
    }

    private static String required(Map<String, String> v, String name) {
        String s = v.get(name);
        if (s == null || s.isBlank()) {
            throw new BadArgument("--" + name + " is required");
        }
        return s;
    }

    private static long longArg(Map<String, String> v, String name, long dflt) {
        String s = v.get(name);
        try {
            return s == null ? dflt : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new BadArgument("--" + name + " must be an integer, was '" + s + "'");
        }
    }

    private static long bounded(Map<String, String> v, String name, long dflt, long min, long max) {
        long n = longArg(v, name, dflt);
        if (n < min || n > max) {
            throw new BadArgument("--" + name + " must be within [" + min + ", " + max + "], was " + n);
        }
        return n;
    }

    private static double doubleArg(Map<String, String> v, String name, double dflt) {
        String s = v.get(name);
        try {
            double d = s == null ? dflt : Double.parseDouble(s.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new BadArgument("--" + name + " must be a number, was '" + s + "'");
        }
    }

    private static double share(Map<String, String> v, String name, double dflt) {
        double d = doubleArg(v, name, dflt);
        if (d < 0 || d >= 1) {
            throw new BadArgument("--" + name + " must be within [0, 1), was " + d);
        }
        return d;
    }

    private static Duration durationArg(Map<String, String> v, String name, Duration dflt) {
        String s = v.get(name);
        try {
            Duration d = s == null ? dflt : Duration.parse(s.trim());
            if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(7)) > 0) {
                throw new BadArgument("--" + name + " must be positive and at most P7D, was " + s);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new BadArgument("--" + name + " must be an ISO-8601 duration such as PT6H or P1D, was '" + s + "'");
        }
    }

    private static Instant instantArg(Map<String, String> v, String name, Instant dflt) {
        String s = v.get(name);
        try {
            return s == null ? dflt : Instant.parse(s.trim());
        } catch (DateTimeParseException e) {
            throw new BadArgument("--" + name + " must be an ISO-8601 instant such as 2025-01-01T00:00:00Z, was '" + s + "'");
        }
    }
}
