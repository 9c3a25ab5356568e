package org.tessera.openslide;

/** OpenSlide could not open or read a slide; the message is the library's own reason where it gave one. */
public class OpenSlideException extends Exception {

    public OpenSlideException(String message) {
        super(message);
    }
}
