package org.tessera.orchestrator.application.persistence;

import java.time.Instant;

/**
 * A row of {@code registered_application_version}.
 *
 * @param manifestJson the manifest as registered, each model with its object key
 * @param registeredBy the super-admin; null when it came from the manifest folder
 */
public record RegisteredVersionRow(
        String applicationId, String versionNumber, String manifestJson, Instant registeredAt, String registeredBy) {}
