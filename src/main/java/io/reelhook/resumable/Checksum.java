package io.reelhook.resumable;

import io.reelhook.api.ApiException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** tus' checksum extension: {@code Upload-Checksum: sha1 <base64>}. */
record Checksum(byte[] expected) {

    static Checksum parse(String header) {
        if (header == null) {
            return null;
        }
        String[] parts = header.trim().split(" ", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("sha1")) {
            throw new ApiException(
                    400,
                    "checksum_algorithm_unsupported",
                    "Upload-Checksum must be \"sha1 <base64>\"; Tus-Checksum-Algorithm is " + Tus.CHECKSUM_ALGORITHMS
                            + ".");
        }
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(parts[1].trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(Tus.UPLOAD_CHECKSUM, "the digest is not base64.");
        }
        if (expected.length != 20) {
            throw ApiException.invalid(Tus.UPLOAD_CHECKSUM, "a SHA-1 digest has 20 bytes.");
        }
        return new Checksum(expected);
    }

    boolean matches(byte[] digest) {
        return digest != null && MessageDigest.isEqual(expected, digest);
    }

    static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
