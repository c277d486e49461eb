package io.facestream.recognize.job;

import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.Frame;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Splits the source's {@link FrameInput}s: frames go on, records that were not frames to {@link #REJECTED}. */
public final class FrameInputSplit extends ProcessFunction<FrameInput, Frame> {

    private static final long serialVersionUID = 1L;

    /** Records of {@code frames} that are not frames, bound for {@code frames.dlq}. */
    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("frames-rejected-records") { };

    @Override
    public void processElement(FrameInput input, Context ctx, Collector<Frame> out) {
        if (input.isFrame()) {
            out.collect(input.frame());
        } else {
            ctx.output(REJECTED, input.rejected());
        }
    }
}
