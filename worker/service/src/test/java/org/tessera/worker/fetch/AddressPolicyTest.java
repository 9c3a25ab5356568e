package org.tessera.worker.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tessera.worker.common.InputRejectedException;

class AddressPolicyTest {

    @ParameterizedTest(name = "{0}: strict={1} loopback-allowed={2} all-allowed={3}")
    @CsvSource({
        "8.8.8.8,         true,  true,  true",
        "127.0.0.1,       false, true,  true",
        "::1,             false, true,  true",
        "10.1.2.3,        false, false, true",
        "172.16.0.1,      false, false, true",
        "192.168.1.1,     false, false, true",
        "100.64.0.1,      false, false, true",
        "fd00::1,         false, false, true",
        "169.254.169.254, false, false, false",
        "fe80::1,         false, false, false",
        "0.0.0.0,         false, false, false",
        "224.0.0.1,       false, false, false",
        "2001:4860:4860::8888, true, true, true",
        // Cloud metadata services: refused whatever is allowed.
        "fd00:ec2::254,   false, false, false",
        "168.63.129.16,   false, false, false",
        "100.100.100.200, false, false, false",
        "192.0.0.192,     false, false, false",
        "169.254.170.2,   false, false, false",
        // IPv6 wrappers of IPv4 addresses are judged by what they carry, and never allowed to carry an internal one.
        "64:ff9b::a9fe:a9fe,    false, false, false",
        "64:ff9b::a00:1,        false, false, false",
        "64:ff9b::808:808,      true,  true,  true",
        "64:ff9b:1::a00:1,      false, false, false",
        "2002:a9fe:a9fe::1,     false, false, false",
        "2002:c0a8:101::1,      false, false, false",
        "2002:7f00:1::1,        false, false, false",
        "2002:808:808::1,       true,  true,  true",
        "2001:0:a00:1::1,       false, false, false",
        "2001:0:808:808::f5fe:fefe, false, false, false",
        "2001:0:808:808::f7f7:f7f7, true, true, true",
        "::a00:1,               false, false, false",
        "::7f00:1,              false, false, false",
        "::808:808,             true,  true,  true"
    })
    void decidesByAddressClass(String address, boolean strict, boolean loopbackAllowed, boolean allAllowed)
            throws UnknownHostException {
        InetAddress ip = InetAddress.getByName(address);
        assertThat(new AddressPolicy(false, false).refusal(ip) == null).isEqualTo(strict);
        assertThat(new AddressPolicy(true, false).refusal(ip) == null).isEqualTo(loopbackAllowed);
        assertThat(new AddressPolicy(true, true).refusal(ip) == null).isEqualTo(allAllowed);
    }

    @Test
    void ipv4MappedAddressesAreJudgedAsTheIpv4AddressTheyCarry() throws UnknownHostException {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = (byte) 169;
        mapped[13] = (byte) 254;
        mapped[14] = (byte) 169;
        mapped[15] = (byte) 254;
        InetAddress ip = Inet6Address.getByAddress(null, mapped, null);
        assertThat(new AddressPolicy(true, true).refusal(ip)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://metadata.google.internal/computeMetadata/v1/",
                "http://METADATA.GOOGLE.INTERNAL./x",
                "http://metadata.azure.com/x",
                "http://instance-data/latest/"
            })
    void metadataHostNamesAreRefusedWithoutResolvingThem(String url) {
        AddressPolicy policy = new AddressPolicy(true, true, host -> {
            throw new AssertionError("resolved " + host);
        });
        assertThatThrownBy(() -> policy.resolve(URI.create(url)))
                .isInstanceOf(InputRejectedException.class)
                .hasMessageContaining("metadata service");
    }
}
