package io.facestream.train.report;

import io.facestream.train.trainer.Evaluation;
import io.facestream.train.trainer.StepResult;
import io.facestream.train.trainer.TrainingLog;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
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
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws a run as a PNG: above, the triplet loss of every step (thin) and its moving average (bold);
 * below, the gate's verification accuracy on the held-out target pairs (and the general pairs, when
 * there are any) at each evaluation, a filled dot where the gate kept the model. Both share the step axis.
 */
public final class TrainingCurve {

    /** Picture width in pixels. */
    public static final int WIDTH = 900;
    /** Picture height in pixels. */
    public static final int HEIGHT = 700;
    /** Steps in the loss's moving average. */
    static final int SMOOTHING = 20;

    // Okabe-Ito, as the ROC pictures.
    private static final Color BLUE = new Color(0x0072B2);
    private static final Color ORANGE = new Color(0xD55E00);
    private static final Color GREEN = new Color(0x009E73);
    private static final Color GRID = new Color(0xE6E6E6);
    private static final Color AXIS = new Color(0x333333);

    private final List<StepResult> steps;
    private final List<Evaluation> evaluations;

    private TrainingCurve(List<StepResult> steps, List<Evaluation> evaluations) {
        this.steps = steps;
        this.evaluations = evaluations;
    }

    /** The curve of a log. */
    public static TrainingCurve of(TrainingLog log) {
        return new TrainingCurve(log.steps(), log.evaluations());
    }

