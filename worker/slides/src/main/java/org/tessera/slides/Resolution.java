package org.tessera.slides;

import java.util.Locale;
import java.util.OptionalDouble;

/** Pixel size from the ways files state it. Pure functions. */
final class Resolution {

    private Resolution() {}

    /**
     * mpp from a TIFF XResolution and ResolutionUnit: {@code 2}/{@code inch}, {@code 3}/{@code centimeter}; unit 1
     * ({@code none}) has no absolute size. An absent unit means inch, as TIFF 6.0 defines.
     */
    static OptionalDouble fromTiff(double pixelsPerUnit, String unit) {
        if (!(pixelsPerUnit > 0) || Double.isInfinite(pixelsPerUnit)) {
            return OptionalDouble.empty();
        }
        String u = unit == null ? "2" : unit.trim().toLowerCase(Locale.ROOT);
        return switch (u) {
            case "3", "centimeter", "centimetre", "cm" -> plausible(10_000 / pixelsPerUnit);
            case "2", "inch", "" -> plausible(25_400 / pixelsPerUnit);
            default -> OptionalDouble.empty();
        };
    }

    /** A number as text (vendor properties), when it is a plausible pixel size. */
    static OptionalDouble parse(String value) {
        if (value == null || value.isBlank()) {
            return OptionalDouble.empty();
        }
        try {
            return plausible(Double.parseDouble(value.trim()));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    // Scanners write 72 dpi or 1 px/cm placeholders; a pixel size outside this range is not a microscope's.
    static OptionalDouble plausible(double mpp) {
        return mpp >= 0.01 && mpp <= 100 ? OptionalDouble.of(mpp) : OptionalDouble.empty();
    }
}
