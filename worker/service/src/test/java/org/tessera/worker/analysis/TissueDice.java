package org.tessera.worker.analysis;

import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.models.classes.TissueClass;

/** How well a segmentation map finds a generated slide's tissue: the Dice of tissue (any class but background). */
final class TissueDice {

    private TissueDice() {}

    /** @param segmentation a map at 4 level-0 pixels per map pixel, as the analysis makes at 2 µm/px from 0.5 */
    static double of(SyntheticSlide slide, ClassMap segmentation) {
        byte[] truth = slide.groundTruth().tissueClassMap(4);
        long both = 0;
        long inTruth = 0;
        long found = 0;
        for (int i = 0; i < truth.length; i++) {
            boolean t = truth[i] != TissueClass.BACKGROUND.value();
            boolean p = segmentation.values()[i] != TissueClass.BACKGROUND.value();
            both += t && p ? 1 : 0;
            inTruth += t ? 1 : 0;
            found += p ? 1 : 0;
        }
        return 2.0 * both / (inTruth + found);
    }
}
