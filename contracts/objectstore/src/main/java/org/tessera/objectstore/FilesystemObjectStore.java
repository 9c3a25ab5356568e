package org.tessera.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Objects as files under a root directory. Writes go to a temporary file in the target directory and are moved into
 * place atomically, so a reader never sees half an object and a repeated write replaces the previous one whole.
 */
public final class FilesystemObjectStore extends SigningObjectStore {

    private static final String PARTIAL_SUFFIX = ".partial";

    private final Path root;

    public FilesystemObjectStore(Path root, UrlSigner signer) {
        super(signer);
        try {
            this.root = Files.createDirectories(root).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create object store root " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    /** The file that holds the object with this key (whether or not it exists). */
    public Path pathOf(String key) {
        return root.resolve(ObjectKeys.requireValid(key));
    }

    @Override
    public void put(String key, Path file, String mediaType) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            write(key, in);
        }
    }

    /** Stores the stream's bytes under the key, atomically replacing any previous object. */
    public long write(String key, InputStream in) throws IOException {
        Path target = pathOf(key);
        Files.createDirectories(target.getParent());
        Path partial =
                Files.createTempFile(target.getParent(), target.getFileName().toString(), PARTIAL_SUFFIX);
        try {
            long size = Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return size;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        Path path = pathOf(key);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(key);
        }
        return Files.newInputStream(path);
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(pathOf(key));
    }

    @Override
    public boolean delete(String key) throws IOException {
        return Files.deleteIfExists(pathOf(key));
    }

    @Override
    public int deletePrefix(String prefix) throws IOException {
        ObjectKeys.requireValidPrefix(prefix);
        Path base = prefix.endsWith("/") ? root.resolve(prefix.substring(0, prefix.length() - 1)) : root;
        if (!Files.exists(base)) {
            return 0;
        }
        List<Path> doomed;
        try (Stream<Path> walk = Files.walk(base)) {
            doomed = walk.filter(Files::isRegularFile)
                    .filter(p -> root.relativize(p).toString().startsWith(prefix))
                    .toList();
        }
        int deleted = 0;
        for (Path path : doomed) {
            if (Files.deleteIfExists(path)) {
                deleted++;
            }
        }
        if (prefix.endsWith("/")) {
            try (Stream<Path> walk = Files.walk(base)) {
                for (Path dir : walk.sorted(Comparator.reverseOrder()).toList()) {
                    try (Stream<Path> children = Files.list(dir)) {
                        if (children.findAny().isEmpty()) {
                            Files.delete(dir);
                        }
                    }
                }
            }
        }
        return deleted;
    }
}
