package org.tessera.models.classes;

/** A class a pixel of a class map can have: its value in the map (the model's output channel) and how it is shown. */
public interface MapClass {

    /** The value of background pixels in every class map: glass, not tissue. */
    int BACKGROUND = 0;

    /** The pixel value in the map, which is also the model's output channel. */
    int value();

    /** The name QuPath and the outputs show, e.g. {@code Pen mark}. */
    String displayName();

    /** Display colour as 0xRRGGBB. */
    int rgb();

    default boolean isBackground() {
        return value() == BACKGROUND;
    }

    default int red() {
        return (rgb() >> 16) & 0xFF;
    }

    default int green() {
        return (rgb() >> 8) & 0xFF;
    }

    default int blue() {
        return rgb() & 0xFF;
    }
}
