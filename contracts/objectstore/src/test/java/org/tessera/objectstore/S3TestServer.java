package org.tessera.objectstore;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;

/**
 * A real S3 API (s3proxy over jclouds' in-memory blob store) on a free loopback port, with SigV4 authentication and
 * one access key, for tests of {@link S3ObjectStore}.
 */
final class S3TestServer implements AutoCloseable {

    static final String ACCESS_KEY_ID = "tessera-test-access";
    static final String SECRET_ACCESS_KEY = "tessera-test-secret-0123456789";

    private final BlobStoreContext context;
    private final S3Proxy proxy;

    private S3TestServer(BlobStoreContext context, S3Proxy proxy) {
        this.context = context;
        this.proxy = proxy;
    }

    static S3TestServer start(String... buckets) throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder("transient")
                .credentials("unused", "unused")
                .build(BlobStoreContext.class);
        for (String bucket : buckets) {
            context.getBlobStore().createContainerInLocation(null, bucket);
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
                // The SDK signs multi-object deletes with Content-MD5 and also x-amz-checksum-crc32, a header
                // AWS, MinIO and Ceph accept and s3proxy refuses unless told to ignore headers it does not know.
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        return new S3TestServer(context, proxy);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    BlobStore blobs() {
        return context.getBlobStore();
    }

    /** Every key in the bucket, read from the blob store behind the API. */
    List<String> keys(String bucket) {
        List<String> keys = new ArrayList<>();
        String marker = null;
        do {
            ListContainerOptions options = ListContainerOptions.Builder.recursive();
            if (marker != null) {
                options.afterMarker(marker);
            }
            var page = blobs().list(bucket, options);
            for (StorageMetadata metadata : page) {
                keys.add(metadata.getName());
            }
            marker = page.getNextMarker();
        } while (marker != null);
        return keys;
    }

    /** Settings that reach this server with its access key, path-style, as for MinIO or Ceph. */
    S3Settings settings(String bucket) {
        return S3Settings.of(bucket)
                .withEndpoint(endpoint(), true)
                .withRegion("us-east-1")
                .withCredentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the S3 test server", e);
        } finally {
            context.close();
        }
    }
}
