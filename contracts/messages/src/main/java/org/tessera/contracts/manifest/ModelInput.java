package org.tessera.contracts.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How tiles are fed to a model: float32 tensors {@code [N, 3, tile_size, tile_size]} (NCHW) read at {@code mpp} µm per
 * pixel, neighbouring tiles sharing {@code overlap} pixels, channels in {@code channel_order}, each value
 * {@code (v * scale - mean[c]) / std[c]} for the 0..255 pixel value {@code v}.
 *
 * @param name the model's input name
 * @param channelOrder {@code RGB} or {@code BGR}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelInput(
        String name, int tileSize, double mpp, int overlap, String channelOrder, Normalization normalization) {

    public static final String RGB = "RGB";
    public static final String BGR = "BGR";

    /**
     * @param scale multiplies the 0..255 value first (e.g. {@code 1/255})
     * @param mean per channel, in the model's channel order, subtracted after scaling
     * @param std per channel, divides last
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Normalization(double scale, List<Double> mean, List<Double> std) {
        public Normalization {
            mean = mean == null ? List.of(0.0, 0.0, 0.0) : List.copyOf(mean);
            std = std == null ? List.of(1.0, 1.0, 1.0) : List.copyOf(std);
        }

        public static Normalization identity() {
            return new Normalization(1, List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0));
        }
    }

    public Normalization normalizationOrIdentity() {
        return normalization == null ? Normalization.identity() : normalization;
    }
}
