package io.facestream.recognize.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Puts one camera's frames back in sequence order after parallel recognition (keyed by camera id).
 *
 * <p>A frame is released when it is the next one after the last released; later frames wait in keyed
 * state. A gap that persists for the reorder timeout (processing time) is skipped: the oldest waiting
 * frame is released and the frames after it follow. A frame at or before the last released one is late
 * and passed on at once (tracked best-effort), unless its capture time is newer than the last released
 * frame's: then the camera's numbering started again (its ingest restarted), what still waits is released
 * and the frame is marked {@link SequencedFrame#restarted()}.
 *
 * <p>The first frame of a camera is released at once only when it is frame 0; otherwise its predecessors
 * may still be under way and it waits like any frame after a gap. When a bounded input ends, everything
 * still waiting is released in order (a timer at the end of event time). Dead-lettered markers fill their
 * place and are passed on too, so a restart on one is not lost.
 */
public final class ResequenceFunction extends KeyedProcessFunction<String, AnalyzedFrame, SequencedFrame> {

    private static final long serialVersionUID = 1L;

    /**
     * Most frames a camera may hold back; past it the gap is skipped at once. Bounds keyed state when a
     * timeout is long and a camera fast (256 frames is 8.5 s at 30 fps, beyond any sane timeout).
     */
    public static final int MAX_PENDING_FRAMES = 256;

    private final long timeoutMillis;

    private transient ValueState<FrameMark> released;
    private transient MapState<Long, AnalyzedFrame> pending;
    private transient ValueState<Long> gapTimer;

    /** @param timeout how long a gap may stay open before it is skipped */
    public ResequenceFunction(Duration timeout) {
        if (timeout == null || timeout.toMillis() < 1) {
            throw new IllegalArgumentException("the reorder timeout must be at least 1 ms, was " + timeout);
        }
        this.timeoutMillis = timeout.toMillis();
    }

    @Override
    public void open(OpenContext context) {
        released = getRuntimeContext().getState(new ValueStateDescriptor<>("last-released",
                TypeInformation.of(FrameMark.class)));
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG,
                TypeInformation.of(AnalyzedFrame.class)));
        gapTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("gap-timer", Types.LONG));
    }

    @Override
    public void processElement(AnalyzedFrame frame, Context ctx, Collector<SequencedFrame> out) throws Exception {
        FrameMark last = released.value();
        if (last != null && frame.sequence() <= last.sequence()) {
            if (frame.captureTime().isAfter(last.captureTime())) {
                releaseAll(out);
                release(frame, true, out);
                rearm(ctx.timerService(), true);
            } else {
                out.collect(new SequencedFrame(frame, false));
            }
            return;
        }
        pending.put(frame.sequence(), frame);
        boolean progressed = drain(last == null ? 0 : last.sequence() + 1, out);
        if (count() > MAX_PENDING_FRAMES) {
            skipGap(out);
            progressed = true;
        }
        rearm(ctx.timerService(), progressed);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SequencedFrame> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            // End of a bounded input: nothing more will come to fill any gap.
            releaseAll(out);
            rearm(ctx.timerService(), true);
            return;
        }
        Long due = gapTimer.value();
        if (due == null || due != timestamp) {
            return;
        }
        gapTimer.clear();
        skipGap(out);
        rearm(ctx.timerService(), true);
    }

    /** Releases the frames that follow on from {@code next}; true when at least one was released. */
    private boolean drain(long next, Collector<SequencedFrame> out) throws Exception {
        boolean any = false;
        for (AnalyzedFrame f = pending.get(next); f != null; f = pending.get(next)) {
            pending.remove(next);
            release(f, false, out);
            any = true;
            next++;
        }
        return any;
    }

    /** Gives up on the gap before the oldest waiting frame: releases it and what follows on. */
    private void skipGap(Collector<SequencedFrame> out) throws Exception {
        long oldest = Long.MAX_VALUE;
        for (Long s : pending.keys()) {
            oldest = Math.min(oldest, s);
        }
        if (oldest == Long.MAX_VALUE) {
            return;
        }
        AnalyzedFrame f = pending.get(oldest);
        pending.remove(oldest);
        release(f, false, out);
        drain(oldest + 1, out);
    }

    private void releaseAll(Collector<SequencedFrame> out) throws Exception {
        List<Long> waiting = new ArrayList<>();
        pending.keys().forEach(waiting::add);
        waiting.sort(null);
        for (long s : waiting) {
            release(pending.get(s), false, out);
        }
        pending.clear();
    }

    private void release(AnalyzedFrame frame, boolean restarted, Collector<SequencedFrame> out) throws Exception {
        released.update(new FrameMark(frame.sequence(), frame.captureTime()));
        out.collect(new SequencedFrame(frame, restarted));
    }

    /**
     * Keeps one gap timer while frames wait: a new one when the head of the line moved (a new gap starts
     * its own wait), none when nothing waits.
     */
    private void rearm(TimerService timers, boolean progressed) throws Exception {
        Long due = gapTimer.value();
        if (pending.isEmpty()) {
            if (due != null) {
                timers.deleteProcessingTimeTimer(due);
                gapTimer.clear();
            }
            return;
        }
        if (due != null && !progressed) {
            return;
        }
        if (due != null) {
            timers.deleteProcessingTimeTimer(due);
        }
        long at = timers.currentProcessingTime() + timeoutMillis;
        timers.registerProcessingTimeTimer(at);
        gapTimer.update(at);
        // Fires only when a bounded input ends (the final watermark); one per camera, re-registering is free.
        timers.registerEventTimeTimer(Long.MAX_VALUE);
    }

    private int count() throws Exception {
        int n = 0;
        for (Long ignored : pending.keys()) {
            n++;
        }
        return n;
    }
}
