package org.tessera.slides;

import java.util.Locale;
import java.util.OptionalDouble;
import org.tessera.slides.SlideFormatException.Code;

/**
 * Reconciles what the request declares about a slide with what the file says, and decides the pixel size to analyse
 * with. Pure: no I/O.
 *
 * <ul>
 *   <li>Width and height must match level 0 exactly: both are integers read from the same file, so any difference
 *       means the metadata belongs to another slide.
 *   <li>The declared mpp may differ from the file's by at most {@link #MPP_TOLERANCE} (relative): vendors round the
 *       pixel size differently (0.2527 vs 0.25 µm), a 5 % difference is far below the 2x between objectives.
 *   <li>The file's own mpp wins; the declared one is used only when the file states none; neither is NO_RESOLUTION.
 * </ul>
 */
public final class MetadataCheck {

    /** Relative difference between declared and file mpp that still counts as the same. */
    public static final double MPP_TOLERANCE = 0.05;

    private MetadataCheck() {}

    /**
     * @return the level-0 pixel size in micrometres to analyse with
     * @throws SlideFormatException METADATA_MISMATCH naming the field, the declared and the actual value; NO_RESOLUTION
     *     when neither the file nor the request gives a pixel size
     */
    public static double resolveMpp(SlideInfo info, DeclaredMetadata declared, String displayName)
            throws SlideFormatException {
        if (declared.widthPx().isPresent() && declared.widthPx().getAsLong() != info.width()) {
            throw mismatch(displayName, "width_px", declared.widthPx().getAsLong(), info.width());
        }
        if (declared.heightPx().isPresent() && declared.heightPx().getAsLong() != info.height()) {
            throw mismatch(displayName, "height_px", declared.heightPx().getAsLong(), info.height());
        }
        OptionalDouble fromFile = info.mpp();
        OptionalDouble fromRequest = declared.resolutionMpp();
        if (fromRequest.isPresent() && !(fromRequest.getAsDouble() > 0)) {
            throw new SlideFormatException(
                    Code.METADATA_MISMATCH,
                    displayName + ": metadata.resolution_mpp must be positive, was " + fromRequest.getAsDouble());
        }
        if (fromFile.isPresent()) {
            double actual = fromFile.getAsDouble();
            if (fromRequest.isPresent()) {
                double stated = fromRequest.getAsDouble();
                if (Math.abs(stated - actual) > MPP_TOLERANCE * actual) {
                    throw new SlideFormatException(
                            Code.METADATA_MISMATCH,
                            String.format(
                                    Locale.ROOT,
                                    "%s: metadata.resolution_mpp is %s but the file states %s µm per pixel (more than"
                                            + " %d%% apart)",
                                    displayName,
                                    stated,
                                    actual,
                                    Math.round(MPP_TOLERANCE * 100)));
                }
            }
            return actual;
        }
        if (fromRequest.isPresent()) {
            return fromRequest.getAsDouble();
        }
        throw new SlideFormatException(
                Code.NO_RESOLUTION,
                displayName + " states no pixel size (no vendor mpp, TIFF resolution or DICOM pixel spacing) and"
                        + " metadata.resolution_mpp is missing");
    }

    private static SlideFormatException mismatch(String displayName, String field, long declared, long actual) {
        return new SlideFormatException(
                Code.METADATA_MISMATCH,
                displayName + ": metadata." + field + " is " + declared + " but the file's full-resolution level is "
                        + actual);
    }
}
