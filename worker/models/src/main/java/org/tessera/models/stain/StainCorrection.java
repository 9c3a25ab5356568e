package org.tessera.models.stain;

import java.util.Objects;
import java.util.Optional;

/**
 * What stain normalization does for one slide: maps it onto the reference ({@link #normalizer()} present), or is
 * skipped because the slide's stains could not be estimated ({@link #warning()} present, saying why).
 */
public final class StainCorrection {

    /** How every warning begins, so clients can find it in outputs. */
    public static final String WARNING_PREFIX = "stain normalization skipped: ";

    private final StainNormalizer normalizer;
    private final String reason;

    private StainCorrection(StainNormalizer normalizer, String reason) {
        this.normalizer = normalizer;
        this.reason = reason;
    }

    public static StainCorrection applied(StainNormalizer normalizer) {
        return new StainCorrection(Objects.requireNonNull(normalizer, "normalizer"), null);
    }

    public static StainCorrection skipped(String reason) {
        return new StainCorrection(null, Objects.requireNonNull(reason, "reason"));
    }

    /** Estimates the slide's stains from the pixels fed to {@code estimator} and maps them onto the reference. */
    public static StainCorrection of(MacenkoStainEstimator estimator) {
        try {
            return applied(new StainNormalizer(estimator.estimate(StainReference.HE), StainReference.HE));
        } catch (StainEstimationException e) {
            return skipped(e.getMessage());
        }
    }

    public Optional<StainNormalizer> normalizer() {
        return Optional.ofNullable(normalizer);
    }

    /**
     * The sentence for the slide's outputs when normalization was skipped, e.g. {@code stain normalization skipped:
     * too little stained tissue to estimate the stains (120 of 16384 pixels at low resolution, 500 needed); the models
     * ran on the slide's own colours}.
     */
    public Optional<String> warning() {
        return reason == null
                ? Optional.empty()
                : Optional.of(WARNING_PREFIX + reason + "; the models ran on the slide's own colours");
    }

    /** {@code applied} or {@code skipped}, as in the outputs' {@code stain_normalization} fields. */
    public String status() {
        return normalizer == null ? "skipped" : "applied";
    }

    /** Normalizes images in place when there is a normalizer; leaves them alone otherwise. */
    public void apply(float[] rgb, int plane) {
        if (normalizer != null) {
            normalizer.apply(rgb, plane);
        }
    }
}
