package org.tessera.contracts;

/** What a worker reports about one item; every item event names the attempt it belongs to. */
public sealed interface ItemEvent extends Payload permits ItemStarted, ItemProgress, ItemSucceeded, ItemFailed {

    /** 1 for the first delivery of a job, incremented on every retry or redelivery. */
    int attempt();
}
