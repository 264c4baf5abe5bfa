package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class JvmWorkTest {
    private static volatile byte[] kept;

    @Test
    void anAllocatingThreadShowsUpWithTheBytesItAllocatedSinceTheStart() throws Exception {
        JvmWork heap = new JvmWork();
        CountDownLatch allocated = new CountDownLatch(1);
        CountDownLatch measured = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            for (int i = 0; i < 1_000; i++) {
                kept = new byte[64 * 1024]; // 64 MB in total
            }
            allocated.countDown();
            try {
                measured.await(); // alive while measured: an ended thread is no longer listed
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            }
        }, "allocating worker (1/1)#0");
        worker.start();
        allocated.await();
        Long bytes = heap.allocatedByGroup().get("allocating worker");
        String line = heap.perEvent(1_000);
        measured.countDown();
        worker.join();
        assertTrue(bytes != null && bytes >= 64_000_000L, "allocating worker allocated " + bytes + " B");
        assertTrue(line.contains("allocating worker") && line.contains("GC ") && line.contains("JIT "), line);
    }
}
