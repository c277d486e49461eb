package io.facestream.recognize.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong nanos = new AtomicLong();

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void logModePrintsOneLineEveryTenPercent() {
        ProgressBar bar = new ProgressBar(7701, "img", out, false, nanos::get);
        for (int i = 0; i < 7701; i++) {
            nanos.addAndGet(50_000_000L); // 20 images a second
            bar.step();
        }
        bar.close();
        List<String> lines = text().lines().toList();
        assertEquals(10, lines.size(), text()); // 10%..90%, then the final line
        assertEquals("[###" + ".".repeat(27) + "] 771/7701 10% 20.0 img/s ETA 5:47", lines.get(0));
        assertEquals("[##############################] 7701/7701 100% 20.0 img/s in 6:25", lines.get(9));
        assertTrue(text().indexOf('\r') < 0);
    }

    @Test
    void terminalModeRedrawsInPlaceAtMostFiveTimesASecond() {
        ProgressBar bar = new ProgressBar(1000, "img", out, true, nanos::get);
        for (int i = 0; i < 1000; i++) {
            nanos.addAndGet(10_000_000L); // 100 steps a second for 10 s
            bar.step();
        }
        bar.close();
        long redraws = text().chars().filter(c -> c == '\r').count();
        // 10 s at 5 a second, plus the forced draw at 100% and the final line.
        assertTrue(redraws >= 45 && redraws <= 53, "redraws: " + redraws);
        assertTrue(text().endsWith("[##############################] 1000/1000 100% 100.0 img/s in 0:10" + System.lineSeparator()),
                text().substring(text().length() - 90));
    }

    @Test
    void stepsFromManyThreadsAreAllCounted() throws InterruptedException {
        ProgressBar bar = new ProgressBar(40_000, "img", out, false, System::nanoTime);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    bar.step();
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(40_000, bar.done());
        bar.close();
        assertTrue(text().contains("40000/40000 100%"), text());
    }

    @Test
    void clockTimeShowsHoursOnlyWhenNeeded() {
        assertEquals("4:37", ProgressBar.clockTime(277));
        assertEquals("1:02:03", ProgressBar.clockTime(3723));
    }
}
