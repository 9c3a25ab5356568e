package org.tessera.contracts.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a model's output means.
 *
 * <ul>
 *   <li>{@value #CLASS_MAP}: one class per pixel. {@code tensor} is either class scores, float32 {@code [N, C, H, W]}
 *       with C the number of classes ({@code encoding} {@value #SCORES}, the highest score wins), or class values,
 *       int64 {@code [N, H, W]} or {@code [N, 1, H, W]} ({@value #LABELS}). The first class is the background.
 *   <li>{@value #DETECTIONS}: objects found by their centre. {@code tensor} is float32 {@code [N, C, H, W]} with C the
 *       number of classes; a pixel above {@code threshold} in channel c is the centre of an object of class c. With
 *       {@code outlines}, each object also gets an outline from a stain tensor.
 * </ul>
 *
 * <p>H and W are the input tile's size: outputs are per input pixel.
 *
 * @param kind {@value #CLASS_MAP} or {@value #DETECTIONS}
 * @param tensor the model output's name
 * @param encoding for class maps: {@value #SCORES} or {@value #LABELS}
 * @param threshold for detections: the value a centre pixel must exceed (0.5 when left out)
 * @param outlines for detections: where outlines come from, or null for points
 * @param classes the classes in channel (or value) order, at least one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelOutput(
        String kind, String tensor, String encoding, Double threshold, Outlines outlines, List<OutputClass> classes) {

    public static final String CLASS_MAP = "class_map";
    public static final String DETECTIONS = "detections";
    public static final String SCORES = "scores";
    public static final String LABELS = "labels";

    public ModelOutput {
        classes = classes == null ? List.of() : List.copyOf(classes);
    }

    public double thresholdOrDefault() {
        return threshold == null ? 0.5 : threshold;
    }

    /**
     * Outlines traced from a stain tensor, float32 {@code [N, 2, H, W]}: haematoxylin then eosin optical density (the
     * rays of the platform's nucleus outliner; an outline whose mean eosin is negative is ink and dropped).
     *
     * @param tensor the model output's name
     */
    public record Outlines(String tensor) {}

    /**
     * A class.
     *
     * @param name as shown in outputs and viewers, unique within the output
     * @param color {@code #RRGGBB}
     */
    public record OutputClass(String name, String color) {
        /** The colour as 0xRRGGBB. */
        public int rgb() {
            return Integer.parseInt(color.substring(1), 16);
        }
    }
}
