package io.facestream.recognize.weights;

/** The pretrained weights could not be had; the message says what the user should do. */
public class WeightsUnavailableException extends RuntimeException {

    public WeightsUnavailableException(String message) {
        super(message);
    }

    public WeightsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
