package org.tessera.orchestrator.tenancy.api;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request to the API without a valid bearer token gets the API's error body with a stable code, like every other
 * refusal, and the OAuth 2.0 challenge header. Why a token was refused (bad signature, issuer, audience, expiry) is
 * not told: that would help forgers more than clients, who can only fetch a new token.
 */
public class AuthenticationErrors {

    @ServerExceptionMapper
    public Response invalidToken(AuthenticationFailedException e) {
        return unauthorized(
                "AUTH.TOKEN_INVALID",
                "the bearer token is not valid here (signature, issuer, audience or lifetime); sign in again",
                "Bearer error=\"invalid_token\"");
    }

    @ServerExceptionMapper
    public Response noToken(UnauthorizedException e) {
        return unauthorized(
                "AUTH.TOKEN_REQUIRED",
                "this endpoint requires a bearer token (Authorization: Bearer <token>)",
                "Bearer");
    }

    private static Response unauthorized(String code, String detail, String challenge) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", detail);
        body.put("code", code);
        return Response.status(401)
                .type(MediaType.APPLICATION_JSON)
                .header("WWW-Authenticate", challenge)
                .entity(body)
                .build();
    }
}
