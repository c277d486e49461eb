package io.facestream.recognize.job;

import io.facestream.core.event.DeadLetter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Splits a source's {@link InputRecord}s: values go on, records that could not be read to {@link #REJECTED}. */
public final class InputRecordSplit<T> extends ProcessFunction<InputRecord<T>, T> {

    private static final long serialVersionUID = 1L;

    /** Records of an input topic that could not be read, bound for the topic's dead-letter topic. */
    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("input-rejected-records") { };

    @Override
    public void processElement(InputRecord<T> input, Context ctx, Collector<T> out) {
        if (input.isValue()) {
            out.collect(input.value());
        } else {
            ctx.output(REJECTED, input.rejected());
        }
    }
}
