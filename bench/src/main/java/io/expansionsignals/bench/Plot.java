package io.expansionsignals.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Two panels drawn with java.awt (no charting library to download): throughput per variant
 * against accounts (log x), and p50/p99 latency of the product job against accounts, with the floor's and the
 * other product variants' p99 at the highest share of the sustained rate.
 */
public final class Plot {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2)};
    private static final int W = 1100;
    private static final int H = 480;

    private Plot() {}

    public static void write(Path png, List<Measurement> rows, List<LatencyRun.Result> latencies) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        Map<String, List<double[]>> throughput = new LinkedHashMap<>();
        for (Measurement m : rows) {
            throughput.computeIfAbsent(m.variant(), k -> new ArrayList<>()).add(new double[] {m.accounts(), m.eventsPerSecond()});
        }
        panel(g, 60, "throughput (events/s) vs accounts", throughput);
        Map<String, List<double[]>> latency = new LinkedHashMap<>();
        double top = latencies.stream().filter(r -> !r.atFixedRate()).mapToDouble(LatencyRun.Result::fraction).max()
                .orElse(-1);
        for (LatencyRun.Result r : latencies) {
            String job = legendName(r.variant());
            String load = " at " + r.load();
            // RocksDB + exactly-once's p99 at every load; its p50, the floor's and the other variants' p99 at the
            // highest share only (the legend has room for seven lines)
            boolean product = r.variant().equals(LatencyRun.PRODUCT);
            boolean highestShare = !r.atFixedRate() && r.fraction() == top;
            if (product || highestShare) {
                latency.computeIfAbsent(job + " p99" + load, k -> new ArrayList<>()).add(new double[] {r.accounts(), r.p99()});
            }
            if (product && highestShare) {
                latency.computeIfAbsent(job + " p50" + load, k -> new ArrayList<>()).add(new double[] {r.accounts(), r.p50()});
            }
        }
        panel(g, 610, "latency append → committed signal (ms) vs accounts", latency);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    /** "floor", "product" for RocksDB + exactly-once (the one the targets are for), else the variant without "product ". */
    static String legendName(String variant) {
        if (variant.equals(LatencyRun.FLOOR)) {
            return "floor";
        }
        return variant.equals(LatencyRun.PRODUCT) ? "product" : variant.replaceFirst("^product ", "");
    }

    private static void panel(Graphics2D g, int x0, String title, Map<String, List<double[]>> series) {
        int w = 440;
        int top = 40;
        int h = 300;
        int bottom = top + h;
        g.setColor(Color.BLACK);
        g.drawString(title, x0, 25);
        g.drawRect(x0, top, w, h);
        if (series.isEmpty()) {
            g.drawString("not measured", x0 + w / 2 - 30, top + h / 2);
            return;
        }
        double minX = Double.MAX_VALUE;
        double maxX = 0;
        double maxY = 0;
        for (List<double[]> pts : series.values()) {
            for (double[] p : pts) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        double lx0 = Math.log10(minX) - 0.2;
        double lx1 = Math.log10(maxX) + 0.2;
        maxY *= 1.1;
        for (int i = 0; i <= 5; i++) { // y grid with labels
            int y = bottom - i * h / 5;
            g.setColor(new Color(0xdddddd));
            g.drawLine(x0, y, x0 + w, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%,.0f", maxY * i / 5), x0 - 55, y + 4);
        }
        for (List<double[]> pts : series.values()) { // x labels at the measured account counts
            for (double[] p : pts) {
                int x = xOf(p[0], x0, w, lx0, lx1);
                g.drawString(String.format(Locale.ROOT, "%,.0f", p[0]), x - 20, bottom + 15);
            }
        }
        int c = 0;
        int legendY = bottom + 32;
        for (Map.Entry<String, List<double[]>> s : series.entrySet()) {
            Color color = COLORS[c % COLORS.length];
            g.setColor(color);
            g.setStroke(new BasicStroke(2));
            int px = -1;
            int py = -1;
            for (double[] p : s.getValue()) {
                int x = xOf(p[0], x0, w, lx0, lx1);
                int y = bottom - (int) (p[1] / maxY * h);
                g.fillOval(x - 3, y - 3, 7, 7);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            int lx = x0;
            int ly = legendY + c * 15;
            g.fillRect(lx, ly - 8, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(s.getKey(), lx + 14, ly + 1);
            c++;
        }
    }

    private static int xOf(double v, int x0, int w, double lx0, double lx1) {
        return x0 + (int) ((Math.log10(v) - lx0) / (lx1 - lx0) * w);
    }
}
