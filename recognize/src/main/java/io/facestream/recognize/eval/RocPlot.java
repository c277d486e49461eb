package io.facestream.recognize.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws one or more ROC curves as a PNG fit for a paper: log FAR axis from 10^-4 to 1, TPR axis
 * zoomed to the range the curves occupy (lower bound 0, 0.5, 0.8 or 0.9: the highest one below
 * every curve's TPR at FAR 10^-4), the FAR = 10^-3 line, each curve's operating point, and a legend.
 */
public final class RocPlot {

    /** Default picture width in pixels. */
    public static final int WIDTH = 900;
    /** Default picture height in pixels. */
    public static final int HEIGHT = 700;
    /** Left end of the FAR axis; LFW's 3000 different pairs cannot resolve much lower rates. */
    public static final double MIN_FAR = 1e-4;

    // A colour-blind-safe qualitative palette (Okabe-Ito), strongest first.
    private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
        new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000)};
    private static final double[] Y_FLOORS = {0.9, 0.8, 0.5, 0.0};
    private static final double VAL_FAR = VerificationProtocol.FAR_TARGET;

    private record Curve(String label, String headline, Roc roc, double threshold) {
    }

    private final int width;
    private final int height;
    private final List<Curve> curves = new ArrayList<>();
    private String title;

    /** A plot of the default size, 900 x 700. */
    public RocPlot() {
        this(WIDTH, HEIGHT);
    }

    /** A plot of the given size in pixels (at least 400 x 300 so labels fit). */
    public RocPlot(int width, int height) {
        if (width < 400 || height < 300) {
            throw new IllegalArgumentException("ROC plot size must be at least 400 x 300 pixels, was " + width + " x " + height);
        }
        this.width = width;
        this.height = height;
    }

    /** A plot of one report's ROC, titled with its model and accuracy. */
    public static RocPlot of(VerificationReport report) {
        return new RocPlot().add(report);
    }

    /** Sets the title; by default it names the single model and its accuracy, or says how many are compared. */
    public RocPlot title(String title) {
        this.title = title;
        return this;
    }

    /** Adds a report's curve, labelled with model, accuracy and AUC, marked at its mean threshold. */
    public RocPlot add(VerificationReport report) {
        String model = report.model() == null || report.model().isBlank() ? "model" : report.model();
        String name = model + (report.flip() ? " + flip" : "");
        String accuracy = String.format(Locale.ROOT, "accuracy %.2f%% ± %.2f", 100 * report.accuracyMean(), 100 * report.accuracyStd());
        return add(String.format(Locale.ROOT, "%s: %s, AUC %.4f", name, accuracy, report.auc()),
                name + " (" + accuracy + ")", report.roc(), report.thresholdMean());
    }

    /** Adds a curve; {@code threshold} marks its operating point (NaN for none). */
    public RocPlot add(String label, Roc roc, double threshold) {
        return add(label, label, roc, threshold);
    }

    private RocPlot add(String label, String headline, Roc roc, double threshold) {
        if (roc == null) {
            throw new IllegalArgumentException("curve '" + label + "' has no ROC; pass the report's roc()");
        }
        curves.add(new Curve(label, headline, roc, threshold));
        return this;
    }

    /** Writes the plot as a PNG, creating the folder. */
    public void write(Path png) throws IOException {
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(render(), "png", png.toFile())) {
            throw new IOException("no PNG writer is available to write " + png);
        }
    }

    /** Renders the plot. */
    public BufferedImage render() {
        if (curves.isEmpty()) {
            throw new IllegalStateException("a ROC plot needs at least one curve; call add(...) first");
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            Axes ax = new Axes(new Rectangle2D.Double(95, 60, width - 95 - 42, height - 60 - 75), yFloor());
            drawGridAndAxes(g, ax);
            drawFarTargetLine(g, ax);
            Shape outside = g.getClip();
            g.clip(ax.area);
            for (int i = 0; i < curves.size(); i++) {
                g.setColor(PALETTE[i % PALETTE.length]);
                g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(curvePath(curves.get(i).roc(), ax));
            }
            g.setClip(outside);
            for (int i = 0; i < curves.size(); i++) {
                drawOperatingPoint(g, ax, curves.get(i), PALETTE[i % PALETTE.length]);
            }
            if (curves.size() == 1) {
                labelOperatingPoint(g, ax, curves.get(0), PALETTE[0]);
            }
            drawLegend(g, ax);
            drawTitle(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The plot area and its mapping from (FAR, TPR) to pixels. */
    private record Axes(Rectangle2D.Double area, double yMin) {
        double x(double far) {
            double lo = Math.log10(MIN_FAR);
            return area.x + (Math.log10(Math.max(far, MIN_FAR)) - lo) / -lo * area.width;
        }

        double y(double tpr) {
            return area.y + area.height - (tpr - yMin) / (1 - yMin) * area.height;
        }
    }

    private double yFloor() {
        double lowest = 1;
        for (Curve c : curves) {
            lowest = Math.min(lowest, c.roc().tprAt(MIN_FAR));
        }
        for (double floor : Y_FLOORS) {
            // Keep a little air under the curve so its left end does not sit on the axis.
            if (floor <= lowest - 0.01) {
                return floor;
            }
        }
        return 0;
    }

    private void drawGridAndAxes(Graphics2D g, Axes ax) {
        Rectangle2D.Double a = ax.area();
        Color minor = new Color(0xEEEEEE);
        Color major = new Color(0xD0D0D0);
        g.setStroke(new BasicStroke(1f));
        for (int e = -4; e < 0; e++) {
            for (int m = 2; m <= 9; m++) {
                g.setColor(minor);
                double x = ax.x(m * Math.pow(10, e));
                g.draw(new Line2D.Double(x, a.y, x, a.y + a.height));
            }
        }
        double step = ax.yMin() >= 0.9 ? 0.01 : ax.yMin() >= 0.8 ? 0.02 : ax.yMin() >= 0.5 ? 0.05 : 0.1;
        int yTicks = (int) Math.round((1 - ax.yMin()) / step);
        Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
        g.setFont(tickFont);
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i <= yTicks; i++) {
            double v = ax.yMin() + i * step;
            double y = ax.y(v);
            g.setColor(major);
            g.draw(new Line2D.Double(a.x, y, a.x + a.width, y));
            g.setColor(Color.DARK_GRAY);
            g.draw(new Line2D.Double(a.x - 5, y, a.x, y));
            String s = String.format(Locale.ROOT, step < 0.1 ? "%.2f" : "%.1f", v);
            g.drawString(s, (float) (a.x - 9 - fm.stringWidth(s)), (float) (y + fm.getAscent() / 2.0 - 2));
        }
        for (int e = -4; e <= 0; e++) {
            double x = ax.x(Math.pow(10, e));
            g.setColor(major);
            g.draw(new Line2D.Double(x, a.y, x, a.y + a.height));
            g.setColor(Color.DARK_GRAY);
            g.draw(new Line2D.Double(x, a.y + a.height, x, a.y + a.height + 5));
            drawPower(g, x, a.y + a.height + 8 + fm.getAscent(), e, tickFont, true);
        }
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1.2f));
        g.draw(a);
        Font axisFont = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
        g.setFont(axisFont);
        fm = g.getFontMetrics();
        String xTitle = "False accept rate (FAR), log scale";
        g.drawString(xTitle, (float) (a.getCenterX() - fm.stringWidth(xTitle) / 2.0), (float) (a.y + a.height + 58));
        String yTitle = "True accept rate (TPR)";
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2, 28, a.getCenterY());
        g.drawString(yTitle, (float) (28 - fm.stringWidth(yTitle) / 2.0), (float) (a.getCenterY() + fm.getAscent() / 2.0));
        g.setTransform(saved);
    }

    /** Draws 10 to the power {@code e} with a raised exponent; centred on x, or left-aligned. */
    private static double drawPower(Graphics2D g, double x, double baseline, int e, Font font, boolean centred) {
        Font sup = font.deriveFont(font.getSize2D() * 0.72f);
        String exp = e < 0 ? "\u2212" + (-e) : Integer.toString(e);
        FontMetrics fm = g.getFontMetrics(font);
        FontMetrics fs = g.getFontMetrics(sup);
        double w = fm.stringWidth("10") + 1 + fs.stringWidth(exp);
        double left = centred ? x - w / 2 : x;
        g.setFont(font);
        g.drawString("10", (float) left, (float) baseline);
        g.setFont(sup);
        g.drawString(exp, (float) (left + fm.stringWidth("10") + 1), (float) (baseline - fm.getAscent() * 0.42));
        g.setFont(font);
        return w;
    }

    private void drawFarTargetLine(Graphics2D g, Axes ax) {
        Rectangle2D.Double a = ax.area();
        double x = ax.x(VAL_FAR);
        g.setColor(new Color(0x777777));
        g.setStroke(new BasicStroke(1.3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 5f}, 0f));
        g.draw(new Line2D.Double(x, a.y, x, a.y + a.height));
        Font f = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        g.setFont(f);
        FontMetrics fm = g.getFontMetrics();
        float y = (float) (a.y + a.height - 10);
        String lead = "FAR = ";
        g.drawString(lead, (float) (x + 6), y);
        drawPower(g, x + 6 + fm.stringWidth(lead), y, -3, f, false);
    }

    private static Path2D curvePath(Roc roc, Axes ax) {
        double[] f = roc.fpr();
        double[] t = roc.tpr();
        Path2D.Double p = new Path2D.Double();
        boolean started = false;
        for (int k = 1; k < f.length; k++) {
            if (f[k] < MIN_FAR) {
                continue;
            }
            double a = f[k - 1] < MIN_FAR ? (MIN_FAR - f[k - 1]) / (f[k] - f[k - 1]) : 0;
            if (!started) {
                p.moveTo(ax.x(lerp(f[k - 1], f[k], a)), ax.y(lerp(t[k - 1], t[k], a)));
                started = true;
            }
            // A tie between same and different pairs is a diagonal in linear FAR, a curve on the log axis.
            int pieces = f[k] != f[k - 1] && t[k] != t[k - 1] ? 16 : 1;
            for (int s = 1; s <= pieces; s++) {
                double u = a + (1 - a) * s / pieces;
                p.lineTo(ax.x(lerp(f[k - 1], f[k], u)), ax.y(lerp(t[k - 1], t[k], u)));
            }
        }
        return p;
    }

    private static double lerp(double a, double b, double u) {
        return a + (b - a) * u;
    }

    private static void drawOperatingPoint(Graphics2D g, Axes ax, Curve c, Color color) {
        if (Double.isNaN(c.threshold())) {
            return;
        }
        Roc.Point op = c.roc().at(c.threshold());
        if (op.tpr() < ax.yMin()) {
            return;
        }
        dot(g, ax.x(op.fpr()), ax.y(op.tpr()), color, 5.5);
    }

    private static void dot(Graphics2D g, double x, double y, Color color, double r) {
        Ellipse2D dot = new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
        g.setColor(color);
        g.fill(dot);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(1.5f));
        g.draw(dot);
    }

    private static String operatingText(Curve c) {
        Roc.Point op = c.roc().at(c.threshold());
        String far = String.format(Locale.ROOT, op.fpr() < 0.01 ? "%.3f%%" : "%.2f%%", 100 * op.fpr());
        return String.format(Locale.ROOT, "mean threshold %.3f: TPR %.2f%% at FAR %s", c.threshold(), 100 * op.tpr(), far);
    }

    /** With one curve the point is labelled in place: below-right, or left where it would leave the plot. */
    private static void labelOperatingPoint(Graphics2D g, Axes ax, Curve c, Color color) {
        if (Double.isNaN(c.threshold()) || c.roc().at(c.threshold()).tpr() < ax.yMin()) {
            return;
        }
        Roc.Point op = c.roc().at(c.threshold());
        double x = ax.x(op.fpr());
        double y = ax.y(op.tpr());
        String label = operatingText(c);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        Rectangle2D.Double a = ax.area();
        double lx = x + 10;
        double ly = y + 22;
        if (lx + fm.stringWidth(label) > a.x + a.width - 4) {
            lx = x - 10 - fm.stringWidth(label);
        }
        if (ly > a.y + a.height - 30) {
            ly = y - 12;
        }
        g.setColor(new Color(255, 255, 255, 220));
        g.fill(new Rectangle2D.Double(lx - 3, ly - fm.getAscent(), fm.stringWidth(label) + 6, fm.getHeight()));
        g.setColor(color.darker());
        g.drawString(label, (float) lx, (float) ly);
    }

    /** Legend in the lower right, empty on a good ROC; with several curves each row also gives its operating point. */
    private void drawLegend(Graphics2D g, Axes ax) {
        Font main = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        FontMetrics fm = g.getFontMetrics(main);
        FontMetrics fs = g.getFontMetrics(small);
        boolean detail = curves.size() > 1;
        int row = fm.getHeight() + (detail ? fs.getHeight() + 2 : 0) + 6;
        int textWidth = 0;
        for (Curve c : curves) {
            textWidth = Math.max(textWidth, fm.stringWidth(c.label()));
            if (detail && !Double.isNaN(c.threshold())) {
                textWidth = Math.max(textWidth, 16 + fs.stringWidth(operatingText(c)));
            }
        }
        double w = 12 + 34 + 8 + textWidth + 12;
        double h = 10 + row * curves.size();
        Rectangle2D.Double a = ax.area();
        Rectangle2D.Double box = new Rectangle2D.Double(a.x + a.width - w - 14, a.y + a.height - h - 40, w, h);
        g.setColor(new Color(255, 255, 255, 235));
        g.fill(box);
        g.setColor(new Color(0xAAAAAA));
        g.setStroke(new BasicStroke(1f));
        g.draw(box);
        for (int i = 0; i < curves.size(); i++) {
            Curve c = curves.get(i);
            Color color = PALETTE[i % PALETTE.length];
            double top = box.y + 5 + row * i;
            double y = top + fm.getHeight() / 2.0 + 3;
            g.setColor(color);
            g.setStroke(new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new Line2D.Double(box.x + 12, y, box.x + 46, y));
            g.setColor(Color.BLACK);
            g.setFont(main);
            g.drawString(c.label(), (float) (box.x + 54), (float) (y + fm.getAscent() / 2.0 - 2));
            if (detail && !Double.isNaN(c.threshold())) {
                double y2 = y + fm.getHeight() / 2.0 + fs.getHeight() / 2.0 + 2;
                dot(g, box.x + 60, y2, color, 4.5);
                g.setColor(new Color(0x444444));
                g.setFont(small);
                g.drawString(operatingText(c), (float) (box.x + 70), (float) (y2 + fs.getAscent() / 2.0 - 1));
            }
        }
    }

    private void drawTitle(Graphics2D g) {
        String text = title;
        if (text == null) {
            text = curves.size() == 1 ? "ROC by the LFW protocol \u2014 " + curves.get(0).headline()
                    : "ROC by the LFW protocol \u2014 " + curves.size() + " models";
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 19));
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.drawString(text, (float) ((width - fm.stringWidth(text)) / 2.0), 38f);
    }
}
