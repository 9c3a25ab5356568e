package org.tessera.orchestrator.billing.persistence;

import static org.tessera.orchestrator.common.persistence.Jdbc.instant;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.common.persistence.Table;

/** SQL for {@code application_version_price}. Every method works in the caller's connection (transaction). */
@ApplicationScoped
public class PriceRepository {

    private static final String COLUMNS =
            "application_id, version_number, price_per_wsi_micros, updated_at, updated_by";

    private static final Table<PriceRow> PRICE =
            new Table<>("application_version_price", COLUMNS, PriceRepository::read);

    public Optional<PriceRow> find(Connection c, String applicationId, String versionNumber) throws SQLException {
        return PRICE.first(c, "application_id = ? AND version_number = ?", applicationId, versionNumber);
    }

    /** Sets the version's price, replacing the one it had. */
    public void put(Connection c, PriceRow price) throws SQLException {
        Jdbc.update(
                c,
                "INSERT INTO application_version_price (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (application_id, version_number) DO UPDATE SET"
                        + " price_per_wsi_micros = EXCLUDED.price_per_wsi_micros, updated_at = EXCLUDED.updated_at,"
                        + " updated_by = EXCLUDED.updated_by",
                price.applicationId(),
                price.versionNumber(),
                price.pricePerWsiMicros(),
                price.updatedAt(),
                price.updatedBy());
    }

    private static PriceRow read(ResultSet rs) throws SQLException {
        return new PriceRow(
                rs.getString("application_id"),
                rs.getString("version_number"),
                rs.getLong("price_per_wsi_micros"),
                instant(rs, "updated_at"),
                rs.getString("updated_by"));
    }
}
