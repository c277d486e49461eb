package io.facestream.app;

/** Entry point of the {@code facestream} command line. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("facestream");
    }
}
