package org.tessera.slides;

/**
 * One resolution level of a slide.
 *
 * @param width level width in pixels
 * @param height level height in pixels
 * @param downsample level-0 pixels per pixel of this level (horizontal)
 */
public record SlideLevel(int width, int height, double downsample) {}
