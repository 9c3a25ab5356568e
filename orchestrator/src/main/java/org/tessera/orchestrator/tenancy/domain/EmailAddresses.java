package org.tessera.orchestrator.tenancy.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Email addresses and domains as the registration rules need them: an address's domain, whether a domain is
 * well-formed, and whether it is a personal-mail provider's (which an organization can neither register nor use).
 */
public final class EmailAddresses {

    private static final Pattern DOMAIN =
            Pattern.compile("^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$");
    private static final Pattern LOCAL_PART = Pattern.compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$");

    /** Free personal-mail providers: an organization's users must use their organization's own domain. */
    static final Set<String> PERSONAL_MAIL_DOMAINS = Set.of(
            "gmail.com",
            "googlemail.com",
            "outlook.com",
            "hotmail.com",
            "hotmail.co.uk",
            "hotmail.de",
            "live.com",
            "msn.com",
            "yahoo.com",
            "yahoo.co.uk",
            "yahoo.de",
            "yahoo.fr",
            "ymail.com",
            "icloud.com",
            "me.com",
            "mac.com",
            "aol.com",
            "proton.me",
            "protonmail.com",
            "pm.me",
            "gmx.de",
            "gmx.net",
            "gmx.com",
            "web.de",
            "t-online.de",
            "freenet.de",
            "mail.com",
            "mail.ru",
            "yandex.ru",
            "yandex.com",
            "zoho.com",
            "qq.com",
            "163.com",
            "126.com",
            "orange.fr",
            "free.fr",
            "laposte.net",
            "libero.it",
            "tutanota.com",
            "fastmail.com",
            "hey.com");

    private EmailAddresses() {}

    /** The lower-cased domain of a well-formed address, or empty. */
    public static Optional<String> domainOf(String email) {
        if (email == null) {
            return Optional.empty();
        }
        int at = email.lastIndexOf('@');
        if (at <= 0
                || at != email.indexOf('@')
                || !LOCAL_PART.matcher(email.substring(0, at)).matches()) {
            return Optional.empty();
        }
        String domain = email.substring(at + 1).toLowerCase(Locale.ROOT);
        return isWellFormedDomain(domain) ? Optional.of(domain) : Optional.empty();
    }

    public static boolean isWellFormedDomain(String domain) {
        return domain != null && DOMAIN.matcher(domain).matches();
    }

    public static boolean isPersonalMail(String domain) {
        return domain != null && PERSONAL_MAIL_DOMAINS.contains(domain.toLowerCase(Locale.ROOT));
    }

    public static String normalize(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
