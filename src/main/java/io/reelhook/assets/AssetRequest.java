package io.reelhook.assets;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.api.ApiException;
import io.reelhook.upload.Spool;
import io.reelhook.upload.UploadForm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Optional;

/**
 * A {@code POST /assets} form once read and checked: what goes to Twelve Labs ({@link #upstreamFields}) and what
 * Reelhook keeps for itself ({@code index_id}, {@code enable_video_stream}).
 *
 * @param userMetadata the JSON text as the client sent it, and parsed
 */
record AssetRequest(
        String method,
        Optional<String> url,
        String filename,
        Map<String, String> upstreamFields,
        Optional<Entry<String, Map<String, Object>>> userMetadata,
        String indexId,
        Boolean enableVideoStream) {

    /** Twelve Labs' fields of {@code POST /assets}, and Reelhook's own, with the most bytes each value may have. */
    static final Map<String, Integer> FIELDS = Map.of(
            "method", 16,
            "file", 2048,
            "url", 4096,
            "filename", UploadForm.MAX_FILENAME,
            "enable_hls", 16,
            "enable_thumbnail", 16,
            "user_metadata", 64 * 1024,
            "index_id", 256,
            "enable_video_stream", 16);

    /** Checks the form against its file (null when none was sent); refuses with Twelve Labs' codes. */
    static AssetRequest of(UploadForm form, Spool file, ObjectMapper json) {
        String method = form.text("method").orElseThrow(() -> ApiException.notProvided("method"));
        Optional<String> url = form.text("url");
        switch (method) {
            case "direct" -> {
                if (file == null) {
                    throw ApiException.notProvided("file");
                }
                if (url.isPresent()) {
                    throw ApiException.invalid("url", "send either a file (method direct) or a url (method url).");
                }
            }
            case "url" -> {
                if (url.isEmpty()) {
                    throw ApiException.notProvided("url");
                }
                if (file != null) {
                    throw ApiException.invalid("file", "send either a file (method direct) or a url (method url).");
                }
            }
            default -> throw ApiException.invalid("method", "it must be direct or url.");
        }
        String filename = form.text("filename")
                .orElseGet(() -> file != null ? file.filename() : UploadForm.fileName("url", url.get()));
        if (url.isPresent()) {
            UploadForm.fileName("url", url.get());
        }
        form.bool("enable_hls");
        form.bool("enable_thumbnail");
        Optional<Entry<String, Map<String, Object>>> metadata = form.userMetadata(json);
        Map<String, String> upstream = new LinkedHashMap<>();
        upstream.put("method", method);
        upstream.put("url", url.orElse(null));
        upstream.put("filename", form.text("filename").orElse(null));
        upstream.put("enable_hls", form.text("enable_hls").orElse(null));
        upstream.put("enable_thumbnail", form.text("enable_thumbnail").orElse(null));
        upstream.put("user_metadata", metadata.map(Entry::getKey).orElse(null));
        return new AssetRequest(
                method,
                url,
                filename,
                upstream,
                metadata,
                form.text("index_id")
                        .map(id -> UploadForm.storable("index_id", id, form.maxBytes("index_id")))
                        .orElse(null),
                form.bool("enable_video_stream").orElse(null));
    }

    /** The client's {@code user_metadata} text, or null. */
    String metadataText() {
        return userMetadata.map(Entry::getKey).orElse(null);
    }
}
