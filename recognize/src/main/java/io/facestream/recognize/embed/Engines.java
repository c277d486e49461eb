package io.facestream.recognize.embed;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** Engine switches that must be made per thread. */
final class Engines {

    /** Whether the default engine is PyTorch (resolved once; the engine is a process-wide singleton). */
    private static final boolean PYTORCH = "PyTorch".equals(Engine.getInstance().getEngineName());

    private Engines() {
    }

    /**
     * Turns PyTorch's autograd off on the calling thread. Grad mode is thread-local in PyTorch and
     * DJL turns it off only on the thread that loaded the engine; with it on, every op on a
     * parameter would record a graph and keep its inputs alive.
     */
    static void inferenceModeOnThisThread() {
        if (PYTORCH && JniUtils.isGradMode()) {
            JniUtils.setGradMode(false);
        }
    }
}
