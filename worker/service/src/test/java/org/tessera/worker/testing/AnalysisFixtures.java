package org.tessera.worker.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.imaging.synthetic.SyntheticSlideOptions;
import org.tessera.worker.inference.InferenceEngine;

/** What the analysis tests run on: a generated slide with every artefact, and engines on the CPU. */
public final class AnalysisFixtures {

    private AnalysisFixtures() {}

    /** A 2048² Aperio SVS at 0.5 µm/px with tissue of every class, a pen stroke over tissue, a fold and blur. */
    public static SyntheticSlide slideWithArtefacts(Path dir) throws IOException {
        return SyntheticSlideGenerator.generate(
                dir.resolve("slide.svs"),
                2048,
                2048,
                0.5,
                909,
                SyntheticSlideOptions.svs().withArtefacts(true));
    }

    public static InferenceEngine cpu(int batchSize, int threads) {
        return InferenceEngine.create(new InferenceEngine.Settings(InferenceEngine.Provider.CPU, batchSize, threads));
    }
}
