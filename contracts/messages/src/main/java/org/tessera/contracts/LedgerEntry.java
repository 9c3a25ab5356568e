package org.tessera.contracts;

import java.util.Objects;
import java.util.UUID;

/**
 * What one succeeded item costs: the platform charges per processed whole-slide image. The envelope carries the run
 * and item; its {@code event_id} is the entry id and its {@code occurred_at} the moment the item succeeded. An entry
 * is written once and never changed, so a consumer that replays the topic and keeps one entry per id has the ledger.
 *
 * @param entryId derived from the item id ({@link DerivedIds#ledgerEntry}), equal to the envelope's event id
 * @param userId the user who submitted the run
 * @param wsis how many whole-slide images the entry charges (one per item)
 * @param pricePerWsiMicros the version's price per WSI when the item succeeded, in millionths of {@code currency}
 * @param amountMicros {@code wsis × pricePerWsiMicros}, in millionths of {@code currency}; 0 for free applications
 * @param currency ISO 4217 code, e.g. {@code EUR}
 */
public record LedgerEntry(
        UUID entryId,
        String organizationId,
        String userId,
        String applicationId,
        String applicationVersion,
        int wsis,
        long pricePerWsiMicros,
        long amountMicros,
        String currency)
        implements Payload {

    public static final String TYPE = "ledger.entry";

    public LedgerEntry {
        Objects.requireNonNull(entryId, "entryId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(currency, "currency");
        if (wsis < 0 || pricePerWsiMicros < 0 || amountMicros < 0) {
            throw new IllegalArgumentException("ledger amounts are never negative: wsis=" + wsis + " price="
                    + pricePerWsiMicros + " amount=" + amountMicros);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }
}
