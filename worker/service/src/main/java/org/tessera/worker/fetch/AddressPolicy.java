package org.tessera.worker.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import org.tessera.contracts.ErrorCodes;
import org.tessera.worker.common.InputRejectedException;

/**
 * Which hosts the worker may download slides from. A signed URL is chosen by the client, so without this check a
 * client could make the worker fetch from inside the platform's network (cloud metadata services, internal
 * services): loopback, private, link-local, unique-local, carrier-grade NAT and unspecified addresses are refused
 * unless configuration allows them (the local stack allows loopback).
 */
public record AddressPolicy(boolean allowLoopback, boolean allowPrivate) {

    private static final Set<String> METADATA_HOSTS = Set.of(
            "metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal");

    /** Resolves the URL's host and throws INPUT_URL_NOT_ALLOWED unless every address it resolves to is allowed. */
    public void check(URI url) throws InputRejectedException, UnknownHostException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InputRejectedException(
                    ErrorCodes.INPUT_URL_NOT_ALLOWED, "download_url must be http(s), not '" + scheme + "'");
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw new InputRejectedException(ErrorCodes.INPUT_URL_NOT_ALLOWED, "download_url has no host");
        }
        if (METADATA_HOSTS.contains(host.toLowerCase(Locale.ROOT))) {
            throw new InputRejectedException(
                    ErrorCodes.INPUT_URL_NOT_ALLOWED, "download_url host " + host + " is a metadata service");
        }
        for (InetAddress address : InetAddress.getAllByName(host)) {
            String refusal = refusal(address);
            if (refusal != null) {
                throw new InputRejectedException(
                        ErrorCodes.INPUT_URL_NOT_ALLOWED,
                        "download_url host " + host + " resolves to " + refusal + " address " + address.getHostAddress()
                                + ", which this platform does not fetch from");
            }
        }
    }

    /** Why the address is refused ("loopback", "private", ...), or null when it is allowed. */
    String refusal(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return allowLoopback ? null : "a loopback";
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return "an unspecified or multicast";
        }
        // Link-local includes 169.254.169.254, the cloud metadata endpoint: never allowed.
        if (address.isLinkLocalAddress()) {
            return "a link-local";
        }
        if (isPrivate(address)) {
            return allowPrivate ? null : "a private";
        }
        return null;
    }

    private static boolean isPrivate(InetAddress address) {
        if (address.isSiteLocalAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xFF;
            int second = b[1] & 0xFF;
            // 100.64.0.0/10 (carrier-grade NAT) and 198.18.0.0/15 (benchmarking) are internal in practice.
            return (first == 100 && second >= 64 && second < 128) || (first == 198 && (second == 18 || second == 19));
        }
        if (address instanceof Inet6Address) {
            // fc00::/7 unique-local addresses are IPv6's private range.
            return (b[0] & 0xFE) == 0xFC;
        }
        return false;
    }
}
