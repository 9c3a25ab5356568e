package org.tessera.worker.manifest;

import java.util.ArrayList;
import java.util.List;
import org.tessera.contracts.manifest.ModelOutput;
import org.tessera.models.classes.MapClass;

/**
 * A class a manifest names, as the platform's writers take classes: its value (position in the manifest, the model's
 * channel) and how viewers show it.
 */
record ManifestClass(int ordinal, Display display) implements MapClass {

    static List<MapClass> of(ModelOutput output) {
        List<MapClass> classes = new ArrayList<>();
        for (int i = 0; i < output.classes().size(); i++) {
            ModelOutput.OutputClass c = output.classes().get(i);
            classes.add(new ManifestClass(i, new Display(c.name(), c.rgb())));
        }
        return List.copyOf(classes);
    }
}
