package io.facestream.app;

import io.facestream.core.BoundingBox;
import io.facestream.core.Point;
import io.facestream.recognize.engine.AnalyzedFace;
import io.facestream.recognize.image.RgbImage;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.imageio.ImageIO;

/** Draws face boxes, landmarks and labels onto a copy of an image and saves it. */
final class Annotator {

    private static final Color KNOWN = new Color(40, 200, 90);
    private static final Color UNKNOWN = new Color(245, 160, 30);

    private Annotator() {
    }

    /** Writes the annotated image; the format follows the file extension (jpg or png). */
    static void write(RgbImage image, List<AnalyzedFace> faces, Function<Integer, String> label,
                      Function<Integer, Boolean> known, Path out) throws IOException {
        BufferedImage img = image.toBufferedImage();
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        float stroke = Math.max(2f, Math.min(image.width(), image.height()) / 300f);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.round(Math.max(12, stroke * 6))));
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < faces.size(); i++) {
            AnalyzedFace f = faces.get(i);
            BoundingBox b = f.detection().box();
            Color c = known.apply(i) ? KNOWN : UNKNOWN;
            g.setColor(c);
            g.setStroke(new BasicStroke(stroke));
            g.drawRect((int) Math.round(b.x1()), (int) Math.round(b.y1()), (int) Math.round(b.width()), (int) Math.round(b.height()));
            int r = Math.round(stroke * 1.2f);
            for (Point p : f.detection().landmarks().points()) {
                g.fillOval((int) Math.round(p.x()) - r, (int) Math.round(p.y()) - r, 2 * r, 2 * r);
            }
            String text = label.apply(i);
            int tw = fm.stringWidth(text) + 8;
            int th = fm.getHeight();
            int tx = (int) Math.round(b.x1());
            int ty = (int) Math.round(b.y1()) - th;
            if (ty < 0) {
                ty = (int) Math.round(b.y2());
            }
            g.fillRect(tx, ty, tw, th);
            g.setColor(Color.BLACK);
            g.drawString(text, tx + 4, ty + fm.getAscent());
        }
        g.dispose();
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        String format = name.endsWith(".png") ? "png" : "jpg";
        if (!ImageIO.write(img, format, out.toFile())) {
            throw new IOException("no writer for " + format + " images");
        }
    }
}
