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
 * unspecified or cloud metadata address. Checked on create/update, and at every delivery, where the host is resolved
 * once and the request connects to the very address that was checked: a name that resolves elsewhere by then (DNS
 * rebinding) is refused, and cannot be resolved a second time behind the check's back.
 */
final class UrlGuard {

    /** Resolves a host name to its addresses (the system resolver, or a test's). */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    static final Resolver SYSTEM = InetAddress::getAllByName;

    /** Where a request goes: the URL, and the checked address of its host that it connects to. */
    record Target(URI uri, InetAddress address) {

        int port() {
            return uri.getPort() != -1 ? uri.getPort() : https() ? 443 : 80;
        }

        boolean https() {
            return uri.getScheme().equalsIgnoreCase("https");
        }

        /** The request target: path and query, as in the URL. */
        String path() {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        }
    }

    /** Why a URL may not be sent to. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason);
        }
    }

    private UrlGuard() {}

    /** The API's check; with private targets allowed, nothing is resolved. @throws ApiException 400 naming why */
    static URI check(String url, boolean allowPrivate) {
        try {
            URI uri = parse(url);
            if (!allowPrivate) {
                addresses(uri, SYSTEM, false);
            }
            return uri;
        } catch (Refused refused) {
            throw ApiException.invalid("url", refused.getMessage());
        }
    }

    /** A delivery's check: resolves the host once and answers the address to connect to. */
    static Target resolve(String url, boolean allowPrivate, Resolver resolver) throws Refused {
        URI uri = parse(url);
        return new Target(uri, addresses(uri, resolver, allowPrivate)[0]);
    }

    private static URI parse(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("only http and https URLs are accepted");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new Refused("the URL has no host");
        }
        if (uri.getUserInfo() != null) {
            throw new Refused("credentials in the URL are not accepted");
        }
        return uri;
    }

    private static InetAddress[] addresses(URI uri, Resolver resolver, boolean allowPrivate) throws Refused {
        String host = uri.getHost();
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new Refused("the host does not resolve");
        }
        if (addresses.length == 0) {
            throw new Refused("the host does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!allowPrivate && refused(address)) {
                throw new Refused("the host resolves to a loopback, private, link-local or otherwise internal address ("
                        + address.getHostAddress() + ")");
            }
        }
        return addresses;
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
