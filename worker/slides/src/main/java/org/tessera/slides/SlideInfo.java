package org.tessera.slides;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What a reader found out about a slide.
 *
 * @param format e.g. {@code aperio}, {@code generic-tiff}
 * @param levels level 0 (full resolution) first, then decreasing
 * @param mpp level-0 micrometres per pixel, when the file says
 * @param properties vendor properties as text (e.g. the Aperio ImageDescription fields)
 */
public record SlideInfo(String format, List<SlideLevel> levels, OptionalDouble mpp, Map<String, String> properties) {

    public SlideInfo {
        levels = List.copyOf(levels);
        properties = Map.copyOf(properties);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("a slide has at least one level");
        }
    }

    public int width() {
        return levels.getFirst().width();
    }

    public int height() {
        return levels.getFirst().height();
    }
}
