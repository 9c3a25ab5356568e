package org.tessera.orchestrator.tenancy.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.tessera.orchestrator.tenancy.Directory;

/**
 * Checks every API request that carries a token against the platform's records before any resource runs (a
 * registered, active user; the token's org_id; a second factor where required), so that no endpoint, present or
 * future, can forget to. Resources read the resolved caller from {@link Directory} without a second lookup.
 */
public class RegisteredCallerFilter {

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @ServerRequestFilter
    public void requireRegisteredCaller(ContainerRequestContext request) {
        if (request.getUriInfo().getPath().startsWith("/api/") && token.getRawToken() != null) {
            directory.caller(token);
        }
    }
}
