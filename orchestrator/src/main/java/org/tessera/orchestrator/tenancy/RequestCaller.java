package org.tessera.orchestrator.tenancy;

import jakarta.enterprise.context.RequestScoped;

/** The caller of the current request once {@link Directory} has resolved it, so that it is read only once. */
@RequestScoped
public class RequestCaller {

    private String rawToken;
    private Caller caller;

    /** The caller already resolved from this token in this request, or null. */
    Caller resolved(String token) {
        return token != null && token.equals(rawToken) ? caller : null;
    }

    void remember(String token, Caller resolved) {
        this.rawToken = token;
        this.caller = resolved;
    }
}
