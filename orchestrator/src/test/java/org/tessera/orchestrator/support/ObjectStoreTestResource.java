package org.tessera.orchestrator.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tessera.objectstore.FilesystemObjectStore;
import org.tessera.objectstore.ObjectStoreServer;
import org.tessera.objectstore.SigningScope;

/** A real object store server on a free loopback port, shared by the test JVM, for signed download URLs. */
public class ObjectStoreTestResource implements QuarkusTestResourceLifecycleManager {

    /** The server's master key; the orchestrator holds only the key derived for its scope. */
    public static final String SIGNING_KEY = "orchestrator-test-signing-key";

    private static ObjectStoreServer server;
    private static Path root;

    public static synchronized ObjectStoreServer server() {
        if (server == null) {
            try {
                root = Files.createTempDirectory("tessera-objects-");
                // The public URL must be known before the server picks a port, so take a free one first.
                int port;
                try (var socket = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
                    port = socket.getLocalPort();
                }
                URI publicUrl = URI.create("http://127.0.0.1:" + port);
                server =
                        ObjectStoreServer.start(root, SIGNING_KEY, new InetSocketAddress("127.0.0.1", port), publicUrl);
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "object-store-test-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }

    public static FilesystemObjectStore store() {
        return server().store();
    }

    @Override
    public Map<String, String> start() {
        ObjectStoreServer s = server();
        return Map.of(
                "tessera.objectstore.root",
                root.toString(),
                "tessera.objectstore.public-url",
                "http://127.0.0.1:" + s.port(),
                "tessera.objectstore.signing-key",
                SigningScope.ORCHESTRATOR.deriveKey(SIGNING_KEY),
                "tessera.objectstore.signing-scope",
                SigningScope.ORCHESTRATOR.scopeName());
    }

    @Override
    public void stop() {
        // Shared across test classes; stopped by the shutdown hook.
    }
}
