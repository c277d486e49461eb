package io.facestream.app.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A network camera on 127.0.0.1 for fault runs: serves a list of JPEG frames, looped, as an HTTP MJPEG stream
 * ({@code multipart/x-mixed-replace}, what many IP cameras send) at a fixed rate, and can be cut as a network fault
 * would: every open connection is reset and new ones are refused for a while, then it serves again on the same port.
 */
public final class MjpegCamera implements AutoCloseable {

    private static final String BOUNDARY = "facestreamframe";

    private final List<byte[]> frames;
    private final long periodNanos;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong served = new AtomicLong();
    private volatile ServerSocket server;
    private volatile boolean closed;

    private MjpegCamera(List<byte[]> frames, double fps, ServerSocket server) {
        this.frames = List.copyOf(frames);
        this.periodNanos = (long) (1e9 / fps);
        this.server = server;
        this.port = server.getLocalPort();
        accept(server);
    }

    /** Serves {@code frames} (JPEG bytes), looped, at {@code fps}, on a free port of 127.0.0.1. */
    public static MjpegCamera start(List<byte[]> frames, double fps) throws IOException {
        if (frames.isEmpty() || !(fps > 0)) {
            throw new IllegalArgumentException("an MJPEG camera needs frames and a rate above 0, got " + frames.size()
                    + " frame(s) at " + fps + " fps");
        }
        return new MjpegCamera(frames, fps, listen(0));
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(ClusterPorts.HOST), port));
        return s;
    }

    /** The stream's URL. */
    public String url() {
        return "http://" + ClusterPorts.HOST + ":" + port + "/stream.mjpg";
    }

    /** Frames written so far, over every connection. */
    public long framesServed() {
        return served.get();
    }

    /**
     * Cuts the camera off: resets every connection and refuses new ones for {@code outage}, then listens again.
     * Returns once it listens again.
     */
    public void cut(Duration outage) throws IOException, InterruptedException {
        goDark();
        Thread.sleep(outage.toMillis());
        comeBack();
    }

    /** Resets every open connection and stops listening: new connections are refused until {@link #comeBack()}. */
    public synchronized void goDark() throws IOException {
        server.close();
        for (Socket s : open) {
            reset(s);
        }
    }

    /** A reset, not an orderly end: the reader sees the connection drop mid-frame. */
    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** Listens again on the same port after {@link #goDark()}; does nothing while it listens or once closed. */
    public synchronized void comeBack() throws IOException {
        if (!closed && server.isClosed()) {
            ServerSocket again = listen(port);
            server = again;
            accept(again);
        }
    }

    private void accept(ServerSocket s) {
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket c = s.accept();
                    if (s.isClosed()) {
                        // Closing a server socket while this thread is blocked in accept() is finished only when the
                        // thread wakes, and the kernel may hand it a connection made after the cut in between.
                        reset(c);
                        return;
                    }
                    open.add(c); // before the writer starts, so that a cut at any moment resets it
                    Thread w = new Thread(() -> serve(c), "mjpeg-camera-" + port + "-client");
                    w.setDaemon(true);
                    w.start();
                } catch (IOException e) {
                    return; // closed by cut() or close()
                }
            }
        }, "mjpeg-camera-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void serve(Socket c) {
        try (c) {
            BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
            // The request line and headers; whatever was asked, the answer is the stream.
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                // skip
            }
            OutputStream out = c.getOutputStream();
            out.write(("HTTP/1.0 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary=" + BOUNDARY
                    + "\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            long next = System.nanoTime();
            for (int i = 0; !closed; i = (i + 1) % frames.size()) {
                byte[] jpeg = frames.get(i);
                out.write(("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(jpeg);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                served.incrementAndGet();
                next += periodNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (SocketException e) {
            // the reader went away, or cut() reset the connection
        } catch (IOException e) {
            // same, reported differently
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(c);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
