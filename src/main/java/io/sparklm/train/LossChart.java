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

/** Renders train and validation loss against training tokens as a PNG (JFreeChart, headless). */
final class LossChart {
    static final int WIDTH = 900;
    static final int HEIGHT = 540;

    private LossChart() {
    }

    static void write(List<JsonNode> rows, OutputStream out) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeries train = new XYSeries("train loss");
        XYSeries val = new XYSeries("validation loss");
        for (JsonNode row : rows) {
            double tokens = row.path("tokens").asDouble();
            train.add(tokens, row.path("train_loss").asDouble());
            if (row.has("val_loss")) {
                val.add(tokens, row.path("val_loss").asDouble());
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(train);
        data.addSeries(val);
        JFreeChart chart = ChartFactory.createXYLineChart("sparklm training loss", "training tokens",
                "cross-entropy (nats/token)", data, PlotOrientation.VERTICAL, true, false, false);
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
