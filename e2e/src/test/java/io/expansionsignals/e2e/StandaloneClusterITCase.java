package io.expansionsignals.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.e2e.PrometheusText.Sample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Smoke test of {@link StandaloneFlinkCluster} with a tiny stateful job ({@link CountingJob}),
 * independent of the product job: submit over REST, checkpoint on RocksDB, survive a
 * {@code kill -9} of the TaskManager, stop with a savepoint, resume from it, and read the job's
 * own metrics from the Prometheus reporter endpoint.
 */
class StandaloneClusterITCase {

    private static final int PARALLELISM = 2;
    private static final String RATE = "500";
    private static final String OPERATOR_LABEL = PrometheusText.label("operator_name", CountingJob.OPERATOR_NAME);
    private static final String MISMATCHES = "flink_taskmanager_job_task_operator_countMismatches";
    private static final String HIGHEST = "flink_taskmanager_job_task_operator_highestCount";
    private static final String FIRST = "flink_taskmanager_job_task_operator_firstCount";

    private static Path jobJar;

    @BeforeAll
    static void packJobJar() throws Exception {
        Path classes = Path.of(System.getProperty("e2e.test.classes", "target/test-classes"));
        jobJar = JobJars.build(CountingJob.class, classes, Path.of("target", "e2e-jobs", "counting-job.jar"));
    }

    @Test
    void stateSurvivesTaskManagerKillAndSavepointRoundTrip() throws Exception {
        Map<String, Duration> timings = new LinkedHashMap<>();
        try (StandaloneFlinkCluster cluster = StandaloneFlinkCluster.builder().start()) {
            try {
                timings.put("cluster up (JM + TM registered)", cluster.startupTime());
                runScenario(cluster, timings);
            } catch (Throwable failure) {
                System.err.println(cluster.logTails(150));
                throw failure;
            }
        } finally {
            System.out.println("== StandaloneClusterITCase timings ==");
            timings.forEach((step, took) -> System.out.printf("  %-40s %6.1f s%n", step, took.toMillis() / 1000.0));
        }
    }

    private void runScenario(StandaloneFlinkCluster cluster, Map<String, Duration> timings) throws Exception {
        FlinkRestClient rest = cluster.rest();
        String jarId = rest.uploadJar(jobJar);

        // 1. Fresh start: RUNNING, checkpoints complete, nothing restored yet.
        long t = System.nanoTime();
        String jobId = rest.runJar(jarId, CountingJob.class.getName(), List.of(RATE), null, PARALLELISM);
        rest.waitUntilAllVerticesRunning(jobId, Duration.ofSeconds(90));
        timings.put("submit -> all vertices RUNNING", since(t));
        CheckpointStats beforeKill = rest.waitForCompletedCheckpoints(jobId, 2, Duration.ofSeconds(60));
        assertThat(beforeKill.hasRestored()).as("fresh job restored something: %s", beforeKill).isFalse();
        System.out.println("before kill: " + beforeKill);

        // The job's own metrics reach the reporter endpoint, one series per subtask, all consistent.
        List<Sample> highest = awaitOperatorSamples(cluster, HIGHEST, PARALLELISM);
        assertThat(operatorSamples(cluster.taskManagerPrometheusMetrics(), MISMATCHES))
                .hasSize(PARALLELISM).allSatisfy(s -> assertThat(s.value()).isZero());
        assertThat(highest).anySatisfy(s -> assertThat(s.value()).isPositive());
        String jmMetrics = cluster.jobManagerPrometheusMetrics();
        assertThat(PrometheusText.samples(jmMetrics, "flink_jobmanager_job_uptime"))
                .anySatisfy(s -> assertThat(s.labels()).contains(PrometheusText.label("job_name", CountingJob.JOB_NAME)));
        assertThat(PrometheusText.samples(jmMetrics, "flink_jobmanager_numRegisteredTaskManagers"))
                .singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(1.0));

