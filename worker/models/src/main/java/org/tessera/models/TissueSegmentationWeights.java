package org.tessera.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fitted classifier of {@link TissueSegmentationModel}, shipped as the resource {@value #RESOURCE} that
 * {@code TissueSegmentationTrainer} (test sources) writes: a text file of named rows, the feature names it was fitted
 * on, then the layers' weights as Java float literals ({@link Float#toString(float)}, which reads back exactly).
 */
final class TissueSegmentationWeights {

    static final String RESOURCE = "tissue_segmentation_mlp.txt";

    private TissueSegmentationWeights() {}

    /** The shipped weights; refuses a file fitted on other features than {@link TissueSegmentationModel#FEATURES}. */
    static Mlp.Weights weights() {
        try (InputStream in = TissueSegmentationWeights.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the models jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), TissueSegmentationModel.FEATURES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The file's text for fitted weights: what the trainer writes and {@link #parse} reads. */
    static String format(Mlp.Weights w, List<String> features, List<String> comments) {
        StringBuilder s = new StringBuilder();
        for (String comment : comments) {
            s.append("# ").append(comment).append('\n');
        }
        s.append("features ").append(String.join(" ", features)).append('\n');
        row(s, "w1", w.w1());
        row(s, "b1", w.b1());
        row(s, "w2", w.w2());
        row(s, "b2", w.b2());
        return s.toString();
    }

    private static void row(StringBuilder s, String name, float[] values) {
        s.append(name);
        for (float v : values) {
            s.append(' ').append(Float.toString(v));
        }
        s.append('\n');
    }

    static Mlp.Weights parse(String text, List<String> expectedFeatures) {
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split("\\s+");
            rows.put(parts[0], java.util.Arrays.copyOfRange(parts, 1, parts.length));
        }
        for (String name : List.of("features", "w1", "b1", "w2", "b2")) {
            if (!rows.containsKey(name)) {
                throw new IllegalArgumentException(RESOURCE + ": no row '" + name + "'");
            }
        }
        List<String> features = List.of(rows.get("features"));
        if (!features.equals(expectedFeatures)) {
            throw new IllegalArgumentException(RESOURCE + " was fitted on features " + features
                    + ", the model computes " + expectedFeatures + ": refit with TissueSegmentationTrainer");
        }
        Mlp.Weights w = new Mlp.Weights(floats(rows, "w1"), floats(rows, "b1"), floats(rows, "w2"), floats(rows, "b2"));
        if (w.features() != features.size()) {
            throw new IllegalArgumentException(
                    RESOURCE + ": w1 has " + w.features() + " columns for " + features.size() + " features");
        }
        return w;
    }

    private static float[] floats(Map<String, String[]> rows, String name) {
        String[] values = rows.get(name);
        List<Float> out = new ArrayList<>();
        for (String v : values) {
            try {
                out.add(Float.parseFloat(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(RESOURCE + ": row '" + name + "' holds '" + v + "', not a number");
            }
        }
        float[] array = new float[out.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = out.get(i);
        }
        return array;
    }
}
