package org.tessera.cli.runs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.tessera.cli.CliException;
import org.tessera.cli.ExitCode;
import org.tessera.cli.slides.LocalSlide;

/** Uploads a slide with a plain PUT to its signed URL, as any client of an S3-like bucket would; retried once. */
final class SlideUploader {

    private final HttpClient http;

    SlideUploader(HttpClient http) {
        this.http = http;
    }

    void upload(URI signedPutUrl, LocalSlide slide) {
        IOException last = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(signedPutUrl)
                                .timeout(Duration.ofHours(1))
                                .header("Content-Type", slide.mediaType())
                                .PUT(HttpRequest.BodyPublishers.ofFile(slide.file()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    return;
                }
                if (response.statusCode() < 500) {
                    throw new CliException(
                            ExitCode.forHttpStatus(response.statusCode()),
                            "uploading " + slide.externalId() + ": the bucket answered " + response.statusCode() + " "
                                    + response.body().strip());
                }
            } catch (FileNotFoundException e) {
                throw new CliException(ExitCode.USAGE, "cannot read " + slide.file() + ": " + e.getMessage(), e);
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCode.INTERRUPTED, "interrupted while uploading " + slide.externalId());
            }
        }
        throw new CliException(
                ExitCode.UNAVAILABLE,
                "uploading " + slide.externalId() + " failed twice" + (last == null ? "" : ": " + last),
                last);
    }
}
