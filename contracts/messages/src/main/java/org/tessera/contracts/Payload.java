package org.tessera.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** A message body carried in an {@link Envelope}. */
public sealed interface Payload permits RunRequested, RunStateChanged, SlideJob, ItemEvent, DeadLetter, LedgerEntry {

    /** The envelope {@code type} that identifies this payload, e.g. {@code item.failed}. */
    @JsonIgnore
    String type();
}
