package org.tessera.worker.common;

import java.nio.file.Path;
import org.tessera.slides.SlideReader;
import org.tessera.slides.SlideReaders;

/**
 * Runs out of memory twice in a small heap and prints how each is classified: once decoding a slide whose one tile is
 * within the limits but larger than the heap, once in the worker's own code.
 */
public final class OutOfMemoryWhileDecoding {

    private OutOfMemoryWhileDecoding() {}

    /** @param args the slide */
    public static void main(String[] args) throws Exception {
        try (SlideReader reader = SlideReaders.builtIn().open(Path.of(args[0]), "whole_slide_image")) {
            reader.readPixels(0, 0, 0, 64, 64, new int[64 * 64]);
            System.out.println("decoding: no error");
        } catch (OutOfMemoryError e) {
            print("decoding", ItemFailure.of(e));
        }
        try {
            long[][] maps = new long[64][];
            for (int i = 0; i < maps.length; i++) {
                maps[i] = new long[16 << 20];
            }
            System.out.println("worker: no error " + maps.length);
        } catch (OutOfMemoryError e) {
            print("worker", ItemFailure.of(e));
        }
    }

    private static void print(String where, ItemFailure failure) {
        System.out.println(where + ": " + failure.kind() + " " + failure.code());
    }
}
