package org.tessera.orchestrator.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.tessera.orchestrator.common.RunChanges;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.api.Page;
import org.tessera.orchestrator.common.api.QueryParams;
import org.tessera.orchestrator.common.persistence.SqlCondition;
import org.tessera.orchestrator.item.persistence.ItemQuery;
import org.tessera.orchestrator.run.RunReads;
import org.tessera.orchestrator.run.RunVisibility;
import org.tessera.orchestrator.run.persistence.RunQuery;
import org.tessera.orchestrator.tenancy.Caller;
import org.tessera.orchestrator.tenancy.Directory;

/**
 * {@code GET /api/dashboard/v1/events}: the dashboard's push channel (Server-Sent Events). It sends the caller's runs
 * ({@code runs} event: the latest 50, as {@code GET /v1/runs} shows them, statistics included) and, with
 * {@code run_id}, that run and its items with their tile progress ({@code run} and {@code items} events), each time
 * they change: at once after this replica applied worker events, otherwise within a second (what other replicas and
 * other paths changed). Only what changed is sent again. Visibility is the API's: the same reads, the same
 * caller, the same share token. The stream ends when the caller's token expires (at most after 30
 * minutes); the client reconnects with a fresh token. A browser's EventSource
 * cannot send the bearer token, so the dashboard reads this with fetch() and a streamed body.
 */
@Path("/api/dashboard/v1/events")
public class RunEventsResource {

    private static final Logger LOG = Logger.getLogger(RunEventsResource.class);
    private static final int RUNS = 50;
    private static final int ITEMS = 500;
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Duration MAX_LIFETIME = Duration.ofMinutes(30);

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    RunReads reads;

    @Inject
    RunVisibility visibility;

    @Inject
    RunChanges changes;

    @Inject
    ObjectMapper mapper;

    @Inject
    Clock clock;

    /** What one stream watches; decided, with the caller, before the stream starts. */
    private record Watch(Caller caller, SqlCondition runScope, UUID runId, String shareToken, Instant until) {}

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(
            @QueryParam("runs") String runs,
            @QueryParam("run_id") String runId,
            @QueryParam("share_token") String shareToken,
            @Context SseEventSink sink,
            @Context Sse sse)
            throws SQLException {
        Caller caller = directory.caller(token);
        SqlCondition scope = switch (runs == null || runs.isBlank() ? "mine" : runs) {
            case "mine" -> visibility.listScope(caller, null, null, null);
            case "readable" -> visibility.listScope(caller, null, RunVisibility.MY_ORG, null);
            case "organization" -> visibility.listScope(caller, null, null, caller.organizationId());
            case "none" -> null;
            default ->
                throw new ApiException(
                        422, "DASHBOARD.INVALID_RUNS", "runs: one of mine, readable, organization, none; got " + runs);
        };
        UUID run = runId == null || runId.isBlank() ? null : QueryParams.uuidPath("run_id", runId);
        if (run != null) {
            reads.run(run, caller, shareToken); // 404 now, before the stream starts, for a run the caller cannot read
        }
        Instant until = clock.instant().plus(MAX_LIFETIME);
        if (token.getExpirationTime() > 0) {
            Instant expires = Instant.ofEpochSecond(token.getExpirationTime());
            until = expires.isBefore(until) ? expires : until;
        }
        Watch watch = new Watch(caller, scope, run, shareToken, until);
        // A platform thread of its own: a stream blocks for up to 30 minutes, and must not wait for a carrier that
        // other work holds when the cores are few.
        Thread.ofPlatform().daemon().name("dashboard-events-" + caller.userId()).start(() -> stream(watch, sink, sse));
    }

    private void stream(Watch watch, SseEventSink sink, Sse sse) {
        String sentRuns = null;
        String sentRun = null;
        String sentItems = null;
        Instant lastSent = clock.instant();
        try (sink) {
            send(sink, sse.newEventBuilder().name("hello").data("{}").build());
            while (!sink.isClosed() && clock.instant().isBefore(watch.until())) {
                long generation = changes.generation();
                if (watch.runScope() != null) {
                    String runs = json(reads.runs(
                            new RunQuery(watch.runScope(), null, null, null, null, List.of(), new Page(1, RUNS))));
                    if (!runs.equals(sentRuns)) {
                        send(sink, sse.newEventBuilder().name("runs").data(runs).build());
                        sentRuns = runs;
                        lastSent = clock.instant();
                    }
                }
                if (watch.runId() != null) {
                    String run = json(reads.run(watch.runId(), watch.caller(), watch.shareToken()));
                    if (!run.equals(sentRun)) {
                        send(sink, sse.newEventBuilder().name("run").data(run).build());
                        sentRun = run;
                        lastSent = clock.instant();
                    }
                    String items = json(reads.items(
                            new ItemQuery(watch.runId(), null, null, null, null, List.of(), new Page(1, ITEMS)),
                            watch.caller(),
                            watch.shareToken()));
                    if (!Objects.equals(items, sentItems)) {
                        send(
                                sink,
                                sse.newEventBuilder().name("items").data(items).build());
                        sentItems = items;
                        lastSent = clock.instant();
                    }
                }
                if (Duration.between(lastSent, clock.instant()).compareTo(KEEP_ALIVE) >= 0) {
                    send(sink, sse.newEventBuilder().comment("keep-alive").build());
                    lastSent = clock.instant();
                }
                changes.await(generation, TICK);
            }
            if (!sink.isClosed()) {
                send(sink, sse.newEventBuilder().name("expired").data("{}").build());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ApiException e) {
            // The run became unreadable (a grant revoked, the user removed): the client is told and the stream ends.
            trySend(
                    sink,
                    sse.newEventBuilder()
                            .name("gone")
                            .data("{\"code\":\"" + e.code() + "\"}")
                            .build());
        } catch (ClosedStream e) {
            // The client went away.
        } catch (RuntimeException | SQLException e) {
            LOG.warnf(e, "dashboard event stream of %s ended", watch.caller().userId());
        }
    }

    private static final class ClosedStream extends RuntimeException {
        ClosedStream(Throwable cause) {
            super(cause);
        }
    }

    private static void send(SseEventSink sink, OutboundSseEvent event) {
        try {
            sink.send(event).toCompletableFuture().join();
        } catch (RuntimeException e) {
            throw new ClosedStream(e);
        }
    }

    private static void trySend(SseEventSink sink, OutboundSseEvent event) {
        try {
            send(sink, event);
        } catch (ClosedStream e) {
            // nothing to tell a client that left
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
