package io.facestream.gallery.console;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One browser's share of the {@link LiveFeed}: the scenes not yet sent to it. A slow browser loses the
 * oldest scenes, never slows the feed or the other browsers.
 */
public final class Subscriber implements AutoCloseable {

    /** About 4 s of a 8 fps camera: enough to ride out a hiccup, small enough that a stalled tab costs little. */
    static final int CAPACITY = 32;

    private final LiveFeed feed;
    private final BlockingQueue<Scene> queue = new ArrayBlockingQueue<>(CAPACITY);
    private volatile boolean closed;

    Subscriber(LiveFeed feed) {
        this.feed = feed;
    }

    void offer(Scene s) {
        while (!queue.offer(s)) {
            queue.poll();
        }
    }

    /** The next scene, or null when none came within {@code wait} or the feed closed. */
    public Scene next(Duration wait) throws InterruptedException {
        return closed ? null : queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        feed.unsubscribe(this);
    }
}
