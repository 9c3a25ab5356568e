package org.tessera.orchestrator.quota.domain;

/**
 * The quotas a submission can exceed (docs/organizations.md, Quotas and limits): how the API names each one, whose it
 * is, and the stable code of a refusal (HTTP 402) or of a run rejected at admission.
 */
public enum QuotaKind {
    ORGANIZATION_MONTHLY_WSIS("organization_monthly_wsis", "organization", "QUOTA.ORGANIZATION_MONTHLY_WSIS"),
    USER_MONTHLY_WSIS("user_monthly_wsis", "user", "QUOTA.USER_MONTHLY_WSIS"),
    WSIS_PER_RUN("wsis_per_run", "organization", "QUOTA.WSIS_PER_RUN");

    private final String apiName;
    private final String scope;
    private final String code;

    QuotaKind(String apiName, String scope, String code) {
        this.apiName = apiName;
        this.scope = scope;
        this.code = code;
    }

    /** The {@code quota.name} of a refusal, e.g. {@code organization_monthly_wsis}. */
    public String apiName() {
        return apiName;
    }

    /** {@code organization} or {@code user}: what {@code quota.subject} names. */
    public String scope() {
        return scope;
    }

    /** The refusal's {@code code}, and the {@code error_code} of a run rejected for this quota. */
    public String code() {
        return code;
    }
}
