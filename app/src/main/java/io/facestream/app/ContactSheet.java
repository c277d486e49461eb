package io.facestream.app;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** A PNG of one group: its name and size over a grid of thumbnails, capped, with how many more there are. */
final class ContactSheet {

    /** Thumbnails on one sheet: 6 rows of 8 show a group at a glance; a sheet of a 500-face group would not. */
    static final int MAX_THUMBNAILS = 48;
    private static final int COLUMNS = 8;
    private static final int THUMB = 96;
    private static final int GAP = 4;
    private static final int HEADER = 28;

    private ContactSheet() {
    }

    /** Draws {@code images} (the first {@link #MAX_THUMBNAILS}) under {@code title} to {@code png}. */
    static void write(Path png, String title, List<Path> images) throws IOException {
        int shown = Math.min(images.size(), MAX_THUMBNAILS);
        int cols = Math.max(1, Math.min(COLUMNS, shown));
        int rows = Math.max(1, (shown + cols - 1) / cols);
        int width = Math.max(240, GAP + cols * (THUMB + GAP));
        int height = HEADER + GAP + rows * (THUMB + GAP);
        BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(new Color(32, 32, 32));
            g.fillRect(0, 0, width, height);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            int more = images.size() - shown;
            String head = String.format(Locale.ROOT, "%s — %d face%s%s", title, images.size(), images.size() == 1 ? "" : "s",
                    more > 0 ? " (" + more + " more not shown)" : "");
            g.drawString(head, GAP + 2, HEADER - 9);
            for (int k = 0; k < shown; k++) {
                int x = GAP + (k % cols) * (THUMB + GAP);
                int y = HEADER + GAP + (k / cols) * (THUMB + GAP);
                BufferedImage img = ImageIO.read(images.get(k).toFile());
                if (img == null) {
                    g.setColor(Color.DARK_GRAY);
                    g.fillRect(x, y, THUMB, THUMB);
                    continue;
                }
                // fit the whole picture into the cell, keeping its proportions
                double s = Math.min((double) THUMB / img.getWidth(), (double) THUMB / img.getHeight());
                int w = Math.max(1, (int) Math.round(img.getWidth() * s));
                int h = Math.max(1, (int) Math.round(img.getHeight() * s));
                g.drawImage(img, x + (THUMB - w) / 2, y + (THUMB - h) / 2, w, h, null);
            }
        } finally {
            g.dispose();
        }
        Path parent = png.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        ImageIO.write(sheet, "png", png.toFile());
    }
}
