package io.reelhook.resumable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.api.ApiException;
import io.reelhook.upload.UploadForm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/**
 * The fields Reelhook reads from tus' {@code Upload-Metadata}: comma-separated pairs of a key and its base64 value
 * (tus 1.0.0, creation). Other keys (tus-js-client sends {@code filetype}, for one) are ignored.
 */
record UploadMetadata(String filename, String indexId, String userMetadata, Boolean enableVideoStream) {

    static final int MAX_INDEX_ID = 256;
    static final int MAX_USER_METADATA = 64 * 1024;

    static final UploadMetadata NONE = new UploadMetadata(null, null, null, null);

    static UploadMetadata parse(String header, ObjectMapper json) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        String filename = null;
        String indexId = null;
        String userMetadata = null;
        Boolean enableVideoStream = null;
        Set<String> keys = new HashSet<>();
        for (String pair : header.split(",", -1)) {
            String trimmed = pair.trim();
            if (trimmed.isEmpty()) {
                throw invalid("it has an empty pair.");
            }
            int space = trimmed.indexOf(' ');
            String key = space < 0 ? trimmed : trimmed.substring(0, space);
            String encoded = space < 0 ? "" : trimmed.substring(space + 1).trim();
            if (!keys.add(key)) {
                throw invalid("the key " + key + " appears twice.");
            }
            switch (key) {
                case "filename" ->
                    filename =
                            UploadForm.storable("filename", required(key, text(key, encoded)), UploadForm.MAX_FILENAME);
                case "index_id" ->
                    indexId = UploadForm.storable("index_id", required(key, text(key, encoded)), MAX_INDEX_ID);
                case "user_metadata" -> userMetadata = object(key, text(key, encoded), json);
                case "enable_video_stream" -> enableVideoStream = bool(key, text(key, encoded));
                default -> {
                    // tus lets a client send what it likes; only Reelhook's keys matter here
                }
            }
        }
        return new UploadMetadata(filename, indexId, userMetadata, enableVideoStream);
    }

    private static String text(String key, String encoded) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw invalid("the value of " + key + " is not base64.");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid("the value of " + key + " is not UTF-8 text.");
        }
    }

    private static String required(String key, String value) {
        if (value.isBlank()) {
            throw invalid("the value of " + key + " is empty.");
        }
        return value;
    }

    private static String object(String key, String value, ObjectMapper json) {
        if (value.length() > MAX_USER_METADATA) {
            throw invalid(key + " is longer than " + MAX_USER_METADATA + " characters.");
        }
        try {
            JsonNode node = json.readTree(value);
            if (node == null || !node.isObject()) {
                throw invalid(key + " must be a JSON object.");
            }
            String text = json.writeValueAsString(node);
            if (text.contains("\\u0000")) {
                // jsonb cannot hold it
                throw invalid(key + " contains a NUL character.");
            }
            return text;
        } catch (IOException e) {
            throw invalid(key + " is not valid JSON.");
        }
    }

    private static Boolean bool(String key, String value) {
        return switch (value) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw invalid(key + " must be true or false.");
        };
    }

    private static ApiException invalid(String why) {
        return ApiException.invalid("Upload-Metadata", why);
    }
}
