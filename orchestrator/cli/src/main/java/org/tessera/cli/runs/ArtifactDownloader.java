package org.tessera.cli.runs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import org.tessera.cli.CliException;
import org.tessera.cli.ExitCode;
import org.tessera.contracts.Crc32c;

/**
 * Downloads one artifact into {@code <target>}, resumably: bytes go to {@code <target>.part}; a later attempt asks the
 * signed URL for the rest only ({@code Range: bytes=<size of .part>-}) and starts over when the server answers the
 * whole file instead. The finished file's CRC32C must equal the artifact's checksum, or it is deleted and the download
 * fails; only then is it renamed to its name. A file already there with the right checksum is not fetched again.
 */
public final class ArtifactDownloader {

    /** How a download ended. */
    public enum Outcome {
        DOWNLOADED,
        RESUMED,
        ALREADY_PRESENT
    }

    private final HttpClient http;

    ArtifactDownloader(HttpClient http) {
        this.http = http;
    }

    /**
     * @param signedUrl asked for just before the transfer, since signed URLs expire
     */
    Outcome download(Supplier<URI> signedUrl, String expectedChecksum, Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            if (Files.isRegularFile(target) && checksum(target).equals(expectedChecksum)) {
                return Outcome.ALREADY_PRESENT;
            }
            Path part = target.resolveSibling(target.getFileName() + ".part");
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            URI url = signedUrl.get();
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30)).GET();
            if (have > 0) {
                request.header("Range", "bytes=" + have + "-");
            }
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            boolean resumed;
            if (response.statusCode() == 206) {
                resumed = true;
            } else if (response.statusCode() == 416 && have > 0) {
                // The part already holds every byte: nothing left to fetch.
                response.body().close();
                resumed = true;
            } else if (response.statusCode() == 200) {
                resumed = false;
            } else {
                String body;
                try (InputStream in = response.body()) {
                    body = new String(in.readNBytes(2000), StandardCharsets.UTF_8);
                }
                throw new CliException(
                        ExitCode.forHttpStatus(response.statusCode()),
                        "GET " + url.getPath() + " (signed artifact URL): " + response.statusCode() + " "
                                + body.strip());
            }
            if (response.statusCode() != 416) {
                try (InputStream in = response.body();
                        OutputStream out = resumed
                                ? Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                                : Files.newOutputStream(part)) {
                    in.transferTo(out);
                }
            }
            String actual = checksum(part);
            if (!actual.equals(expectedChecksum)) {
                Files.deleteIfExists(part);
                throw new CliException(
                        ExitCode.INTEGRITY,
                        target.getFileName() + ": CRC32C " + actual + " does not match the artifact's checksum "
                                + expectedChecksum + "; the partial file was deleted, run the download again");
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return resumed ? Outcome.RESUMED : Outcome.DOWNLOADED;
        } catch (IOException e) {
            throw new CliException(
                    ExitCode.UNAVAILABLE,
                    "downloading " + target.getFileName() + " stopped (" + e.getMessage()
                            + "); run the download again to resume it",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.INTERRUPTED, "interrupted; run the download again to resume it");
        }
    }

    static String checksum(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return Crc32c.base64(crc.getValue());
    }
}
