package org.tessera.viewer;

import java.nio.charset.StandardCharsets;

/**
 * One answer of the viewer API, for whichever HTTP server carries it.
 *
 * @param cacheable whether the browser may keep it (tiles and overlays of an item do not change)
 */
public record ViewerResponse(int status, String contentType, byte[] body, boolean cacheable) {

    public static final String JSON = "application/json";

    /** The JSON error body the page shows: {@code {"code": ..., "message": ...}}. */
    public static ViewerResponse error(ViewerException e) {
        String body = "{\"code\":" + quote(e.code()) + ",\"message\":" + quote(e.getMessage()) + "}";
        return new ViewerResponse(e.status(), JSON, body.getBytes(StandardCharsets.UTF_8), false);
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : (text == null ? "" : text).toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
