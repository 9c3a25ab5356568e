package org.tessera.worker.analysis;

import java.util.Objects;

/**
 * One class of a class map.
 *
 * @param value the pixel value in the map
 * @param name class name as QuPath shows it
 * @param rgb display colour as 0xRRGGBB
 */
public record TissueClass(int value, String name, int rgb) {

    public TissueClass {
        Objects.requireNonNull(name, "name");
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("class value must fit a byte: " + value);
        }
    }

    public int red() {
        return (rgb >> 16) & 0xFF;
    }

    public int green() {
        return (rgb >> 8) & 0xFF;
    }

    public int blue() {
        return rgb & 0xFF;
    }
}
