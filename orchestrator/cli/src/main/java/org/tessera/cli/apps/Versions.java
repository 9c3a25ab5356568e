package org.tessera.cli.apps;

import java.util.Comparator;
import java.util.List;

/** Semantic versions, compared as the API's clients do to pick the highest one when none is given. */
public final class Versions {

    private Versions() {}

    public static String highest(List<String> versions) {
        return versions.stream().max(Versions::compare).orElseThrow();
    }

    /** Numeric parts compare as numbers; a pre-release ({@code -rc1}) comes before its release. */
    static int compare(String a, String b) {
        String[] left = core(a).split("\\.");
        String[] right = core(b).split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            long l = i < left.length ? number(left[i]) : 0;
            long r = i < right.length ? number(right[i]) : 0;
            if (l != r) {
                return Long.compare(l, r);
            }
        }
        boolean leftPre = a.contains("-");
        boolean rightPre = b.contains("-");
        if (leftPre != rightPre) {
            return leftPre ? -1 : 1;
        }
        return Comparator.<String>naturalOrder().compare(a, b);
    }

    private static String core(String version) {
        int dash = version.indexOf('-');
        String withoutPre = dash < 0 ? version : version.substring(0, dash);
        int plus = withoutPre.indexOf('+');
        return plus < 0 ? withoutPre : withoutPre.substring(0, plus);
    }

    private static long number(String part) {
        try {
            return Long.parseLong(part);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