    /** Writes the PNG. */
    public void write(Path png) throws IOException {
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(render(), "png", png.toFile())) {
            throw new IOException("no PNG writer in this JVM");
        }
    }

    /** The picture. */
    public BufferedImage render() {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            int maxStep = Math.max(1, Math.max(steps.isEmpty() ? 0 : steps.get(steps.size() - 1).step(),
                    evaluations.isEmpty() ? 0 : evaluations.get(evaluations.size() - 1).step()));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
            g.setColor(AXIS);
            g.drawString("Triplet training: loss and held-out verification accuracy", 80, 32);
            Rectangle2D.Double top = new Rectangle2D.Double(80, 60, WIDTH - 120, 260);
            Rectangle2D.Double bottom = new Rectangle2D.Double(80, 380, WIDTH - 120, 260);
            drawLoss(g, top, maxStep);
            drawAccuracy(g, bottom, maxStep);
        } finally {
            g.dispose();
        }
        return img;
    }

    private void drawLoss(Graphics2D g, Rectangle2D.Double a, int maxStep) {
        double yMax = 0;
        for (StepResult s : steps) {
            yMax = Math.max(yMax, s.loss());
        }
        yMax = niceCeiling(Math.max(yMax, 0.05));
        frame(g, a, maxStep, 0, yMax, "loss", "%.2f");
        if (steps.isEmpty()) {
            return;
        }
        g.setStroke(new BasicStroke(1f));
        g.setColor(new Color(0x0072B2 | 0x40000000, true));
        g.draw(path(steps, StepResult::loss, a, maxStep, 0, yMax));
        List<double[]> smooth = new ArrayList<>();
        double sum = 0;
        for (int i = 0; i < steps.size(); i++) {
            sum += steps.get(i).loss();
            if (i >= SMOOTHING) {
                sum -= steps.get(i - SMOOTHING).loss();
            }
            smooth.add(new double[] {steps.get(i).step(), sum / Math.min(i + 1, SMOOTHING)});
        }
        g.setStroke(new BasicStroke(2.5f));
        g.setColor(BLUE);
        Path2D p = new Path2D.Double();
        for (int i = 0; i < smooth.size(); i++) {
            double x = x(a, smooth.get(i)[0], maxStep);
            double y = y(a, smooth.get(i)[1], 0, yMax);
            if (i == 0) {
                p.moveTo(x, y);
            } else {
                p.lineTo(x, y);
            }
        }
        g.draw(p);
        legend(g, a, new String[] {"loss per step", "mean of " + SMOOTHING + " steps"},
                new Color[] {new Color(0x0072B2 | 0x40000000, true), BLUE});
    }

    private void drawAccuracy(Graphics2D g, Rectangle2D.Double a, int maxStep) {
        double lo = 1;
        double hi = 0;
        boolean general = false;
        for (Evaluation e : evaluations) {
            lo = Math.min(lo, e.target().accuracy());
            hi = Math.max(hi, e.target().accuracy());
            if (e.general() != null) {
                general = true;
                lo = Math.min(lo, e.general().accuracy());
                hi = Math.max(hi, e.general().accuracy());
            }
        }
        if (evaluations.isEmpty()) {
            lo = 0.5;
            hi = 1;
        }
        double yMin = Math.max(0, Math.floor((lo - 0.02) * 20) / 20);
        double yMax = Math.min(1, Math.ceil((hi + 0.02) * 20) / 20);
        frame(g, a, maxStep, 100 * yMin, 100 * yMax, "accuracy (%)", "%.0f");
        drawSeries(g, a, maxStep, yMin, yMax, e -> e.target().accuracy(), ORANGE);
        if (general) {
            drawSeries(g, a, maxStep, yMin, yMax, e -> e.general() == null ? Double.NaN : e.general().accuracy(), GREEN);
        }
        legend(g, a, general ? new String[] {"held-out target pairs", "general pairs", "kept by the gate (filled)"}
                : new String[] {"held-out target pairs", "kept by the gate (filled)"},
                general ? new Color[] {ORANGE, GREEN, AXIS} : new Color[] {ORANGE, AXIS});
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(AXIS);
        String x = "training step";
        g.drawString(x, (float) (a.getCenterX() - g.getFontMetrics().stringWidth(x) / 2.0), (float) (a.getMaxY() + 38));
    }

    private void drawSeries(Graphics2D g, Rectangle2D.Double a, int maxStep, double yMin, double yMax,
            ToDoubleFunction<Evaluation> value, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        Path2D p = new Path2D.Double();
        boolean first = true;
        for (Evaluation e : evaluations) {
            double v = value.applyAsDouble(e);
            if (Double.isNaN(v)) {
                continue;
            }
            double x = x(a, e.step(), maxStep);
            double y = y(a, v, yMin, yMax);
            if (first) {
                p.moveTo(x, y);
                first = false;
            } else {
                p.lineTo(x, y);
            }
        }
        g.draw(p);
        for (Evaluation e : evaluations) {
            double v = value.applyAsDouble(e);
            if (Double.isNaN(v)) {
                continue;
            }
            Ellipse2D dot = new Ellipse2D.Double(x(a, e.step(), maxStep) - 4, y(a, v, yMin, yMax) - 4, 8, 8);
            g.setColor(Color.WHITE);
            g.fill(dot);
            g.setColor(color);
            if (e.passed()) {
                g.fill(dot);
            }
            g.setStroke(new BasicStroke(1.5f));
            g.draw(dot);
        }
    }

    private static Path2D path(List<StepResult> steps, ToDoubleFunction<StepResult> value, Rectangle2D.Double a,
            int maxStep, double yMin, double yMax) {
        Path2D p = new Path2D.Double();
        for (int i = 0; i < steps.size(); i++) {
            double x = x(a, steps.get(i).step(), maxStep);
            double y = y(a, value.applyAsDouble(steps.get(i)), yMin, yMax);
            if (i == 0) {
                p.moveTo(x, y);
            } else {
                p.lineTo(x, y);
            }
        }
        return p;
    }

    private static void frame(Graphics2D g, Rectangle2D.Double a, int maxStep, double yMin, double yMax, String yLabel,
            String yFormat) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i <= 5; i++) {
            double v = yMin + (yMax - yMin) * i / 5;
            double y = a.getMaxY() - a.height * i / 5;
            g.setColor(GRID);
            g.draw(new Line2D.Double(a.x, y, a.getMaxX(), y));
            g.setColor(AXIS);
            String t = String.format(Locale.ROOT, yFormat.equals("%.0f") && (yMax - yMin) < 10 ? "%.1f" : yFormat, v);
            g.drawString(t, (float) (a.x - 8 - fm.stringWidth(t)), (float) (y + fm.getAscent() / 2.0 - 1));
        }
        int stepTick = niceStep(maxStep / 6.0);
        for (int s = 0; s <= maxStep; s += stepTick) {
            double x = x(a, s, maxStep);
            g.setColor(GRID);
            g.draw(new Line2D.Double(x, a.y, x, a.getMaxY()));
            g.setColor(AXIS);
            String t = Integer.toString(s);
            g.drawString(t, (float) (x - fm.stringWidth(t) / 2.0), (float) (a.getMaxY() + 16));
        }
        g.setColor(AXIS);
        g.draw(a);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(yLabel, (float) a.x, (float) (a.y - 8));
    }

    private static void legend(Graphics2D g, Rectangle2D.Double a, String[] labels, Color[] colors) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int w = 0;
        for (String l : labels) {
            w = Math.max(w, fm.stringWidth(l));
        }
        double x0 = a.getMaxX() - w - 50;
        double y0 = a.y + 10;
        g.setColor(new Color(255, 255, 255, 220));
        g.fill(new Rectangle2D.Double(x0 - 8, y0 - 4, w + 54, labels.length * 18 + 8));
        for (int i = 0; i < labels.length; i++) {
            double y = y0 + 9 + i * 18;
            g.setColor(colors[i]);
            g.setStroke(new BasicStroke(2.5f));
            g.draw(new Line2D.Double(x0, y, x0 + 28, y));
            g.setColor(AXIS);
            g.drawString(labels[i], (float) (x0 + 36), (float) (y + fm.getAscent() / 2.0 - 1));
        }
    }

    private static double x(Rectangle2D.Double a, double step, int maxStep) {
        return a.x + a.width * step / maxStep;
    }

    private static double y(Rectangle2D.Double a, double v, double yMin, double yMax) {
        double u = (v - yMin) / (yMax - yMin);
        return a.getMaxY() - a.height * Math.max(0, Math.min(1, u));
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static int niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return (int) Math.max(1, Math.round(m * p));
            }
        }
        return (int) (10 * p);
    }

    private static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
