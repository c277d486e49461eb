package io.facestream.recognize.job;

import io.facestream.core.event.ModelRecord;

/**
 * The order to embed frames with a published model from now on, numbered so that the newest order wins wherever
 * several meet (a restored subtask's state holds the orders of all subtasks).
 *
 * @param number increases with every activation
 * @param model the model to embed with
 */
public record ModelActivation(long number, ModelRecord model) {

    public ModelActivation {
        if (number < 1 || model == null) {
            throw new IllegalArgumentException("an activation needs a number from 1 and a model, was " + number
                    + ", " + model);
        }
    }
}
