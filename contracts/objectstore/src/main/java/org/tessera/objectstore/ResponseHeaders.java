package org.tessera.objectstore;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Headers a signed GET asks the object store to answer with in place of its own, like the
 * {@code response-content-type} and {@code response-content-disposition} parameters of S3 and GCS signed URLs. The
 * signature covers them, so whoever holds the URL cannot change them.
 *
 * @param contentType the media type to serve the object with; null keeps the store's own
 * @param contentDisposition e.g. {@code attachment; filename="user-guide.md"}; null sends none
 */
public record ResponseHeaders(String contentType, String contentDisposition) {

    public static final String CONTENT_TYPE_PARAMETER = "response-content-type";
    public static final String CONTENT_DISPOSITION_PARAMETER = "response-content-disposition";

    /** The store's own headers. */
    public static final ResponseHeaders NONE = new ResponseHeaders(null, null);

    public ResponseHeaders {
        requireHeaderValue(contentType);
        requireHeaderValue(contentDisposition);
    }

    /** Serves the object as this media type, for clients that consume it directly. */
    public static ResponseHeaders contentType(String mediaType) {
        return new ResponseHeaders(mediaType, null);
    }

    /** Serves the object as a download that browsers save under the file name instead of rendering it. */
    public static ResponseHeaders attachment(String mediaType, String fileName) {
        StringBuilder disposition = new StringBuilder("attachment; filename=\"");
        boolean ascii = true;
        for (char ch : fileName.toCharArray()) {
            if (ch < 0x20 || ch >= 0x7F) {
                ascii = false;
                disposition.append('_');
            } else if (ch == '"' || ch == '\\') {
                disposition.append('_');
            } else {
                disposition.append(ch);
            }
        }
        disposition.append('"');
        if (!ascii) {
            // RFC 6266: the plain filename is the fallback, filename* carries the real name in UTF-8.
            disposition
                    .append("; filename*=UTF-8''")
                    .append(URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return new ResponseHeaders(mediaType, disposition.toString());
    }

    public boolean isEmpty() {
        return contentType == null && contentDisposition == null;
    }

    /** What the signature covers beyond method, key and expiry; empty for {@link #NONE}, so older URLs stay valid. */
    String signedText() {
        StringBuilder text = new StringBuilder();
        if (contentType != null) {
            text.append('\n').append(CONTENT_TYPE_PARAMETER).append('=').append(contentType);
        }
        if (contentDisposition != null) {
            text.append('\n').append(CONTENT_DISPOSITION_PARAMETER).append('=').append(contentDisposition);
        }
        return text.toString();
    }

    /** The query parameters that carry these headers, each starting with {@code &}. */
    String queryParameters() {
        StringBuilder query = new StringBuilder();
        if (contentType != null) {
            query.append('&').append(CONTENT_TYPE_PARAMETER).append('=').append(encode(contentType));
        }
        if (contentDisposition != null) {
            query.append('&').append(CONTENT_DISPOSITION_PARAMETER).append('=').append(encode(contentDisposition));
        }
        return query.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void requireHeaderValue(String value) {
        if (value != null && (value.isBlank() || value.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7F))) {
            throw new IllegalArgumentException("not a valid header value: '" + value + "'");
        }
    }
}