        // 2. kill -9 the TaskManager, start a new one: the job restarts from the latest checkpoint.
        long oldTmPid = cluster.taskManagerPid();
        t = System.nanoTime();
        cluster.killTaskManager();
        cluster.startTaskManager();
        assertThat(cluster.taskManagerPid()).isNotEqualTo(oldTmPid);
        CheckpointStats afterKill = rest.waitForCheckpoints(jobId, "restore from a checkpoint",
                CheckpointStats::hasRestored, Duration.ofSeconds(120));
        rest.waitUntilAllVerticesRunning(jobId, Duration.ofSeconds(90));
        timings.put("kill -9 TM -> restored and RUNNING", since(t));
        System.out.println("after kill -9: " + afterKill + ", numRestarts=" + rest.numRestarts(jobId));
        assertThat(afterKill.restoredIsSavepoint()).isFalse();
        assertThat(afterKill.restoredId()).isGreaterThanOrEqualTo(beforeKill.latestCompletedId());
        // numRestarts is a metric the REST layer fetches periodically: it may lag the restore.
        long restarts = Waits.until("numRestarts >= 1", Duration.ofSeconds(30), () -> {
            long n = rest.numRestarts(jobId);
            return n >= 1 ? java.util.Optional.of(n) : java.util.Optional.empty();
        });
        assertThat(restarts).isGreaterThanOrEqualTo(1);
        // It keeps checkpointing after the restore, and the restored counts line up with the source.
        rest.waitForCheckpointAfter(jobId, afterKill.restoredId(), Duration.ofSeconds(60));
        awaitOperatorSamples(cluster, HIGHEST, PARALLELISM);
        assertThat(operatorSamples(cluster.taskManagerPrometheusMetrics(), MISMATCHES))
                .as("counts inconsistent with the source after restoring from a checkpoint")
                .hasSize(PARALLELISM).allSatisfy(s -> assertThat(s.value()).isZero());

        // 3. Stop with a savepoint.
        double highestBeforeStop = max(operatorSamples(cluster.taskManagerPrometheusMetrics(), HIGHEST));
        t = System.nanoTime();
        String savepoint = rest.stopWithSavepoint(jobId, cluster.savepointDir(), Duration.ofSeconds(60));
        rest.waitForJobStatus(jobId, "FINISHED", Duration.ofSeconds(30));
        timings.put("stop-with-savepoint -> FINISHED", since(t));
        System.out.println("savepoint: " + savepoint + ", highestCount before stop: " + highestBeforeStop);
        assertThat(savepoint).contains(cluster.savepointDir().getFileName().toString());

        // 4. Resubmit from the savepoint: restored from it, and the counts carry on from it.
        t = System.nanoTime();
        String resumedId = rest.runJar(jarId, CountingJob.class.getName(), List.of(RATE), savepoint, PARALLELISM);
        rest.waitUntilAllVerticesRunning(resumedId, Duration.ofSeconds(90));
        timings.put("resubmit from savepoint -> RUNNING", since(t));
        CheckpointStats resumed = rest.checkpoints(resumedId);
        assertThat(resumed.hasRestored()).as("no restore reported: %s", resumed).isTrue();
        assertThat(resumed.restoredIsSavepoint()).isTrue();
        assertThat(resumed.restoredPath()).isEqualTo(savepoint);
        List<Sample> firstCounts = awaitOperatorSamples(cluster, FIRST, PARALLELISM);
        System.out.println("resumed: " + resumed + ", firstCount per subtask: "
                + firstCounts.stream().map(Sample::value).toList());
        // Keys advance in lockstep (n % KEYS), so at the savepoint every key's count was at least
        // highestBeforeStop - 1 and each subtask's first count after the restore is ≥ highestBeforeStop.
        // A job that started from scratch emits 1 first. No timing involved.
        assertThat(firstCounts).as("counts restarted instead of continuing from the savepoint")
                .allSatisfy(s -> assertThat(s.value()).isGreaterThanOrEqualTo(highestBeforeStop));
        assertThat(operatorSamples(cluster.taskManagerPrometheusMetrics(), MISMATCHES))
                .hasSize(PARALLELISM).allSatisfy(s -> assertThat(s.value()).isZero());

        rest.cancel(resumedId);
        rest.waitForJobStatus(resumedId, "CANCELED", Duration.ofSeconds(30));
    }

    /**
     * Waits until the TaskManager's reporter shows {@code name} for every subtask of the counting
     * operator with a value > 0, i.e. the (possibly restored) operator has processed records.
     */
    private static List<Sample> awaitOperatorSamples(StandaloneFlinkCluster cluster, String name, int subtasks)
            throws TimeoutException {
        return Waits.until(name + " on the reporter endpoint", Duration.ofSeconds(60), () -> {
            List<Sample> samples = operatorSamples(cluster.taskManagerPrometheusMetrics(), name);
            boolean ready = samples.size() == subtasks && samples.stream().allMatch(s -> s.value() > 0);
            return ready ? Optional.of(samples) : Optional.empty();
        }, () -> cluster.taskManagerPrometheusMetrics().lines()
                .filter(line -> line.contains(name.substring(name.lastIndexOf('_') + 1)) || line.contains("numRecordsIn{"))
                .limit(20).toList().toString());
    }

    private static List<Sample> operatorSamples(String metrics, String name) {
        return PrometheusText.samples(metrics, name).stream()
                .filter(s -> s.labels().contains(OPERATOR_LABEL))
                .toList();
    }

    private static double max(List<Sample> samples) {
        return samples.stream().mapToDouble(Sample::value).max().orElse(0);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
