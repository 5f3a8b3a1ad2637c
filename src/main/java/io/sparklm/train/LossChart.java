package io.sparklm.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Renders metrics rows as line charts in PNG (JFreeChart, headless): train and validation loss against training tokens, or any series. */
public final class LossChart {
    static final int WIDTH = 900;
    static final int HEIGHT = 540;

    private LossChart() {
    }

    static void write(List<JsonNode> rows, OutputStream out) throws IOException {
        write(rows, "tokens", List.of("train_loss", "val_loss"), List.of("train loss", "validation loss"), "sparklm training loss",
                "training tokens", "cross-entropy (nats/token)", out);
    }

    /** One line per key of {@code series} (named by {@code names}) against {@code x}, over the rows that hold it. */
    public static void write(List<JsonNode> rows, String x, List<String> series, List<String> names, String title, String xLabel,
                             String yLabel, OutputStream out) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        for (int i = 0; i < series.size(); i++) {
            XYSeries line = new XYSeries(names.get(i));
            for (JsonNode row : rows) {
                if (row.has(series.get(i))) {
                    line.add(row.path(x).asDouble(), row.path(series.get(i)).asDouble());
                }
            }
            data.addSeries(line);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, new Color(31, 119, 180));
        renderer.setSeriesPaint(1, new Color(214, 39, 40));
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        chart.getXYPlot().setRenderer(renderer);
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        chart.getXYPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        chart.getXYPlot().setDomainGridlinePaint(Color.LIGHT_GRAY);
        ((org.jfree.chart.axis.NumberAxis) chart.getXYPlot().getRangeAxis()).setAutoRangeIncludesZero(false);
        ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
    }
}
