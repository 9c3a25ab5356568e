package org.tessera.orchestrator.upload.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where the files of one upload go in the object store: {@code uploads/<organization>/<user>/<upload id>/<file name>},
 * so that a signed URL can only ever write below its own organization's and user's prefix. File names keep what the
 * object store allows ({@code [A-Za-z0-9._:=@+-]}); every other character becomes {@code _}.
 */
public final class UploadKeys {

    public static final String ROOT = "uploads";
    /** A run holds at most 500 slides; an upload never needs more. */
    public static final int MAX_FILES = 500;

    public static final int MAX_NAME_LENGTH = 255;

    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._:=@+-]");

    private UploadKeys() {}

    /** A planned object: the name the client gave and the key it is written to. */
    public record PlannedFile(String name, String key) {}

    /** What is wrong with one file name, by its position in the request. */
    public record NameProblem(int index, String type, String message) {}

    /** The plan, or the problems that stop it. */
    public record Plan(String prefix, List<PlannedFile> files, List<NameProblem> problems) {}

    public static Plan plan(String organizationId, String userId, UUID uploadId, List<String> names) {
        String prefix = ROOT + "/" + segment(organizationId) + "/" + segment(userId) + "/" + uploadId;
        List<PlannedFile> files = new ArrayList<>();
        List<NameProblem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null || name.isBlank()) {
                problems.add(new NameProblem(i, "missing", "a file name is required"));
                continue;
            }
            if (name.contains("/") || name.contains("\\")) {
                problems.add(new NameProblem(
                        i, "value_error", "file name '" + name + "' must be a name, not a path (no '/' or '\\')"));
                continue;
            }
            if (name.length() > MAX_NAME_LENGTH) {
                problems.add(new NameProblem(
                        i, "string_too_long", "file name longer than " + MAX_NAME_LENGTH + " characters"));
                continue;
            }
            String safe = segment(name);
            if (!seen.add(safe.toLowerCase(Locale.ROOT))) {
                problems.add(new NameProblem(
                        i, "value_error", "file name '" + name + "' appears twice in this upload (as '" + safe + "')"));
                continue;
            }
            files.add(new PlannedFile(name, prefix + "/" + safe));
        }
        return new Plan(prefix, files, problems);
    }

    /** One key segment: unsafe characters replaced, and never {@code .} or {@code ..}. */
    static String segment(String value) {
        String safe = UNSAFE.matcher(value).replaceAll("_");
        return safe.equals(".") || safe.equals("..") ? safe.replace('.', '_') : safe;
    }
}
