package io.facestream.recognize.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facestream.recognize.align.FaceCrop;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class CropPngTest {

    @Test
    void aCropComesBackRoundedAndClampedInItsPlanes() {
        int n = 3;
        float[] chw = new float[3 * n * n];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = i * 13.4f - 20;   // from -20 to 328.4: both clamps and every plane
        }
        FaceCrop back = CropPng.decode(CropPng.encode(new FaceCrop(n, chw)));
        assertEquals(n, back.size());
        for (int i = 0; i < chw.length; i++) {
            assertEquals(Math.max(0, Math.min(255, Math.round(chw[i]))), back.chw()[i], 0, "value " + i);
        }
    }

    @Test
    void aGreyPngKeepsItsSamples() throws Exception {
        BufferedImage grey = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] levels = {10, 50, 114, 200};
        for (int i = 0; i < 4; i++) {
            grey.getRaster().setSample(i % 2, i / 2, 0, levels[i]);
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(grey, "png", png);
        FaceCrop crop = CropPng.decode(png.toByteArray());
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(levels[i], crop.get(c, i / 2, i % 2), 0, "level " + levels[i] + ", channel " + c);
            }
        }
    }
}
