package org.tessera.objectstore;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How a service reaches an S3-compatible object store (AWS S3, MinIO, Ceph RGW, Google Cloud Storage through its XML
 * API), read from the {@code tessera.objectstore.s3.*} settings.
 *
 * @param bucket where outputs and documents live (and clients' uploads, unless their organization has its own)
 * @param region the signing region; empty to take it from the SDK's default chain ({@code AWS_REGION}, profile)
 * @param endpoint the S3 API endpoint; empty for AWS S3's regional endpoint
 * @param presignEndpoint the endpoint signed URLs start with, when clients reach the store by another address than
 *     this service does (an in-cluster MinIO behind a public host name); empty for {@code endpoint}
 * @param pathStyle {@code https://host/bucket/key} instead of {@code https://bucket.host/key} (MinIO, Ceph, s3proxy)
 * @param credentials a named access key; empty for the SDK's default provider chain (environment, web identity,
 *     instance or pod role)
 * @param uploadBuckets where each organization's uploads ({@code uploads/<organization>/...}) live, when not in
 *     {@code bucket}
 * @param batchDelete whether the store has S3's multi-object delete (GCS does not: objects are deleted one by one)
 */
public record S3Settings(
        Location bucket,
        Optional<String> region,
        Optional<URI> endpoint,
        Optional<URI> presignEndpoint,
        boolean pathStyle,
        Optional<Credentials> credentials,
        Map<String, Location> uploadBuckets,
        boolean batchDelete) {

    public static final String PREFIX = "tessera.objectstore.s3.";
    public static final String BUCKET = PREFIX + "bucket";
    public static final String REGION = PREFIX + "region";
    public static final String ENDPOINT = PREFIX + "endpoint";
    public static final String PRESIGN_ENDPOINT = PREFIX + "presign-endpoint";
    public static final String PATH_STYLE = PREFIX + "path-style";
    public static final String ACCESS_KEY_ID = PREFIX + "access-key-id";
    public static final String SECRET_ACCESS_KEY = PREFIX + "secret-access-key";
    public static final String UPLOAD_BUCKETS = PREFIX + "upload-buckets";
    public static final String BATCH_DELETE = PREFIX + "batch-delete";

    /** S3's rules for bucket names (3 to 63 lower-case letters, digits, dots and hyphens). */
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private static final Pattern ORGANIZATION = Pattern.compile("[A-Za-z0-9._-]+");

    public S3Settings {
        Objects.requireNonNull(bucket, BUCKET);
        Objects.requireNonNull(region, REGION);
        Objects.requireNonNull(endpoint, ENDPOINT);
        Objects.requireNonNull(presignEndpoint, PRESIGN_ENDPOINT);
        Objects.requireNonNull(credentials, ACCESS_KEY_ID);
        uploadBuckets = Map.copyOf(uploadBuckets);
    }

    /** A bucket and the key prefix inside it ({@code bucket} or {@code bucket/some/prefix}). */
    public record Location(String bucket, String keyPrefix) {

        public Location {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(keyPrefix, "keyPrefix");
        }

        /**
         * Parses {@code bucket[/prefix]}; throws naming the setting when the bucket name is not one S3 accepts or the
         * prefix is not a valid key prefix.
         */
        public static Location parse(String value, String setting) {
            String text = value.strip();
            int slash = text.indexOf('/');
            String bucket = slash < 0 ? text : text.substring(0, slash);
            String prefix = slash < 0 ? "" : text.substring(slash + 1);
            if (!BUCKET_NAME.matcher(bucket).matches()) {
                throw new IllegalArgumentException(setting + ": '" + bucket + "' is not an S3 bucket name (3 to 63"
                        + " lower-case letters, digits, '.' and '-')");
            }
            while (prefix.endsWith("/")) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
            if (!prefix.isEmpty()) {
                try {
                    ObjectKeys.requireValid(prefix);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(setting + ": key prefix of '" + text + "': " + e.getMessage());
                }
            }
            return new Location(bucket, prefix);
        }

        /** The S3 key of an object store key in this location. */
        public String s3Key(String key) {
            return keyPrefix.isEmpty() ? key : keyPrefix + "/" + key;
        }

        @Override
        public String toString() {
            return keyPrefix.isEmpty() ? bucket : bucket + "/" + keyPrefix;
        }
    }

    /** A named access key; the secret never appears in {@link #toString()}. */
    public record Credentials(String accessKeyId, String secretAccessKey) {

        public Credentials {
            Objects.requireNonNull(accessKeyId, ACCESS_KEY_ID);
            Objects.requireNonNull(secretAccessKey, SECRET_ACCESS_KEY);
        }

        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + "]";
        }
    }

    /** The bucket for {@code outputs/}, {@code documents/}, and uploads of organizations without their own. */
    public static S3Settings of(String bucket) {
        return new S3Settings(
                Location.parse(bucket, BUCKET),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.empty(),
                Map.of(),
                true);
    }

    public S3Settings withEndpoint(URI newEndpoint, boolean newPathStyle) {
        return new S3Settings(
                bucket,
                region,
                Optional.of(newEndpoint),
                presignEndpoint,
                newPathStyle,
                credentials,
                uploadBuckets,
                batchDelete);
    }

    public S3Settings withRegion(String newRegion) {
        return new S3Settings(
                bucket,
                Optional.of(newRegion),
                endpoint,
                presignEndpoint,
                pathStyle,
                credentials,
                uploadBuckets,
                batchDelete);
    }

    public S3Settings withCredentials(String accessKeyId, String secretAccessKey) {
        return new S3Settings(
                bucket,
                region,
                endpoint,
                presignEndpoint,
                pathStyle,
                Optional.of(new Credentials(accessKeyId, secretAccessKey)),
                uploadBuckets,
                batchDelete);
    }

    public S3Settings withUploadBuckets(Map<String, Location> newUploadBuckets) {
        return new S3Settings(
                bucket, region, endpoint, presignEndpoint, pathStyle, credentials, newUploadBuckets, batchDelete);
    }

    public S3Settings withBatchDelete(boolean newBatchDelete) {
        return new S3Settings(
                bucket, region, endpoint, presignEndpoint, pathStyle, credentials, uploadBuckets, newBatchDelete);
    }

    /** Where the object with this object store key lives: its organization's upload bucket, or {@link #bucket}. */
    public Location locationOf(String key) {
        if (key.startsWith(ObjectStores.UPLOADS)) {
            int end = key.indexOf('/', ObjectStores.UPLOADS.length());
            if (end > 0) {
                Location own = uploadBuckets.get(key.substring(ObjectStores.UPLOADS.length(), end));
                if (own != null) {
                    return own;
                }
            }
        }
        return bucket;
    }

    /**
     * Reads the {@code tessera.objectstore.s3.*} settings through {@code setting} (a configuration lookup by property
     * name). Every problem names the property and its environment variable.
     */
    public static S3Settings read(Function<String, Optional<String>> setting) {
        Function<String, Optional<String>> value =
                name -> setting.apply(name).map(String::strip).filter(v -> !v.isEmpty());
        Location bucket = Location.parse(
                value.apply(BUCKET)
                        .orElseThrow(() -> new IllegalArgumentException("the S3 object store needs a bucket: set "
                                + named(BUCKET) + " to the bucket for outputs and documents")),
                named(BUCKET));
        Optional<String> accessKeyId = value.apply(ACCESS_KEY_ID);
        Optional<String> secret = value.apply(SECRET_ACCESS_KEY);
        if (accessKeyId.isPresent() != secret.isPresent()) {
            throw new IllegalArgumentException("set both " + named(ACCESS_KEY_ID) + " and " + named(SECRET_ACCESS_KEY)
                    + ", or neither to use the default credentials chain; only "
                    + (accessKeyId.isPresent() ? ACCESS_KEY_ID : SECRET_ACCESS_KEY) + " is set");
        }
        return new S3Settings(
                bucket,
                value.apply(REGION),
                value.apply(ENDPOINT).map(v -> endpoint(v, ENDPOINT)),
                value.apply(PRESIGN_ENDPOINT).map(v -> endpoint(v, PRESIGN_ENDPOINT)),
                value.apply(PATH_STYLE).map(v -> bool(v, PATH_STYLE)).orElse(false),
                accessKeyId.map(id -> new Credentials(id, secret.orElseThrow())),
                value.apply(UPLOAD_BUCKETS).map(S3Settings::uploadBuckets).orElse(Map.of()),
                value.apply(BATCH_DELETE).map(v -> bool(v, BATCH_DELETE)).orElse(true));
    }

    /**
     * Parses {@code <organization>=<bucket>[/<prefix>],...}: uploads of each listed organization go to its bucket,
     * under the prefix when one is given.
     */
    static Map<String, Location> uploadBuckets(String text) {
        Map<String, Location> buckets = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String organization = equals < 0 ? "" : entry.substring(0, equals).strip();
            if (!ORGANIZATION.matcher(organization).matches()) {
                throw new IllegalArgumentException(
                        named(UPLOAD_BUCKETS) + ": '" + entry.strip() + "' is not <organization>=<bucket>[/<prefix>]");
            }
            Location location = Location.parse(entry.substring(equals + 1), UPLOAD_BUCKETS + " (" + organization + ")");
            if (buckets.put(organization, location) != null) {
                throw new IllegalArgumentException(
                        named(UPLOAD_BUCKETS) + " names organization " + organization + " twice");
            }
        }
        return buckets;
    }

    private static URI endpoint(String text, String setting) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException(
                        named(setting) + ": '" + text + "' is not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(named(setting) + ": '" + text + "' is not a URL: " + e.getMessage(), e);
        }
    }

    private static boolean bool(String text, String setting) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new IllegalArgumentException(named(setting) + " must be true or false, not '" + text + "'");
        };
    }

    /** The property with its environment variable, for messages. */
    static String named(String property) {
        return property + " (environment "
                + property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT) + ")";
    }
}
