package org.tessera.models.classes;

/**
 * A class a pixel of a class map can have. The classes of a map are an enum in the model's output channel order, so a
 * class's value in the map is its ordinal.
 */
public interface MapClass extends DisplayedClass {

    /** The value of background pixels in every class map: glass, not tissue. */
    int BACKGROUND = 0;

    /** Implemented by the enum. */
    int ordinal();

    /** The pixel value in the map, which is also the model's output channel. */
    default int value() {
        return ordinal();
    }

    default boolean isBackground() {
        return value() == BACKGROUND;
    }
}
