package org.tessera.orchestrator.application.domain;

/**
 * How many failed items (user or system errors) a run of an application version may have before the platform cancels
 * it: a run is cancelled once its failed items exceed {@code max(minFailedItems, ceil(maxFailedPercent × items /
 * 100))}.
 *
 * @param minFailedItems failures every run may have, however small
 * @param maxFailedPercent share of the run's items that may fail, in percent (0..100); 100 never cancels
 */
public record ErrorThreshold(int minFailedItems, int maxFailedPercent) {

    /** The platform's default: 10 items, or 25 % of the run if that is more. */
    public static final ErrorThreshold DEFAULT = new ErrorThreshold(10, 25);

    public ErrorThreshold {
        if (minFailedItems < 0) {
            throw new IllegalArgumentException("min_failed_items must be >= 0, was " + minFailedItems);
        }
        if (maxFailedPercent < 0 || maxFailedPercent > 100) {
            throw new IllegalArgumentException("max_failed_percent must be 0..100, was " + maxFailedPercent);
        }
    }

    /** The most failed items a run of {@code items} items may have; one more cancels it. */
    public int limitFor(int items) {
        if (items < 0) {
            throw new IllegalArgumentException("negative item count " + items);
        }
        // ceil(p × n / 100) in integers: exact, no floating point.
        int share = (maxFailedPercent * items + 99) / 100;
        return Math.max(minFailedItems, share);
    }

    /** This threshold with the parts an override sets replaced; a null part keeps this threshold's value. */
    public ErrorThreshold overriddenBy(Integer minFailedItemsOverride, Integer maxFailedPercentOverride) {
        return new ErrorThreshold(
                minFailedItemsOverride == null ? minFailedItems : minFailedItemsOverride,
                maxFailedPercentOverride == null ? maxFailedPercent : maxFailedPercentOverride);
    }
}
