package org.tessera.objectstore;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP byte range ({@code Range: bytes=first-[last]} or {@code bytes=-suffix}), so that an interrupted download
 * resumes where it stopped. Several ranges in one header are not served: such a request gets the whole object, as
 * RFC 9110 allows.
 *
 * @param first the first byte served
 * @param last the last byte served, inclusive
 */
public record ByteRange(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /** The result of reading a {@code Range} header against an object of a given size. */
    public sealed interface Request {}

    /** No range asked for, or one not served: answer 200 with the whole object. */
    public record Whole() implements Request {}

    /** Answer 206 with these bytes. */
    public record Partial(ByteRange range) implements Request {}

    /** The range starts past the end: answer 416. */
    public record Unsatisfiable() implements Request {}

    public long length() {
        return last - first + 1;
    }

    /** {@code Content-Range} for a 206. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    public static Request parse(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        Matcher matcher = SINGLE.matcher(header.strip());
        if (!matcher.matches()
                || (matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
            return new Whole();
        }
        try {
            if (matcher.group(1).isEmpty()) {
                long suffix = Long.parseLong(matcher.group(2));
                if (suffix == 0 || size == 0) {
                    return new Unsatisfiable();
                }
                return new Partial(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(matcher.group(1));
            long last = matcher.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(matcher.group(2)), size - 1);
            if (first >= size) {
                return new Unsatisfiable();
            }
            if (last < first) {
                return new Whole();
            }
            return new Partial(new ByteRange(first, last));
        } catch (NumberFormatException e) {
            return new Whole();
        }
    }
}
