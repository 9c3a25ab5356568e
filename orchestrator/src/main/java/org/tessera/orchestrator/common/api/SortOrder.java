package org.tessera.orchestrator.common.api;

/** One {@code sort} parameter: a field name from the endpoint's allowed list and a direction. */
public record SortOrder(String field, boolean descending) {}
