package org.tessera.objectstore;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The two things every small JDK HTTP server of the platform needs: reading the query, writing a text answer. */
public final class HttpExchanges {

    private HttpExchanges() {}

    /** The decoded query parameters of the request (a repeated name keeps its last value; a bare name maps to ""). */
    public static Map<String, String> query(HttpExchange exchange) {
        return query(exchange.getRequestURI().getRawQuery());
    }

    public static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(
                    URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }

    /** Answers with a UTF-8 body of the media type; no body for HEAD, 204 or an empty text. */
    public static void respond(HttpExchange exchange, int status, String mediaType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", mediaType + "; charset=utf-8");
        boolean noBody = bytes.length == 0 || exchange.getRequestMethod().equals("HEAD") || status == 204;
        exchange.sendResponseHeaders(status, noBody ? -1 : bytes.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
