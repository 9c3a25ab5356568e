package org.tessera.slides;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What the request says about a slide (the input artifact's {@code width_px}, {@code height_px} and {@code
 * resolution_mpp}); each may be absent.
 */
public record DeclaredMetadata(OptionalLong widthPx, OptionalLong heightPx, OptionalDouble resolutionMpp) {

    public static DeclaredMetadata none() {
        return new DeclaredMetadata(OptionalLong.empty(), OptionalLong.empty(), OptionalDouble.empty());
    }
}
