package org.tessera.models;

/** The tasks an application runs; {@link #id()} prefixes the names of the task's output artifacts. */
public enum Task {
    TISSUE_QC("tissue_qc"),
    TISSUE_SEGMENTATION("tissue_segmentation"),
    CELL_CLASSIFICATION("cell_classification"),
    READOUT_GENERATION("readout_generation");

    private final String id;

    Task(String id) {
        this.id = id;
    }

    /** E.g. {@code tissue_qc}, as in {@code tissue_qc:segmentation_map_image}. */
    public String id() {
        return id;
    }
}
