package org.tessera.worker.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.tessera.contracts.ErrorCodes;
import org.tessera.worker.common.InputRejectedException;

/**
 * Which hosts the worker may download slides from. A signed URL is chosen by the client, so without this check a
 * client could make the worker fetch from inside the platform's network (cloud metadata services, internal
 * services): loopback, private, link-local, unique-local, carrier-grade NAT and unspecified addresses are refused
 * unless configuration allows them (the local stack allows loopback). Whatever the configuration:
 *
 * <ul>
 *   <li>every cloud's metadata service is refused, by name and by address (AWS 169.254.169.254 and fd00:ec2::254,
 *       GCP metadata.google.internal, Azure 168.63.129.16, Alibaba 100.100.100.200, Oracle 192.0.0.192);
 *   <li>an IPv6 address that wraps an IPv4 address (NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32,
 *       IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96) is judged by the IPv4 address it carries, and refused if
 *       that one is not public: a wrapper is a way around the check, never a way a slide store is addressed;
 *   <li>the caller connects to the addresses {@link #resolve} returned, never resolving the name again, so DNS
 *       cannot pass the check with one address and serve the download from another;
 *   <li>messages name the URL's host and the kind of address, never the internal address it resolved to.
 * </ul>
 */
public final class AddressPolicy {

    /** Resolves a host name; the system resolver in production, a fixed table in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final Set<String> METADATA_HOSTS = Set.of(
            "metadata",
            "metadata.google.internal",
            "metadata.goog",
            "metadata.azure.com",
            "instance-data",
            "instance-data.ec2.internal");

    /** Cloud metadata and platform service addresses, refused even where private addresses are allowed. */
    private static final Set<InetAddress> METADATA_ADDRESSES = Set.of(
            literal("169.254.169.254"), // AWS, GCP, Azure IMDS, OpenStack, Oracle (legacy)
            literal("169.254.170.2"), // AWS ECS task metadata
            literal("fd00:ec2:0:0:0:0:0:254"), // AWS IMDS over IPv6
            literal("168.63.129.16"), // Azure wire server
            literal("100.100.100.200"), // Alibaba Cloud
            literal("192.0.0.192")); // Oracle Cloud

    private final boolean allowLoopback;
    private final boolean allowPrivate;
    private final Resolver resolver;

    public AddressPolicy(boolean allowLoopback, boolean allowPrivate) {
        this(allowLoopback, allowPrivate, InetAddress::getAllByName);
    }

    public AddressPolicy(boolean allowLoopback, boolean allowPrivate, Resolver resolver) {
        this.allowLoopback = allowLoopback;
        this.allowPrivate = allowPrivate;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** Checks the URL's scheme and host without resolving it (a name the platform never fetches from is refused). */
    public void checkUrl(URI url) throws InputRejectedException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InputRejectedException(
                    ErrorCodes.INPUT_URL_NOT_ALLOWED, "download_url must be http(s), not '" + scheme + "'");
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw new InputRejectedException(ErrorCodes.INPUT_URL_NOT_ALLOWED, "download_url has no host");
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (METADATA_HOSTS.contains(name)) {
            throw new InputRejectedException(
                    ErrorCodes.INPUT_URL_NOT_ALLOWED, "download_url host " + host + " is a metadata service");
        }
    }

    /**
     * Resolves the URL's host once and returns its addresses, which the caller must connect to (and nothing else);
     * throws INPUT_URL_NOT_ALLOWED unless every address it resolves to is allowed.
     */
    public List<InetAddress> resolve(URI url) throws InputRejectedException, UnknownHostException {
        checkUrl(url);
        String host = url.getHost();
        InetAddress[] addresses = resolver.resolve(host);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : addresses) {
            String refusal = refusal(address);
            if (refusal != null) {
                throw new InputRejectedException(
                        ErrorCodes.INPUT_URL_NOT_ALLOWED,
                        "download_url host " + host + " resolves to " + refusal
                                + " address, which this platform does not fetch from");
            }
        }
        return List.of(addresses);
    }

    /** Why the address is refused ("a loopback", "a private", ...), or null when it is allowed. */
    String refusal(InetAddress address) {
        if (METADATA_ADDRESSES.contains(address)) {
            return "a cloud metadata service's";
        }
        InetAddress wrapped = embeddedIpv4(address);
        if (wrapped != null) {
            String inner = refusal(wrapped, false, false);
            return inner == null ? null : "an IPv6 address wrapping " + inner;
        }
        return refusal(address, allowLoopback, allowPrivate);
    }

    private static String refusal(InetAddress address, boolean allowLoopback, boolean allowPrivate) {
        if (METADATA_ADDRESSES.contains(address)) {
            return "a cloud metadata service's";
        }
        if (address.isLoopbackAddress()) {
            return allowLoopback ? null : "a loopback";
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress() || isReservedIpv4(address)) {
            return "an unspecified, reserved or multicast";
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

    /**
     * The IPv4 address an IPv6 address carries by a standard translation or tunnelling scheme, or null: IPv4-mapped
     * (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48), 6to4
     * (2002:aabb:ccdd::/48) and Teredo (2001:0::/32, the server's address in bits 32-63, the client's inverted in
     * the last 32).
     */
    static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return null;
        }
        byte[] b = address.getAddress();
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            firstTenZero &= b[i] == 0;
        }
        if (firstTenZero && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
            return ipv4(b[12], b[13], b[14], b[15]);
        }
        if (firstTenZero && b[10] == 0 && b[11] == 0) {
            // ::/96 minus :: and ::1, which are the unspecified and loopback addresses themselves.
            boolean small = b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] & 0xFF) <= 1;
            return small ? null : ipv4(b[12], b[13], b[14], b[15]);
        }
        int first = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        int second = ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
        if (first == 0x0064 && second == 0xff9b) {
            return ipv4(b[12], b[13], b[14], b[15]);
        }
        if (first == 0x2002) {
            return ipv4(b[2], b[3], b[4], b[5]);
        }
        if (first == 0x2001 && second == 0x0000) {
            InetAddress client = ipv4((byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]);
            // Judge the tunnel by the worse of its two ends: the client end is where the packets finally go.
            return refusal(client, false, false) != null ? client : ipv4(b[4], b[5], b[6], b[7]);
        }
        return null;
    }

    private static InetAddress ipv4(byte a, byte b, byte c, byte d) {
        try {
            return InetAddress.getByAddress(new byte[] {a, b, c, d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 0.0.0.0/8 ("this network"), 192.0.0.0/24 (IETF protocol assignments) and 240.0.0.0/4 (reserved). */
    private static boolean isReservedIpv4(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            return false;
        }
        byte[] b = address.getAddress();
        int first = b[0] & 0xFF;
        return first == 0 || first >= 240 || (first == 192 && b[1] == 0 && b[2] == 0);
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

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
