package io.facestream.recognize.group;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs a task over blocks of rows on several threads; blocks are handed out one at a time so threads finish together. */
final class RowBlocks {

    /** Work on rows {@code [from, to)}; {@code worker} is the thread's index, for per-thread buffers. */
    interface Block {
        void run(int worker, int from, int to);
    }

    private RowBlocks() {
    }

    static void run(int rows, int blockSize, int threads, Block block) {
        int t = Math.max(1, Math.min(threads, (rows + blockSize - 1) / Math.max(1, blockSize)));
        if (t == 1) {
            for (int from = 0; from < rows; from += blockSize) {
                block.run(0, from, Math.min(rows, from + blockSize));
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(t, r -> {
            Thread th = new Thread(r, "group-worker");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < t; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    for (int from = next.getAndAdd(blockSize); from < rows; from = next.getAndAdd(blockSize)) {
                        block.run(worker, from, Math.min(rows, from + blockSize));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while comparing faces", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException re ? re : new IllegalStateException(c.getMessage(), c);
        } finally {
            pool.shutdownNow();
        }
    }
}
