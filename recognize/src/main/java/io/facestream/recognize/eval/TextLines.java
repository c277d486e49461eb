package io.facestream.recognize.eval;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The lines of a text file the user names, refused with a sentence when the file is not text. */
public final class TextLines {

    private TextLines() {
    }

    /**
     * Reads {@code file} as UTF-8.
     *
     * @param what what the file should be, as the message names it ("pairs file")
     * @param expected what its lines look like, for the message
     * @throws IllegalArgumentException when the file is not UTF-8 text (an image passed by mistake, say)
     */
    public static List<String> read(Path file, String what, String expected) throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " " + file + " is not a text file (it is not UTF-8);"
                    + " expected " + expected, e);
        }
    }
}
