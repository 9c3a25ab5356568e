package org.tessera.contracts;

import java.util.List;

/**
 * Work for one item: download the input(s), run the application, upload the outputs, report on
 * {@link Topics#ITEM_EVENTS}. The run and item ids are in the envelope.
 *
 * @param attempt 1 for the first try; a redelivered or retried job carries a higher number
 * @param outputPrefix object-store key prefix under which the worker writes this item's outputs; the same for every
 *     attempt, so a repeated attempt overwrites instead of duplicating
 */
public record SlideJob(
        String externalId,
        String applicationId,
        String applicationVersion,
        String organizationId,
        int attempt,
        List<InputArtifact> inputArtifacts,
        String outputPrefix)
        implements Payload {

    public static final String TYPE = "slide.job";

    @Override
    public String type() {
        return TYPE;
    }
}
