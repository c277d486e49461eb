package io.facestream.recognize.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocPlotTest {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void writesAReadablePngOfTheRequestedSizeWithTheCurvesDrawn(@TempDir Path dir) throws IOException {
        int n = 6000;
        boolean[] same = new boolean[n];
        double[] good = new double[n];
        double[] weak = new double[n];
        Random rnd = new Random(3);
        for (int i = 0; i < n; i++) {
            same[i] = (i / 300) % 2 == 0;
            good[i] = (same[i] ? 0.6 : 1.8) + 0.25 * rnd.nextGaussian();
            weak[i] = (same[i] ? 0.6 : 1.2) + 0.25 * rnd.nextGaussian();
        }
        int[] folds = VerificationProtocol.contiguousFolds(n, 10);
        VerificationReport a = VerificationProtocol.exact().evaluate(good, same, folds).withRun("ensemble", true, 7701, 0, 60);
        VerificationReport b = VerificationProtocol.exact().evaluate(weak, same, folds).withRun("dlib", false, 7701, 2, 60);
        Path png = dir.resolve("plots/roc.png");
        new RocPlot(900, 700).add(a).add(b).write(png);

        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "ImageIO could not read " + png);
        assertEquals(900, img.getWidth());
        assertEquals(700, img.getHeight());
        assertEquals(0xFFFFFF, img.getRGB(3, 3) & 0xFFFFFF, "background is white");
        // Both curves (first two palette colours) cover many pixels: the plot is not blank or single-coloured.
        assertTrue(count(img, 0x0072B2) > 500, "blue curve pixels: " + count(img, 0x0072B2));
        assertTrue(count(img, 0xD55E00) > 500, "orange curve pixels: " + count(img, 0xD55E00));
    }

    private static int count(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                if (Math.abs(((p >> 16) & 255) - ((rgb >> 16) & 255)) < 12 && Math.abs(((p >> 8) & 255) - ((rgb >> 8) & 255)) < 12
                        && Math.abs((p & 255) - (rgb & 255)) < 12) {
                    n++;
                }
            }
        }
        return n;
    }
}
