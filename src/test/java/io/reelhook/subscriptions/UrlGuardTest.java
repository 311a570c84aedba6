package io.reelhook.subscriptions;

import io.reelhook.api.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SSRF guard without the application: which addresses are refused unless private targets are allowed. */
class UrlGuardTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1/",
                "http://localhost:8080/",
                "http://10.1.2.3/",
                "http://172.16.0.1/",
                "http://192.168.1.1/",
                "http://169.254.169.254/latest/meta-data/",
                "http://100.64.0.1/",
                "http://0.0.0.0/",
                "http://224.0.0.1/",
                "http://[::1]/",
                "http://[fd00:ec2::254]/",
                "http://[fe80::1]/",
                "http://[::]/",
                "http://[::ffff:127.0.0.1]/",
                "http://[64:ff9b::a9fe:a9fe]/",
                "https://2130706433/",
                "http://[ff02::1]/",
                "http://255.255.255.255/"
            })
    void internalAddressesAreRefused(String url) {
        assertThatThrownBy(() -> UrlGuard.check(url, false))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
        assertThat(UrlGuard.check(url, true)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "100.128.0.1", "172.32.0.1"})
    void publicAddressesPass(String address) throws Exception {
        assertThat(UrlGuard.refused(InetAddress.getByName(address))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://8.8.8.8/", "file:///etc/passwd", "http:///nohost"})
    void otherSchemesAndHostlessUrlsAreRefusedEvenWhenPrivateIsAllowed(String url) {
        assertThatThrownBy(() -> UrlGuard.check(url, true)).isInstanceOf(ApiException.class);
    }
}
