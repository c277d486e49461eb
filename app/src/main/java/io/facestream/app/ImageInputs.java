package io.facestream.app;

import io.facestream.recognize.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the images named on the command line, turning every failure into one sentence. */
final class ImageInputs {

    private ImageInputs() {
    }

    /** The decoded image, or an {@link IOException} whose message names the file and the problem. */
    static RgbImage read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException(file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a folder, not an image");
        }
        if (!Files.isReadable(file)) {
            throw new IOException(file + ": not readable (check its permissions)");
        }
        return RgbImage.read(file);
    }
}
