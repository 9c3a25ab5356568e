package org.tessera.cli.view;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Shows a local slide in the platform's viewer, optionally with a run's results over it. Implementations (the
 * embeddable tile server and viewer page) are found with {@link java.util.ServiceLoader}; a build without one says so.
 */
public interface SlideViewer {

    /**
     * What the viewer needs to show a slide.
     *
     * @param runId a run whose results for this slide are overlaid, if any
     * @param apiUrl and {@code token}: where to fetch those results
     */
    record Request(Path slide, Optional<String> runId, URI apiUrl, Supplier<String> token, int port) {}

    /** Serves the slide and returns the page to open; the server runs until the process ends. */
    URI serve(Request request) throws Exception;
}
