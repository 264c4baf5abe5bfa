package io.expansionsignals.e2e;

import java.util.List;

/**
 * Reads samples out of the Prometheus text exposition format, enough for assertions on a metric
 * family: {@code name{labels} value}.
 */
public final class PrometheusText {

    /** One sample line: its label block (without braces, may be empty) and its value. */
    public record Sample(String name, String labels, double value) {}

    private PrometheusText() {}

    /**
     * The form Flink's Prometheus reporter gives a label value: every character outside
     * {@code [a-zA-Z0-9:_]} becomes {@code _}, so operator "running-count" is exported as
     * {@code operator_name="running_count"} and job "counting-job" as {@code job_name="counting_job"}.
     */
    public static String labelValue(String flinkName) {
        return flinkName.replaceAll("[^a-zA-Z0-9:_]", "_");
    }

    /** {@code key="value"} as it appears in a sample's label block, value sanitized as Flink does. */
    public static String label(String key, String flinkName) {
        return key + "=\"" + labelValue(flinkName) + "\"";
    }

    /** All samples whose metric name is exactly {@code name}. */
    public static List<Sample> samples(String text, String name) {
        return text.lines()
                .filter(line -> !line.startsWith("#"))
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .map(PrometheusText::parse)
                .toList();
    }

    private static Sample parse(String line) {
        int braceOpen = line.indexOf('{');
        int braceClose = line.lastIndexOf('}');
        String name;
        String labels;
        String rest;
        if (braceOpen >= 0 && braceClose > braceOpen) {
            name = line.substring(0, braceOpen);
            labels = line.substring(braceOpen + 1, braceClose);
            rest = line.substring(braceClose + 1).trim();
        } else {
            int space = line.indexOf(' ');
            name = line.substring(0, space);
            labels = "";
            rest = line.substring(space + 1).trim();
        }
        // A timestamp may follow the value; the value is the first token.
        String value = rest.split("\\s+")[0];
        return new Sample(name, labels, Double.parseDouble(value));
    }
}
