package org.tessera.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Objects in an S3-compatible store, reached with the AWS SDK; signed URLs are S3's own presigned URLs (SigV4), so
 * clients download and upload straight from and to the store. A service holds the credentials of its role only, and
 * this store refuses anything outside its {@link SigningScope} before it reaches S3 (a worker only writes and reads
 * {@code outputs/}); the store's bucket policy enforces the same (deploy/README.md).
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {

    /** S3's limit of keys per multi-object delete request. */
    static final int DELETE_BATCH = 1000;

    /** SigV4 presigned URLs live at most seven days. */
    private static final Duration MAX_PRESIGN = Duration.ofDays(7);

    /** Error codes with which S3-compatible stores refuse the credentials themselves. */
    private static final Set<String> CREDENTIAL_ERRORS = Set.of(
            "InvalidAccessKeyId",
            "SignatureDoesNotMatch",
            "InvalidToken",
            "ExpiredToken",
            "InvalidClientTokenId",
            "AuthorizationHeaderMalformed",
            "InvalidSecurity");

    private final S3Settings settings;
    private final Optional<SigningScope> scope;
    private final S3Client s3;
    private final S3Presigner presigner;

    private S3ObjectStore(S3Settings settings, Optional<SigningScope> scope, S3Client s3, S3Presigner presigner) {
        this.settings = settings;
        this.scope = scope;
        this.s3 = s3;
        this.presigner = presigner;
    }

    /**
     * Builds the client from the settings. Nothing is sent yet: {@link #checkAccess()} finds out whether the bucket,
     * the endpoint and the credentials work.
     */
    public static S3ObjectStore connect(S3Settings settings, Optional<SigningScope> scope) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(scope, "scope");
        Region region = region(settings);
        AwsCredentialsProvider credentials = settings.credentials()
                .<AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        S3Configuration s3Configuration = S3Configuration.builder()
                .pathStyleAccessEnabled(settings.pathStyle())
                .build();
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofMinutes(2))
                .build();
        var client = S3Client.builder()
                .httpClient(http)
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Configuration)
                // Checksums only where S3 requires them: MinIO, Ceph and GCS do not all accept the SDK's
                // default trailing checksums on every upload.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // Multi-object delete must carry a checksum: Content-MD5, as every S3-compatible store accepts,
                // rather than the SDK's newer x-amz-checksum-crc32, which some refuse.
                .addPlugin(LegacyMd5Plugin.create());
        settings.endpoint().ifPresent(client::endpointOverride);
        var presigner = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Configuration);
        settings.presignEndpoint().or(settings::endpoint).ifPresent(presigner::endpointOverride);
        return new S3ObjectStore(settings, scope, client.build(), presigner.build());
    }

    private static Region region(S3Settings settings) {
        if (settings.region().isPresent()) {
            return Region.of(settings.region().get());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            throw new IllegalArgumentException("no S3 region: set " + S3Settings.named(S3Settings.REGION)
                    + " (any value, e.g. us-east-1, for MinIO and Ceph; auto for GCS) or AWS_REGION");
        }
    }

    public S3Settings settings() {
        return settings;
    }

    @Override
    public void put(String key, Path file, String mediaType) throws IOException {
        S3Settings.Location location = locate("PUT", key);
        try {
            s3.putObject(
                    PutObjectRequest.builder()
                            .bucket(location.bucket())
                            .key(location.s3Key(key))
                            .contentType(mediaType)
                            .build(),
                    RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw failure("PUT", location, key, e);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        S3Settings.Location location = locate("GET", key);
        try {
            return s3.getObject(GetObjectRequest.builder()
                    .bucket(location.bucket())
                    .key(location.s3Key(key))
                    .build());
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(key);
        } catch (SdkException e) {
            throw failure("GET", location, key, e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        S3Settings.Location location = locate("GET", key);
        try {
            s3.headObject(b -> b.bucket(location.bucket()).key(location.s3Key(key)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failure("HEAD", location, key, e);
        } catch (SdkException e) {
            throw failure("HEAD", location, key, e);
        }
    }

    @Override
    public boolean delete(String key) throws IOException {
        S3Settings.Location location = locate("DELETE", key);
        // S3 answers a delete the same whether or not the object was there.
        if (!exists(key)) {
            return false;
        }
        try {
            s3.deleteObject(b -> b.bucket(location.bucket()).key(location.s3Key(key)));
            return true;
        } catch (SdkException e) {
            throw failure("DELETE", location, key, e);
        }
    }

    /**
     * Lists the prefix page by page (1000 keys a page) and deletes each page with one multi-object delete, or key by
     * key where the store lacks it ({@code tessera.objectstore.s3.batch-delete=false}).
     */
    @Override
    public int deletePrefix(String prefix) throws IOException {
        ObjectKeys.requireValidPrefix(prefix);
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        requirePermitted(UrlSigner.DELETE_PREFIX, trimmed);
        S3Settings.Location location = settings.locationOf(prefix);
        String s3Prefix = location.s3Key(prefix);
        int deleted = 0;
        try {
            String continuation = null;
            do {
                ListObjectsV2Request.Builder list = ListObjectsV2Request.builder()
                        .bucket(location.bucket())
                        .prefix(s3Prefix)
                        .maxKeys(DELETE_BATCH);
                if (continuation != null) {
                    list.continuationToken(continuation);
                }
                ListObjectsV2Response page = s3.listObjectsV2(list.build());
                List<String> keys = page.contents().stream().map(S3Object::key).toList();
                deleted += deleteAll(location, keys);
                continuation = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (continuation != null);
        } catch (SdkException e) {
            throw failure("DELETE", location, prefix + "*", e);
        }
        return deleted;
    }

    private int deleteAll(S3Settings.Location location, List<String> keys) throws IOException {
        if (keys.isEmpty()) {
            return 0;
        }
        if (!settings.batchDelete()) {
            for (String key : keys) {
                s3.deleteObject(b -> b.bucket(location.bucket()).key(key));
            }
            return keys.size();
        }
        List<ObjectIdentifier> objects = new ArrayList<>(keys.size());
        for (String key : keys) {
            objects.add(ObjectIdentifier.builder().key(key).build());
        }
        DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(location.bucket())
                .delete(Delete.builder().objects(objects).quiet(true).build()));
        if (response.hasErrors() && !response.errors().isEmpty()) {
            var first = response.errors().getFirst();
            throw new IOException("S3 bucket " + location.bucket() + " refused to delete "
                    + response.errors().size()
                    + " of " + keys.size() + " objects, e.g. " + first.key() + ": " + first.code() + " "
                    + first.message());
        }
        return keys.size();
    }

    @Override
    public URI presignGet(String key, Duration ttl) {
        return presignGet(key, ttl, ResponseHeaders.NONE);
    }

    @Override
    public URI presignGet(String key, Duration ttl, ResponseHeaders headers) {
        S3Settings.Location location = locate("GET", key);
        GetObjectRequest.Builder get =
                GetObjectRequest.builder().bucket(location.bucket()).key(location.s3Key(key));
        if (headers.contentType() != null) {
            get.responseContentType(headers.contentType());
        }
        if (headers.contentDisposition() != null) {
            get.responseContentDisposition(headers.contentDisposition());
        }
        return uri(presigner
                .presignGetObject(b -> b.signatureDuration(lifetime(ttl)).getObjectRequest(get.build()))
                .url());
    }

    @Override
    public URI presignPut(String key, Duration ttl) {
        S3Settings.Location location = locate("PUT", key);
        return uri(presigner
                .presignPutObject(b -> b.signatureDuration(lifetime(ttl))
                        .putObjectRequest(p -> p.bucket(location.bucket()).key(location.s3Key(key))))
                .url());
    }

    /**
     * Lists one key of every bucket this service uses, under the prefix its scope works in, so that a missing bucket,
     * an endpoint that does not answer, or credentials the store refuses stop the service at start, naming the
     * setting to fix.
     */
    @Override
    public void checkAccess() {
        record Probe(S3Settings.Location location, String prefix, String setting) {}
        List<Probe> probes = new ArrayList<>();
        String ownPrefix = scope.map(s -> s.grants().getFirst().keyPrefix()).orElse("");
        probes.add(new Probe(settings.bucket(), ownPrefix, S3Settings.named(S3Settings.BUCKET)));
        if (scope.isEmpty() || scope.get().permits("GET", ObjectStores.UPLOADS)) {
            settings.uploadBuckets()
                    .forEach((organization, location) -> probes.add(new Probe(
                            location,
                            ObjectStores.UPLOADS + organization + "/",
                            S3Settings.named(S3Settings.UPLOAD_BUCKETS) + ", entry " + organization)));
        }
        for (Probe probe : probes) {
            S3Settings.Location location = probe.location();
            String prefix = probe.prefix().isEmpty()
                    ? (location.keyPrefix().isEmpty() ? "" : location.keyPrefix() + "/")
                    : location.s3Key(probe.prefix());
            try {
                s3.listObjectsV2(b -> b.bucket(location.bucket()).prefix(prefix).maxKeys(1));
            } catch (SdkException e) {
                throw new IllegalStateException(accessProblem(location, probe.setting(), e), e);
            }
        }
    }

    private String accessProblem(S3Settings.Location location, String setting, SdkException e) {
        String where = settings.endpoint()
                .map(URI::toString)
                .orElse("AWS S3 (" + settings.region().orElse("default region") + ")");
        String credentials = settings.credentials().isPresent()
                ? S3Settings.named(S3Settings.ACCESS_KEY_ID) + " and " + S3Settings.named(S3Settings.SECRET_ACCESS_KEY)
                : "the default credentials chain (AWS_ACCESS_KEY_ID, web identity, instance role)";
        if (e instanceof NoSuchBucketException) {
            return "S3 bucket '" + location.bucket() + "' does not exist at " + where + ": check " + setting;
        }
        if (e instanceof S3Exception s3e && s3e.awsErrorDetails() != null) {
            String code = String.valueOf(s3e.awsErrorDetails().errorCode());
            if (code.equals("NoSuchBucket")) {
                return "S3 bucket '" + location.bucket() + "' does not exist at " + where + ": check " + setting;
            }
            if (CREDENTIAL_ERRORS.contains(code)) {
                return where + " refused this service's S3 credentials (" + code + "): check " + credentials;
            }
            if (code.equals("AccessDenied") || s3e.statusCode() == 403) {
                return "the S3 credentials from " + credentials + " may not list bucket '" + location.bucket()
                        + "' (" + setting + ") at " + where + " (" + code
                        + "); give this service the policy in deploy/README.md";
            }
            return where + " answered " + s3e.statusCode() + " " + code + " for bucket '" + location.bucket() + "' ("
                    + setting + ")";
        }
        if (e instanceof SdkClientException) {
            return "cannot reach the S3 store at " + where + ": " + e.getMessage() + "; check "
                    + S3Settings.named(S3Settings.ENDPOINT)
                    + (settings.endpoint().isEmpty() ? " and " + S3Settings.named(S3Settings.REGION) : "");
        }
        return where + " failed for bucket '" + location.bucket() + "' (" + setting + "): " + e.getMessage();
    }

    @Override
    public void close() {
        presigner.close();
        s3.close();
    }

    @Override
    public String toString() {
        return "S3ObjectStore[" + settings.bucket() + " at "
                + settings.endpoint().map(URI::toString).orElse("AWS S3") + ", scope "
                + scope.map(SigningScope::scopeName).orElse(ObjectStoreSettings.MASTER) + "]";
    }

    private S3Settings.Location locate(String method, String key) {
        ObjectKeys.requireValid(key);
        requirePermitted(method, key);
        return settings.locationOf(key);
    }

    private void requirePermitted(String method, String key) {
        scope.ifPresent(s -> {
            if (!s.permits(method, key)) {
                throw new IllegalArgumentException(
                        "the object store credentials of scope " + s.scopeName() + " cannot " + method + " " + key);
            }
        });
    }

    private static Duration lifetime(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_PRESIGN) > 0) {
            throw new IllegalArgumentException(
                    "an S3 presigned URL lives more than 0 s and at most " + MAX_PRESIGN + ", not " + ttl);
        }
        return ttl;
    }

    private static URI uri(java.net.URL url) {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the S3 presigner made an invalid URL: " + url, e);
        }
    }

    private IOException failure(String method, S3Settings.Location location, String key, SdkException e) {
        String detail = e instanceof S3Exception s3e && s3e.awsErrorDetails() != null
                ? s3e.statusCode() + " " + s3e.awsErrorDetails().errorCode()
                : e.getMessage();
        return new IOException(
                "S3 " + method + " " + location.bucket() + "/" + location.s3Key(key) + " failed: " + detail, e);
    }
}
