package io.reelhook.subscriptions;

import io.reelhook.api.ApiException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * Refuses subscription URLs that would let a caller reach the instance's own network (SSRF): only http and https,
 * and, unless private targets are allowed, no host resolving to a loopback, private, link-local, CGNAT, multicast,
 * unspecified or cloud metadata address. Checked on create/update and again before every delivery (DNS rebinding).
 */
final class UrlGuard {

    private UrlGuard() {}

    /** @throws ApiException 400 parameter_invalid naming why */
    static URI check(String url, boolean allowPrivate) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.invalid("url", "not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.invalid("url", "only http and https URLs are accepted");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw ApiException.invalid("url", "the URL has no host");
        }
        if (uri.getUserInfo() != null) {
            throw ApiException.invalid("url", "credentials in the URL are not accepted");
        }
        if (allowPrivate) {
            return uri;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw ApiException.invalid("url", "the host does not resolve");
        }
        for (InetAddress address : addresses) {
            if (refused(address)) {
                throw ApiException.invalid(
                        "url",
                        "the host resolves to a loopback, private, link-local or" + " otherwise internal address ("
                                + address.getHostAddress() + ")");
            }
        }
        return uri;
    }

    static boolean refused(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isAnyLocalAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 // "this network"
                    || (first == 100 && second >= 64 && second < 128) // CGNAT 100.64.0.0/10
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking
                    || first >= 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) { // unique local fc00::/7, also fd00:ec2::254 (EC2 metadata)
                return true;
            }
            if (isEmbeddedV4(b, new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b}) // NAT64 64:ff9b::/96
                    || allZeroBefore(b, 12)) { // IPv4-compatible ::a.b.c.d
                return refused(v4(b));
            }
        }
        return false;
    }

    private static boolean isEmbeddedV4(byte[] b, byte[] prefix) {
        for (int i = 0; i < 12; i++) {
            if (b[i] != (i < prefix.length ? prefix[i] : 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZeroBefore(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress v4(byte[] b) {
        try {
            return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
