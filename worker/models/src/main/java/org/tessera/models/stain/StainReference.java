package org.tessera.models.stain;

/**
 * The stains the built-in models were fitted on: {@link MacenkoStainEstimator}'s estimate on the primary synthetic
 * renderer's slides (mean over the fitting slides, printed by {@code StainReferenceMain} in the test sources). Every
 * slide is mapped onto these before the models see it.
 */
public final class StainReference {

    private StainReference() {}

    public static final StainVectors HE = new StainVectors(
            new double[] {0.568, 0.711, 0.415}, new double[] {0.126, 0.840, 0.527}, 0.681, 0.481, new double[] {
                0.031, 0.031, 0.027
            });
}
