package io.expansionsignals.bench;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Registered through META-INF/services: Flink finds reporter factories with a ServiceLoader. */
public final class CaptureReporterFactory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new CaptureReporter();
    }
}
