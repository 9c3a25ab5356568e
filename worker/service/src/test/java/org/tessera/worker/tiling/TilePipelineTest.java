package org.tessera.worker.tiling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// The timeouts only turn a deadlock into a failure; nothing here measures speed.
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TilePipelineTest {

    private static List<Tile> tiles(int n) {
        List<Tile> tiles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tiles.add(new Tile(i, 0, i * 10L, 0, 10, 10, new Tile.Region(0, i * 10L, 0, 10, 10)));
        }
        return tiles;
    }

    @Test
    void everyTileIsDecodedInferredAndPostProcessedExactlyOnce() throws Exception {
        Map<Integer, Integer> outputs = new ConcurrentHashMap<>();
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        AtomicLong lastProgress = new AtomicLong();

        new TilePipeline<Integer, Integer>(3, 8, 2, 16)
                .run(
                        tiles(101),
                        tile -> tile.column() * 2,
                        batch -> {
                            batchSizes.add(batch.size());
                            return batch.stream().map(d -> d.input() + 1).toList();
                        },
                        (tile, output) ->
                                assertThat(outputs.put(tile.column(), output)).isNull(),
                        (done, total) -> {
                            assertThat(total).isEqualTo(101);
                            lastProgress.accumulateAndGet(done, Math::max);
                        });

        assertThat(outputs).hasSize(101);
        outputs.forEach((column, output) -> assertThat(output).isEqualTo(column * 2 + 1));
        assertThat(batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 8));
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(101);
        assertThat(lastProgress).hasValue(101);
    }

    @Test
    void decodedTilesWaitingForInferenceStayBounded() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        int decoders = 2;
        int batch = 4;
        int capacity = 8;

        new TilePipeline<Integer, Integer>(decoders, batch, 1, capacity)
                .run(
                        tiles(200),
                        tile -> {
                            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                            return tile.column();
                        },
                        inputs -> {
                            Thread.sleep(2); // a slow model: decoders must wait for it, not run ahead
                            inFlight.addAndGet(-inputs.size());
                            return inputs.stream()
                                    .map(TilePipeline.Decoded::input)
                                    .toList();
                        },
                        (tile, output) -> {},
                        (done, total) -> {});

        // Queue + the batch being assembled + one tile in each decoder's hands.
        assertThat(peak.get()).isLessThanOrEqualTo(capacity + batch + decoders);
    }

    @Test
    void aDecodeFailureStopsThePipelineAndIsRethrown() {
        AtomicInteger postProcessed = new AtomicInteger();

        assertThatThrownBy(() -> new TilePipeline<Integer, Integer>(2, 4, 2, 8)
                        .run(
                                tiles(1_000),
                                tile -> {
                                    if (tile.column() == 37) {
                                        throw new IOException("tile 37 is corrupt");
                                    }
                                    return tile.column();
                                },
                                inputs -> inputs.stream()
                                        .map(TilePipeline.Decoded::input)
                                        .toList(),
                                (tile, output) -> postProcessed.incrementAndGet(),
                                (done, total) -> {}))
                .isInstanceOf(IOException.class)
                .hasMessage("tile 37 is corrupt");
        assertThat(postProcessed.get()).isLessThan(1_000);
    }

    @Test
    void inferenceAndPostProcessingFailuresAreRethrown() {
        assertThatThrownBy(() -> new TilePipeline<Integer, Integer>(1, 4, 1, 8)
                        .run(
                                tiles(50),
                                Tile::column,
                                inputs -> {
                                    throw new IllegalStateException("model failed");
                                },
                                (tile, output) -> {},
                                (done, total) -> {}))
                .hasMessage("model failed");
        assertThatThrownBy(() -> new TilePipeline<Integer, Integer>(1, 4, 2, 8)
                        .run(
                                tiles(50),
                                Tile::column,
                                inputs -> inputs.stream()
                                        .map(TilePipeline.Decoded::input)
                                        .toList(),
                                (tile, output) -> {
                                    throw new IOException("disk full");
                                },
                                (done, total) -> {}))
                .hasMessage("disk full");
    }

    @Test
    void aModelThatLosesOutputsIsCaught() {
        assertThatThrownBy(() -> new TilePipeline<Integer, Integer>(1, 4, 1, 8)
                        .run(tiles(10), Tile::column, inputs -> List.of(1), (tile, output) -> {}, (d, t) -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 outputs for 4 tiles");
    }

    @Test
    void noTilesMeansNoInference() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        new TilePipeline<Integer, Integer>(2, 4, 2, 8)
                .run(
                        List.of(),
                        Tile::column,
                        inputs -> {
                            calls.incrementAndGet();
                            return List.of();
                        },
                        (tile, output) -> {},
                        (d, t) -> {});
        assertThat(calls).hasValue(0);
    }

    @Test
    void invalidSizesAreRefused() {
        assertThatThrownBy(() -> new TilePipeline<Integer, Integer>(0, 4, 1, 8)).hasMessageContaining("need >= 1");
        assertThatThrownBy(() -> new TilePipeline<Integer, Integer>(1, 8, 1, 4)).hasMessageContaining("queue >= batch");
    }
}
