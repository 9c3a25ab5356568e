package org.tessera.orchestrator.tenancy.persistence;

/**
 * An organization's override of the application versions' error threshold, as a super-admin set it; a null part keeps
 * the version's value.
 *
 * @param minFailedItems failures every run may have, however small; null: the version's
 * @param maxFailedPercent share of a run's items that may fail, in percent; null: the version's
 */
public record ErrorThresholdOverride(Integer minFailedItems, Integer maxFailedPercent) {

    public static final ErrorThresholdOverride NONE = new ErrorThresholdOverride(null, null);
}
