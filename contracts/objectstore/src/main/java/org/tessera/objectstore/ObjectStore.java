package org.tessera.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where inputs handed over by clients and outputs written by workers live. Keys are {@code /}-separated paths
 * without a leading slash, e.g. {@code outputs/<run>/<item>/tissue_qc_geojson_polygons.json}. Access from outside
 * the platform is only through signed, expiring URLs.
 */
public interface ObjectStore {

    /** Stores the file under the key, replacing any previous object (so a repeated attempt overwrites). */
    void put(String key, Path file, String mediaType) throws IOException;

    /** Opens the object for reading; throws {@link java.nio.file.NoSuchFileException} when it does not exist. */
    InputStream open(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /** Deletes the object if present; returns whether something was deleted. */
    boolean delete(String key) throws IOException;

    /** Deletes every object whose key starts with the prefix; returns how many were deleted. */
    int deletePrefix(String prefix) throws IOException;

    /** A URL anyone can GET until {@code ttl} has passed, without further credentials. */
    URI presignGet(String key, Duration ttl);

    /** Like {@link #presignGet(String, Duration)}, answered with the given headers (media type, download name). */
    URI presignGet(String key, Duration ttl, ResponseHeaders headers);

    /** A URL anyone can PUT the object's bytes to until {@code ttl} has passed. */
    URI presignPut(String key, Duration ttl);

    /**
     * Finds out whether the store answers this service, throwing {@link IllegalStateException} with a message that
     * names the setting at fault (a missing bucket, an endpoint that does not answer, refused credentials). Services
     * call it at start. Stores that are only local files, or whose problems show on first use, check nothing.
     */
    default void checkAccess() {}
}
