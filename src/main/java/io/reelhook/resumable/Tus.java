package io.reelhook.resumable;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** tus 1.0.0's names and the extensions Reelhook serves (docs/resumable.md). */
final class Tus {

    static final String VERSION = "1.0.0";
    static final String EXTENSIONS = "creation,creation-with-upload,termination,expiration,checksum";
    static final String CHECKSUM_ALGORITHMS = "sha1";
    static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";

    static final String RESUMABLE = "Tus-Resumable";
    static final String TUS_VERSION = "Tus-Version";
    static final String TUS_EXTENSION = "Tus-Extension";
    static final String TUS_MAX_SIZE = "Tus-Max-Size";
    static final String TUS_CHECKSUM_ALGORITHM = "Tus-Checksum-Algorithm";
    static final String UPLOAD_OFFSET = "Upload-Offset";
    static final String UPLOAD_LENGTH = "Upload-Length";
    static final String UPLOAD_DEFER_LENGTH = "Upload-Defer-Length";
    static final String UPLOAD_METADATA = "Upload-Metadata";
    static final String UPLOAD_EXPIRES = "Upload-Expires";
    static final String UPLOAD_CHECKSUM = "Upload-Checksum";
    static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

    /** The request headers a browser's tus client sends cross-origin. */
    static final String REQUEST_HEADERS = "Tus-Resumable, Upload-Length, Upload-Offset, Upload-Metadata,"
            + " Upload-Checksum, Upload-Defer-Length, Upload-Concat, Content-Type, X-HTTP-Method-Override,"
            + " X-Requested-With, x-api-key";

    /** The answer headers a browser's tus client must be able to read. */
    static final String EXPOSED_HEADERS = "Location, Upload-Offset, Upload-Length, Upload-Metadata, Upload-Expires,"
            + " Tus-Resumable, Tus-Version, Tus-Extension, Tus-Max-Size, Tus-Checksum-Algorithm";

    /** RFC 7231's IMF-fixdate; {@code RFC_1123_DATE_TIME} would leave out the day's leading zero. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private Tus() {}

    static String httpDate(OffsetDateTime time) {
        return HTTP_DATE.format(time.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
