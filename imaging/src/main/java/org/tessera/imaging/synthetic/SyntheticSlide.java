package org.tessera.imaging.synthetic;

import java.nio.file.Path;
import java.util.List;

/**
 * A generated slide file and what is known to be on it.
 *
 * @param path the file
 * @param width level-0 width in pixels
 * @param height level-0 height in pixels
 * @param mpp level-0 pixel size in micrometres
 * @param sizeBytes file size
 * @param checksumBase64Crc32c the API's {@code checksum_base64_crc32c} of the whole file
 * @param tissueRegions ground truth: where tissue is, level-0 pixels (empty for a corrupt file)
 */
public record SyntheticSlide(
        Path path,
        int width,
        int height,
        double mpp,
        long sizeBytes,
        String checksumBase64Crc32c,
        List<TissueRegion> tissueRegions) {

    public SyntheticSlide {
        tissueRegions = List.copyOf(tissueRegions);
    }

    /** Whether level-0 pixel (x, y) is tissue according to the ground truth. */
    public boolean isTissue(int x, int y) {
        for (TissueRegion region : tissueRegions) {
            if (region.containsPixel(x, y)) {
                return true;
            }
        }
        return false;
    }
}
