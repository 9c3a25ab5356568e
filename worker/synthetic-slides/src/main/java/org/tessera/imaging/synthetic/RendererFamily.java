package org.tessera.imaging.synthetic;

/**
 * Which of the two independent renderers draws a slide: models are fitted on one family and measured on the other.
 */
public enum RendererFamily {
    /** {@link HeRenderer}: the generator the built-in models were fitted on (the default). */
    PRIMARY("tessera-synthetic-he/2"),
    /** {@link SecondLabRenderer}: other stain vectors, textures, nucleus shapes and sizes, blur. */
    SECOND_LAB(SecondLabRenderer.NAME);

    private final String generator;

    RendererFamily(String generator) {
        this.generator = generator;
    }

    /** The renderer's name, as written into slide descriptions. */
    public String generator() {
        return generator;
    }

    SlideRenderer renderer(GroundTruth truth) {
        return switch (this) {
            case PRIMARY -> new HeRenderer(truth);
            case SECOND_LAB -> new SecondLabRenderer(truth);
        };
    }
}
