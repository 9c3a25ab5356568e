package org.tessera.orchestrator.billing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.tessera.orchestrator.application.ApplicationCatalogue;
import org.tessera.orchestrator.billing.domain.Micros;
import org.tessera.orchestrator.billing.persistence.PriceRepository;
import org.tessera.orchestrator.billing.persistence.PriceRow;

/**
 * The price per WSI of an application version: the one a super-admin set, else the catalogue's
 * {@code price_per_wsi}, else nothing (a version without a price is free).
 */
@ApplicationScoped
public class Prices {

    /** Where a price comes from. */
    public enum Source {
        SET,
        CATALOGUE,
        NONE
    }

    /** A version's price per WSI, in millionths of the platform's currency. */
    public record Price(String applicationId, String versionNumber, long perWsiMicros, Source source) {}

    @Inject
    PriceRepository prices;

    @Inject
    ApplicationCatalogue catalogue;

    public Price of(Connection c, String applicationId, String versionNumber) throws SQLException {
        Optional<PriceRow> set = prices.find(c, applicationId, versionNumber);
        if (set.isPresent()) {
            return new Price(applicationId, versionNumber, set.get().pricePerWsiMicros(), Source.SET);
        }
        return catalogue
                .listPricePerWsi(applicationId, versionNumber)
                .map(listed -> new Price(applicationId, versionNumber, Micros.of(listed), Source.CATALOGUE))
                .orElseGet(() -> new Price(applicationId, versionNumber, 0, Source.NONE));
    }

    /** Sets a version's price; items that succeed from now on are charged at it. */
    public Price set(Connection c, String applicationId, String versionNumber, long perWsiMicros, String by, Instant at)
            throws SQLException {
        prices.put(c, new PriceRow(applicationId, versionNumber, perWsiMicros, at, by));
        return new Price(applicationId, versionNumber, perWsiMicros, Source.SET);
    }
}
