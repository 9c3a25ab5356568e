package org.tessera.worker.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        "2001:4860:4860::8888, true, true, true"
    })
    void decidesByAddressClass(String address, boolean strict, boolean loopbackAllowed, boolean allAllowed)
            throws UnknownHostException {
        InetAddress ip = InetAddress.getByName(address);
        assertThat(new AddressPolicy(false, false).refusal(ip) == null).isEqualTo(strict);
        assertThat(new AddressPolicy(true, false).refusal(ip) == null).isEqualTo(loopbackAllowed);
        assertThat(new AddressPolicy(true, true).refusal(ip) == null).isEqualTo(allAllowed);
    }
}
