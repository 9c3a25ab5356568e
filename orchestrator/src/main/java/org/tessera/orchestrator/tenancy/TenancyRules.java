package org.tessera.orchestrator.tenancy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.tenancy.domain.EmailAddresses;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRow;

/** The registration rules on domains and emails, with errors that name the field at fault. */
public final class TenancyRules {

    private TenancyRules() {}

    /** Well-formed, lower-cased, not personal mail, at least one. */
    public static List<String> domains(String field, List<String> domains) {
        if (domains == null || domains.isEmpty()) {
            throw invalid("TENANCY.DOMAIN_REQUIRED", field + ": an organization registers at least one email domain");
        }
        List<String> normalized = new ArrayList<>();
        for (String domain : domains) {
            String d = domain == null ? "" : domain.trim().toLowerCase(Locale.ROOT);
            if (!EmailAddresses.isWellFormedDomain(d)) {
                throw invalid("TENANCY.DOMAIN_INVALID", field + ": '" + domain + "' is not a domain name");
            }
            if (EmailAddresses.isPersonalMail(d)) {
                throw invalid(
                        "TENANCY.PERSONAL_MAIL_DOMAIN",
                        field + ": " + d + " is a personal-mail domain; register the organization's own domain");
            }
            if (!normalized.contains(d)) {
                normalized.add(d);
            }
        }
        return normalized;
    }

    /** A well-formed address on one of the organization's domains, never personal mail; lower-cased. */
    public static String email(String field, String email, OrganizationRow organization) {
        String domain = EmailAddresses.domainOf(email == null ? null : email.trim())
                .orElseThrow(
                        () -> invalid("TENANCY.EMAIL_INVALID", field + ": '" + email + "' is not an email address"));
        if (EmailAddresses.isPersonalMail(domain)) {
            throw invalid(
                    "TENANCY.PERSONAL_MAIL_DOMAIN",
                    field + ": personal email addresses (" + domain + ") are not accepted; use an address on "
                            + String.join(", ", organization.domains()));
        }
        if (!organization.domains().contains(domain)) {
            throw invalid(
                    "TENANCY.EMAIL_DOMAIN_NOT_REGISTERED",
                    field + ": " + domain + " is not a domain of organization " + organization.organizationId() + " ("
                            + String.join(", ", organization.domains()) + ")");
        }
        return EmailAddresses.normalize(email);
    }

    private static ApiException invalid(String code, String detail) {
        return new ApiException(422, code, detail);
    }
}
