package io.expansionsignals.domain;

import java.util.Map;

/**
 * An account's metrics as two parallel arrays, in the map's iteration order. Scoring and the
 * snapshot decision walk every metric on every event; walking the map cost a scan of its table
 * and a hop through a node per metric, each a likely cache miss with many accounts. Derived from
 * {@link AccountState#metrics}, so kept in a transient field, dropped when a metric is added and
 * rebuilt on the next read (and after every restore, where the field starts empty).
 */
final class MetricArrays {
    final String[] names;
    final MetricState[] states;

    private MetricArrays(Map<String, MetricState> metrics) {
        names = new String[metrics.size()];
        states = new MetricState[metrics.size()];
        int i = 0;
        for (Map.Entry<String, MetricState> e : metrics.entrySet()) {
            names[i] = e.getKey();
            states[i] = e.getValue();
            i++;
        }
    }

    static MetricArrays of(AccountState a) {
        MetricArrays m = a.metricArrays;
        if (m == null || m.states.length != a.metrics.size()) {
            m = new MetricArrays(a.metrics);
            a.metricArrays = m;
        }
        return m;
    }

    /** The account's state of a metric, added if it is new. */
    static MetricState getOrAdd(AccountState a, String metric) {
        MetricState m = a.metrics.get(metric);
        if (m == null) {
            m = new MetricState();
            a.metrics.put(SharedNames.of(metric), m);
            a.metricArrays = null;
        }
        return m;
    }
}
