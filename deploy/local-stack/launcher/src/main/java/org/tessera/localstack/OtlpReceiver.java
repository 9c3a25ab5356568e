package org.tessera.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A small OTLP/HTTP trace receiver on loopback ({@code POST /v1/traces}, protobuf), standing in for the collector in
 * tests and benchmarks: the services export their spans to it exactly as they would to the OpenTelemetry Collector.
 * It decodes the protobuf wire format of {@code ExportTraceServiceRequest} itself, as far as spans go: resource
 * attributes (the service name), and each span's ids, name, kind, start and end, attributes and status.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** OTLP span kinds. */
    public static final int INTERNAL = 1;

    public static final int SERVER = 2;
    public static final int PRODUCER = 4;
    public static final int CONSUMER = 5;

    /** One received span; ids in lower-case hex, the parent id empty for a root; times in Unix nanoseconds. */
    public record ReceivedSpan(
            String service,
            String traceId,
            String spanId,
            String parentSpanId,
            String name,
            int kind,
            long startNanos,
            long endNanos,
            Map<String, Object> attributes,
            int statusCode) {

        public String attribute(String key) {
            Object value = attributes.get(key);
            return value == null ? null : value.toString();
        }

        public long longAttribute(String key) {
            return attributes.get(key) instanceof Long value ? value : -1;
        }

        public double seconds() {
            return (endNanos - startNanos) / 1e9;
        }

        @Override
        public String toString() {
            return service + ":" + name + " [" + spanId + " <- " + parentSpanId + "]";
        }
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    public static OtlpReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        OtlpReceiver receiver = new OtlpReceiver(server);
        server.createContext("/v1/traces", receiver::handle);
        server.start();
        return receiver;
    }

    /** The base URL to configure as {@code quarkus.otel.exporter.otlp.traces.endpoint}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * The settings that make a Quarkus service export its spans here over OTLP/HTTP, in small quick batches (for
     * {@link StackOptions#withOrchestratorConfig} and {@link StackOptions#withWorkerConfig}).
     */
    public Map<String, String> exportSettings() {
        return Map.of(
                "quarkus.otel.exporter.otlp.traces.endpoint", endpoint(),
                "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                "quarkus.otel.bsp.schedule.delay", "PT0.2S");
    }

    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    public List<ReceivedSpan> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    /** Requests that could not be decoded (a test should expect none). */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** What arrived, for failure messages: span count and names per service. */
    @Override
    public String toString() {
        return spans.size() + " spans: "
                + spans.stream()
                        .map(span -> span.service() + ":" + span.name())
                        .distinct()
                        .sorted()
                        .toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try (InputStream in =
                    "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                            ? new GZIPInputStream(exchange.getRequestBody())
                            : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            try {
                spans.addAll(exportRequest(new Wire(body)));
            } catch (RuntimeException e) {
                problems.add(e.toString());
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            // An empty ExportTraceServiceResponse: everything accepted.
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        } finally {
            exchange.close();
        }
    }

    private static List<ReceivedSpan> exportRequest(Wire request) {
        List<ReceivedSpan> received = new ArrayList<>();
        while (request.more()) {
            int field = request.tag();
            if (field == 1) {
                received.addAll(resourceSpans(request.message()));
            } else {
                request.skip();
            }
        }
        return received;
    }

    private static List<ReceivedSpan> resourceSpans(Wire resourceSpans) {
        Map<String, Object> resource = Map.of();
        List<Wire> scopes = new ArrayList<>();
        while (resourceSpans.more()) {
            switch (resourceSpans.tag()) {
                case 1 -> resource = attributesOf(resourceSpans.message());
                case 2 -> scopes.add(resourceSpans.message());
                default -> resourceSpans.skip();
            }
        }
        String service = String.valueOf(resource.get("service.name"));
        List<ReceivedSpan> received = new ArrayList<>();
        for (Wire scope : scopes) {
            while (scope.more()) {
                if (scope.tag() == 2) {
                    received.add(span(service, scope.message()));
                } else {
                    scope.skip();
                }
            }
        }
        return received;
    }

    /** The attributes (field 1, repeated KeyValue) of a Resource. */
    private static Map<String, Object> attributesOf(Wire resource) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        while (resource.more()) {
            if (resource.tag() == 1) {
                keyValue(resource.message(), attributes);
            } else {
                resource.skip();
            }
        }
        return attributes;
    }

    private static ReceivedSpan span(String service, Wire span) {
        String traceId = "";
        String spanId = "";
        String parentId = "";
        String name = "";
        int kind = 0;
        long start = 0;
        long end = 0;
        int status = 0;
        Map<String, Object> attributes = new LinkedHashMap<>();
        while (span.more()) {
            switch (span.tag()) {
                case 1 -> traceId = HexFormat.of().formatHex(span.bytes());
                case 2 -> spanId = HexFormat.of().formatHex(span.bytes());
                case 4 -> parentId = HexFormat.of().formatHex(span.bytes());
                case 5 -> name = span.string();
                case 6 -> kind = (int) span.varint();
                case 7 -> start = span.fixed64();
                case 8 -> end = span.fixed64();
                case 9 -> keyValue(span.message(), attributes);
                case 15 -> status = statusCode(span.message());
                default -> span.skip();
            }
        }
        return new ReceivedSpan(
                service, traceId, spanId, parentId, name, kind, start, end, Map.copyOf(attributes), status);
    }

    private static int statusCode(Wire status) {
        int code = 0;
        while (status.more()) {
            if (status.tag() == 3) {
                code = (int) status.varint();
            } else {
                status.skip();
            }
        }
        return code;
    }

    /** A KeyValue: string key (1), AnyValue (2) of which strings, booleans, integers and doubles are kept. */
    private static void keyValue(Wire keyValue, Map<String, Object> into) {
        String key = null;
        Object value = null;
        while (keyValue.more()) {
            switch (keyValue.tag()) {
                case 1 -> key = keyValue.string();
                case 2 -> value = anyValue(keyValue.message());
                default -> keyValue.skip();
            }
        }
        if (key != null && value != null) {
            into.put(key, value);
        }
    }

    private static Object anyValue(Wire value) {
        Object result = null;
        while (value.more()) {
            switch (value.tag()) {
                case 1 -> result = value.string();
                case 2 -> result = value.varint() != 0;
                case 3 -> result = value.varint();
                case 4 -> result = Double.longBitsToDouble(value.fixed64());
                default -> value.skip();
            }
        }
        return result;
    }

    /** Reads the protobuf wire format: tags, varints, fixed64 and length-delimited fields. */
    private static final class Wire {
        private final ByteBuffer buffer;
        private int wireType;

        Wire(byte[] bytes) {
            this(ByteBuffer.wrap(bytes));
        }

        private Wire(ByteBuffer buffer) {
            this.buffer = buffer.order(ByteOrder.LITTLE_ENDIAN);
        }

        boolean more() {
            return buffer.hasRemaining();
        }

        /** The next field's number; its wire type is kept for the read that follows. */
        int tag() {
            long tag = varint();
            wireType = (int) (tag & 7);
            return (int) (tag >>> 3);
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buffer.get();
                result |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return result;
                }
            }
            throw new IllegalStateException("malformed varint");
        }

        long fixed64() {
            return buffer.getLong();
        }

        byte[] bytes() {
            int length = Math.toIntExact(varint());
            byte[] bytes = new byte[length];
            buffer.get(bytes);
            return bytes;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        Wire message() {
            int length = Math.toIntExact(varint());
            ByteBuffer slice = buffer.slice(buffer.position(), length);
            buffer.position(buffer.position() + length);
            return new Wire(slice);
        }

        void skip() {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> buffer.position(buffer.position() + 8);
                case 2 -> {
                    // The length first: it moves the position the skip starts from.
                    int length = Math.toIntExact(varint());
                    buffer.position(buffer.position() + length);
                }
                case 5 -> buffer.position(buffer.position() + 4);
                default -> throw new IllegalStateException("unsupported wire type " + wireType);
            }
        }
    }
}
