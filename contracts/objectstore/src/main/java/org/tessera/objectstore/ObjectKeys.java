package org.tessera.objectstore;

import java.util.regex.Pattern;

/** Validation of object keys, shared by every backend so that a key means the same object everywhere. */
public final class ObjectKeys {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._:=@+-]+");

    private ObjectKeys() {}

    /**
     * Returns the key if it is a relative {@code /}-separated path of safe segments; throws
     * {@link IllegalArgumentException} naming the problem otherwise (so no key can escape the store's root).
     */
    public static String requireValid(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("object key is empty");
        }
        if (key.length() > 1024) {
            throw new IllegalArgumentException("object key longer than 1024 characters");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("object key '" + key + "' has an empty, '.' or '..' segment");
            }
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException(
                        "object key '" + key + "' has characters outside [A-Za-z0-9._:=@+-] in '" + segment + "'");
            }
        }
        return key;
    }

    /** Prefixes may end with {@code /}; the part before must be a valid key. */
    public static String requireValidPrefix(String prefix) {
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        requireValid(trimmed);
        return prefix;
    }

    /** Media type guessed from the key's extension, for serving objects over HTTP. */
    public static String mediaTypeOf(String key) {
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".tif") || lower.endsWith(".tiff") || lower.endsWith(".svs")) {
            return "image/tiff";
        } else if (lower.endsWith(".geojson")) {
            return "application/geo+json";
        } else if (lower.endsWith(".json")) {
            return "application/json";
        } else if (lower.endsWith(".csv")) {
            return "text/csv";
        } else if (lower.endsWith(".png")) {
            return "image/png";
        } else if (lower.endsWith(".dcm")) {
            return "application/dicom";
        } else if (lower.endsWith(".zip")) {
            return "application/zip";
        } else if (lower.endsWith(".parquet")) {
            return "application/vnd.apache.parquet";
        }
        return "application/octet-stream";
    }
}
