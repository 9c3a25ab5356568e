package org.tessera.dicom;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed data set: elements in file order. Lookups are linear, which beats a hash map for the handful of elements
 * of a functional-group item and costs nothing noticeable for the top level.
 */
final class Attributes {

    /**
     * @param vr the VR from the file, or from the dictionary for Implicit VR
     * @param value the value bytes, or {@code null} for sequences and for values too large to keep
     * @param items a sequence's items, else empty
     */
    record Element(int tag, String vr, byte[] value, List<Attributes> items) {}

    private final List<Element> elements = new ArrayList<>();

    void add(Element element) {
        elements.add(element);
    }

    boolean contains(int tag) {
        return find(tag) != null;
    }

    Element find(int tag) {
        for (Element element : elements) {
            if (element.tag() == tag) {
                return element;
            }
        }
        return null;
    }

    List<Attributes> sequence(int tag) {
        Element element = find(tag);
        return element == null ? List.of() : element.items();
    }

    /** The first item of a sequence, or {@code null}. */
    Attributes item(int tag) {
        List<Attributes> items = sequence(tag);
        return items.isEmpty() ? null : items.getFirst();
    }

    /** A string value with padding removed, or {@code null} when absent. */
    String string(int tag) {
        Element element = find(tag);
        if (element == null || element.value() == null) {
            return null;
        }
        String text = new String(element.value(), StandardCharsets.ISO_8859_1);
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        while (start < end && text.charAt(start) == ' ') {
            start++;
        }
        return text.substring(start, end);
    }

    /** The backslash-separated values of a string, empty when absent. */
    List<String> strings(int tag) {
        String text = string(tag);
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (String part : text.split("\\\\", -1)) {
            values.add(part.trim());
        }
        return values;
    }

    /** Decimal values (DS, or FL/FD), empty when absent or unparsable. */
    double[] decimals(int tag) {
        Element element = find(tag);
        if (element == null || element.value() == null) {
            return new double[0];
        }
        byte[] v = element.value();
        switch (element.vr()) {
            case "FL" -> {
                double[] values = new double[v.length / 4];
                for (int i = 0; i < values.length; i++) {
                    values[i] = Float.intBitsToFloat((int) le(v, 4 * i, 4));
                }
                return values;
            }
            case "FD" -> {
                double[] values = new double[v.length / 8];
                for (int i = 0; i < values.length; i++) {
                    values[i] = Double.longBitsToDouble(le(v, 8 * i, 8));
                }
                return values;
            }
            default -> {
                List<String> texts = strings(tag);
                double[] values = new double[texts.size()];
                try {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = Double.parseDouble(texts.get(i));
                    }
                } catch (NumberFormatException e) {
                    return new double[0];
                }
                return values;
            }
        }
    }

    /**
     * An integer value read by its VR (US, UL, SS, SL, IS, UV, SV), or {@code fallback} when absent. Throws
     * NumberFormatException for a malformed IS.
     */
    long integer(int tag, long fallback) {
        Element element = find(tag);
        if (element == null || element.value() == null || element.value().length == 0) {
            return fallback;
        }
        byte[] v = element.value();
        return switch (element.vr()) {
            case "US" -> v.length >= 2 ? le(v, 0, 2) : fallback;
            case "SS" -> v.length >= 2 ? (short) le(v, 0, 2) : fallback;
            case "UL" -> v.length >= 4 ? le(v, 0, 4) : fallback;
            case "SL" -> v.length >= 4 ? (int) le(v, 0, 4) : fallback;
            case "UV", "SV" -> v.length >= 8 ? le(v, 0, 8) : fallback;
            case "IS", "DS" -> {
                String text = strings(tag).getFirst();
                yield text.isEmpty() ? fallback : Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
            }
            default -> fallback;
        };
    }

    /** An OV value (64-bit unsigned integers), or {@code null}. */
    long[] longs(int tag) {
        Element element = find(tag);
        if (element == null || element.value() == null) {
            return null;
        }
        byte[] v = element.value();
        long[] values = new long[v.length / 8];
        for (int i = 0; i < values.length; i++) {
            values[i] = le(v, 8 * i, 8);
        }
        return values;
    }

    static long le(byte[] bytes, int offset, int count) {
        long value = 0;
        for (int i = count - 1; i >= 0; i--) {
            value = value << 8 | (bytes[offset + i] & 0xFFL);
        }
        return value;
    }
}
