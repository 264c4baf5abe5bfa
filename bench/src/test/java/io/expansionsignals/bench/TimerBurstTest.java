package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class TimerBurstTest {

    @Test
    void aTailRecordGoesToThePartitionKafkaWouldGiveItsKey() {
        for (int i = 0; i < 500; i++) {
            byte[] key = String.format("acct-%05d", i).getBytes(StandardCharsets.UTF_8);
            assertEquals(BuiltInPartitioner.partitionForKey(key, Infra.PARTITIONS), TimerBurst.partition(key));
        }
    }

    @Test
    void theProductsRateIsAlsoGivenAgainstTheFloorsAtTheSameAccountCount() {
        List<TimerBurst.Result> results = List.of(
                new TimerBurst.Result(TimerBurst.FLOOR, 10_000, 30_000, 0.5, 30_000, 800),
                new TimerBurst.Result(TimerBurst.PRODUCT, 10_000, 24_000, 2.0, 36_000, 2_400),
                new TimerBurst.Result(TimerBurst.PRODUCT, 100_000, 240_000, 8.0, 360_000, 9_000));
        assertEquals("0.20", TimerBurst.vsFloor(results, results.get(1))); // 12,000 against 60,000 timers/s
        assertEquals("–", TimerBurst.vsFloor(results, results.get(0)));
        assertEquals("–", TimerBurst.vsFloor(results, results.get(2))); // no floor at 100 k

        String md = TimerBurst.markdown(results, Duration.ofDays(200));
        assertTrue(md.contains("event time jumps 200 days"), md);
        assertTrue(md.contains("| 10,000 | " + TimerBurst.PRODUCT + " | 24,000 | 2.0 | 12,000 | 0.20 | 1.50 | 2,400 |"), md);
        assertTrue(md.contains("| 10,000 | " + TimerBurst.FLOOR + " | 30,000 | 0.5 | 60,000 | – | 1.00 | 800 |"), md);
        assertEquals(List.of(
                "accounts,job,timers,seconds,timers_per_s,vs_floor,outputs,longest_checkpoint_ms",
                "10000,\"" + TimerBurst.FLOOR + "\",30000,0.500,60000,-1,30000,800",
                "10000,\"" + TimerBurst.PRODUCT + "\",24000,2.000,12000,0.20,36000,2400",
                "100000,\"" + TimerBurst.PRODUCT + "\",240000,8.000,30000,-1,360000,9000"),
                TimerBurst.csv(results).lines().toList());
        assertEquals("", TimerBurst.markdown(List.of(), Duration.ofDays(200)));
    }
}
