package io.expansionsignals.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * The resource alerts evaluated by promtool on synthetic series: they fire for the TaskManager in
 * trouble, after their {@code for} duration, and stay silent for a healthy one and for the JobManager.
 */
class AlertBehaviourTest {
    private static final String TM = "flink_taskmanager_";
    private static final String CACHE = TM + "job_task_operator_expansion_signals_account_cache_";

    private static ObjectNode rule() {
        return Kustomize.single(Kustomize.render("prod"), "PrometheusRule");
    }

    private static final String GC_TESTS = """
            tests:
              - interval: 1m
                input_series:
                  - series: '%1$sStatus_JVM_GarbageCollector_All_TimeMsPerSecond{namespace="signals", pod="expansion-signals-taskmanager-1-1"}'
                    values: '300x40'
                  - series: '%1$sStatus_JVM_GarbageCollector_All_TimeMsPerSecond{namespace="signals", pod="expansion-signals-taskmanager-1-2"}'
                    values: '50x40'
                  - series: '%1$sStatus_JVM_GarbageCollector_All_TimeMsPerSecond{namespace="signals", pod="expansion-signals-5d9f-abcde"}'
                    values: '900x40'
                alert_rule_test:
                  - eval_time: %2$s
                    alertname: ExpansionSignalsGcTimeHigh
                    exp_alerts:
            %3$s
            """;

    private static final String GC_FIRING = """
                      - exp_labels:
                          severity: warning
                          namespace: signals
                          pod: expansion-signals-taskmanager-1-1
                        exp_annotations:
                          summary: "TaskManager expansion-signals-taskmanager-1-1 spends a fifth of its time collecting garbage"
                          description: "expansion-signals-taskmanager-1-1 has spent 300 ms per second in garbage collection for 15 minutes (threshold 200); processing stalls and checkpoints lengthen."
                          runbook: "deploy/k8s/README.md#expansionsignalsgctimehigh: the task heap is too small for the account cache and held health snapshots, or a HashMap state backend runs on the parallel collector."
            """;

    @Test
    void gcTimeFiresForTheTaskManagerAboveTheThresholdOnceItLastedFifteenMinutes() {
        Processes.Result early = Promtool.testRules(rule(), GC_TESTS.formatted(TM, "10m", "                    []"));
        assertEquals(0, early.exitCode(), early.output());
        Processes.Result late = Promtool.testRules(rule(), GC_TESTS.formatted(TM, "20m", GC_FIRING));
        assertEquals(0, late.exitCode(), late.output());
    }

    @Test
    void aWrongExpectationFailsTheCheck() {
        // the harness must be able to fail: the alert is still pending at 10 minutes
        Processes.Result result = Promtool.testRules(rule(), GC_TESTS.formatted(TM, "10m", GC_FIRING));
        assertNotEquals(0, result.exitCode(), result.output());
    }

    @Test
    void cacheMissesFireForTheTaskManagerWhoseHotSetDoesNotFit() {
        // gauges of reads since start: 50 hits and 50 misses a second on 1-1, 95 and 5 on 1-2
        String tests = """
                tests:
                  - interval: 1m
                    input_series:
                      - series: '%1$shits{namespace="signals", pod="expansion-signals-taskmanager-1-1"}'
                        values: '0+3000x60'
                      - series: '%1$smisses{namespace="signals", pod="expansion-signals-taskmanager-1-1"}'
                        values: '0+3000x60'
                      - series: '%1$shits{namespace="signals", pod="expansion-signals-taskmanager-1-2"}'
                        values: '0+5700x60'
                      - series: '%1$smisses{namespace="signals", pod="expansion-signals-taskmanager-1-2"}'
                        values: '0+300x60'
                    alert_rule_test:
                      - eval_time: 25m
                        alertname: ExpansionSignalsAccountCacheMissing
                        exp_alerts: []
                      - eval_time: 40m
                        alertname: ExpansionSignalsAccountCacheMissing
                        exp_alerts:
                          - exp_labels:
                              severity: info
                              namespace: signals
                              pod: expansion-signals-taskmanager-1-1
                            exp_annotations:
                              summary: "The account cache on expansion-signals-taskmanager-1-1 misses often"
                              description: "50%% of account reads on expansion-signals-taskmanager-1-1 went to RocksDB for 30 minutes (threshold 20 %%): the accounts active within a checkpoint interval do not fit the cache, and each miss costs a RocksDB read and an eviction."
                              runbook: "deploy/k8s/README.md#expansionsignalsaccountcachemissing: raise state.account-cache-size (about 2 to 3 KB of task heap per account) or the parallelism."
                """.formatted(CACHE);
        Processes.Result result = Promtool.testRules(rule(), tests);
        assertEquals(0, result.exitCode(), result.output());
    }
}
