package org.tessera.models.classes;

import java.util.Objects;

/** A class as viewers show it: its name and its colour. */
public interface DisplayedClass {

    /**
     * @param name the name QuPath and the outputs show, e.g. {@code Pen mark}
     * @param rgb colour as 0xRRGGBB
     */
    record Display(String name, int rgb) {
        public Display {
            Objects.requireNonNull(name, "name");
        }
    }

    Display display();

    default String displayName() {
        return display().name();
    }

    default int rgb() {
        return display().rgb();
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
