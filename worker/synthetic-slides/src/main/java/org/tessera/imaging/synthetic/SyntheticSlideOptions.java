package org.tessera.imaging.synthetic;

import java.util.Objects;
import org.tessera.imaging.tiff.TiffFormat;

/**
 * How a synthetic slide is written.
 *
 * @param format classic TIFF, BigTIFF, or chosen by size (TIFF containers only)
 * @param aperio write an Aperio-style ImageDescription ({@code Aperio Image Library ...|MPP = ..|AppMag = ..}) so
 *     that readers such as OpenSlide treat the file as an SVS
 * @param jpegQuality 0..1
 * @param tileSize tile width and height
 * @param container the file layout: a TIFF, or a DICOM series as a directory, a zip or a single instance
 * @param sparse DICOM only: TILED_SPARSE, leaving out tiles that are glass only; otherwise TILED_FULL
 * @param artefacts draw pen marks, a blurred patch and a fold (see {@link GroundTruth}); off keeps the slide clean
 * @param family which renderer draws the slide ({@link RendererFamily#SECOND_LAB} draws no artefacts)
 * @param perturbation what the rendered colours go through (stain, brightness, scanner noise)
 */
public record SyntheticSlideOptions(
        TiffFormat format,
        boolean aperio,
        float jpegQuality,
        int tileSize,
        Container container,
        boolean sparse,
        boolean artefacts,
        RendererFamily family,
        Perturbation perturbation) {

    /** Where the pyramid goes. */
    public enum Container {
        /** One tiled pyramidal TIFF (or BigTIFF, or SVS) file: {@code image/tiff}. */
        TIFF("image/tiff"),
        /** A directory of DICOM instances {@code level-0.dcm}, {@code level-1.dcm}, ...: one per pyramid level. */
        DICOM_DIRECTORY("application/dicom"),
        /** The same instances in one zip (entries stored, not deflated): {@code application/zip}. */
        DICOM_ZIP("application/zip"),
        /** A single DICOM instance holding level 0 only (no pyramid): {@code application/dicom}. */
        DICOM_FILE("application/dicom");

        private final String mediaType;

        Container(String mediaType) {
            this.mediaType = mediaType;
        }

        /** The API's media type for an upload of this container (a directory is uploaded per file). */
        public String mediaType() {
            return mediaType;
        }
    }

    public SyntheticSlideOptions {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(perturbation, "perturbation");
        if (artefacts && family == RendererFamily.SECOND_LAB) {
            throw new IllegalArgumentException("the " + family + " renderer draws no artefacts: turn artefacts off");
        }
        if (!(jpegQuality > 0 && jpegQuality <= 1)) {
            throw new IllegalArgumentException("JPEG quality must be in (0, 1]: " + jpegQuality);
        }
        if (tileSize < 16 || tileSize % 16 != 0) {
            throw new IllegalArgumentException("tile size must be a positive multiple of 16: " + tileSize);
        }
    }

    /** Drawn by the primary renderer, colours untouched: the shape before renderer families existed. */
    public SyntheticSlideOptions(
            TiffFormat format,
            boolean aperio,
            float jpegQuality,
            int tileSize,
            Container container,
            boolean sparse,
            boolean artefacts) {
        this(
                format,
                aperio,
                jpegQuality,
                tileSize,
                container,
                sparse,
                artefacts,
                RendererFamily.PRIMARY,
                Perturbation.NONE);
    }

    /** A TIFF without artefacts, as before containers and artefacts existed. */
    public SyntheticSlideOptions(TiffFormat format, boolean aperio, float jpegQuality, int tileSize) {
        this(format, aperio, jpegQuality, tileSize, Container.TIFF, false, false);
    }

    /** A generic tiled pyramidal JPEG TIFF with resolution tags, BigTIFF only when it has to be. */
    public static SyntheticSlideOptions tiff() {
        return new SyntheticSlideOptions(TiffFormat.AUTO, false, 0.85f, 256);
    }

    /** Always BigTIFF. */
    public static SyntheticSlideOptions bigTiff() {
        return new SyntheticSlideOptions(TiffFormat.BIG, false, 0.85f, 256);
    }

    /** An Aperio SVS. */
    public static SyntheticSlideOptions svs() {
        return new SyntheticSlideOptions(TiffFormat.AUTO, true, 0.85f, 256);
    }

    /** A DICOM WSI series written into a directory, TILED_FULL. */
    public static SyntheticSlideOptions dicom() {
        return new SyntheticSlideOptions(TiffFormat.AUTO, false, 0.85f, 256, Container.DICOM_DIRECTORY, false, false);
    }

    /** A DICOM WSI series in one zip, TILED_FULL: what a client uploads as {@code application/zip}. */
    public static SyntheticSlideOptions dicomZip() {
        return dicom().withContainer(Container.DICOM_ZIP);
    }

    /** One DICOM WSI instance (level 0 only): what a client uploads as {@code application/dicom}. */
    public static SyntheticSlideOptions dicomFile() {
        return dicom().withContainer(Container.DICOM_FILE);
    }

    public SyntheticSlideOptions withFormat(TiffFormat newFormat) {
        return new SyntheticSlideOptions(
                newFormat, aperio, jpegQuality, tileSize, container, sparse, artefacts, family, perturbation);
    }

    public SyntheticSlideOptions withTileSize(int newTileSize) {
        return new SyntheticSlideOptions(
                format, aperio, jpegQuality, newTileSize, container, sparse, artefacts, family, perturbation);
    }

    public SyntheticSlideOptions withJpegQuality(float quality) {
        return new SyntheticSlideOptions(
                format, aperio, quality, tileSize, container, sparse, artefacts, family, perturbation);
    }

    public SyntheticSlideOptions withContainer(Container newContainer) {
        return new SyntheticSlideOptions(
                format, aperio, jpegQuality, tileSize, newContainer, sparse, artefacts, family, perturbation);
    }

    /** DICOM: TILED_SPARSE (true) or TILED_FULL (false). */
    public SyntheticSlideOptions withSparse(boolean newSparse) {
        return new SyntheticSlideOptions(
                format, aperio, jpegQuality, tileSize, container, newSparse, artefacts, family, perturbation);
    }

    public SyntheticSlideOptions withArtefacts(boolean newArtefacts) {
        return new SyntheticSlideOptions(
                format, aperio, jpegQuality, tileSize, container, sparse, newArtefacts, family, perturbation);
    }

    /**
     * Drawn by the other renderer family, as another laboratory's scanner would write it: JPEG quality 0.70 instead
     * of 0.85, no artefacts.
     */
    public SyntheticSlideOptions withRendererFamily(RendererFamily newFamily) {
        boolean keepArtefacts = artefacts && newFamily == RendererFamily.PRIMARY;
        float quality = newFamily == RendererFamily.SECOND_LAB ? 0.70f : jpegQuality;
        return new SyntheticSlideOptions(
                format, aperio, quality, tileSize, container, sparse, keepArtefacts, newFamily, perturbation);
    }

    public SyntheticSlideOptions withPerturbation(Perturbation newPerturbation) {
        return new SyntheticSlideOptions(
                format, aperio, jpegQuality, tileSize, container, sparse, artefacts, family, newPerturbation);
    }

    public boolean isDicom() {
        return container != Container.TIFF;
    }
}
