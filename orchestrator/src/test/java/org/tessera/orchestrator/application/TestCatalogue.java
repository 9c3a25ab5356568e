package org.tessera.orchestrator.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The catalogue the tests run against: the real one plus {@link #PAID_APP}, a copy of test-app's versions that is not
 * free, so that tests can give an organization some versions of an application and not others (he-tme has only
 * one). Organizations it is not assigned to never see it, so other tests are unaffected.
 */
@ApplicationScoped
public class TestCatalogue {

    public static final String PAID_APP = "paid-test-app";

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    ApplicationCatalogue catalogue(ObjectMapper mapper) {
        try (InputStream in = ApplicationCatalogue.class.getResourceAsStream(ApplicationCatalogue.RESOURCE)) {
            JsonNode root = mapper.readTree(in);
            ArrayNode applications = (ArrayNode) root.get("applications");
            ObjectNode paid = null;
            for (JsonNode application : applications) {
                if (application.path("application_id").asText().equals("test-app")) {
                    paid = application.deepCopy();
                }
            }
            if (paid == null) {
                throw new IllegalStateException("the catalogue has no test-app to copy");
            }
            paid.put("application_id", PAID_APP);
            paid.put("name", "Paid Test Application");
            paid.put("free", false);
            applications.add(paid);
            return ApplicationCatalogue.fromJson(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
