package org.tessera.orchestrator.health;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@code GET /health}, outside {@code /api}, with or without a token: what clients check before they submit. It
 * answers 200 either way; {@code DEGRADED} with a reason when the database cannot be reached, since nothing can be
 * submitted or read then.
 */
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    private static final int DATABASE_CHECK_SECONDS = 2;

    @Inject
    DataSource dataSource;

    @GET
    public Map<String, Object> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(DATABASE_CHECK_SECONDS)) {
                body.put("status", "UP");
                return body;
            }
            body.put("status", "DEGRADED");
            body.put("reason", "database does not answer");
        } catch (SQLException e) {
            body.put("status", "DEGRADED");
            body.put("reason", "database unreachable");
        }
        return body;
    }
}
