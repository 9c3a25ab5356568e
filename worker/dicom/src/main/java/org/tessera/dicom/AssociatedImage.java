package org.tessera.dicom;

/**
 * An image of the series that is not a pyramid level: a slide label, an overview (macro) or a thumbnail.
 *
 * @param type the third value of Image Type: LABEL, OVERVIEW or THUMBNAIL
 * @param width its width in pixels (0 when the file does not say)
 * @param height its height in pixels
 * @param source the file (or zip entry) holding it
 */
public record AssociatedImage(String type, long width, long height, String source) {}
