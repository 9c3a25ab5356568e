package org.tessera.viewer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tessera.models.classes.CellClass;
import org.tessera.models.classes.DisplayedClass;
import org.tessera.models.classes.MapClass;
import org.tessera.models.classes.QcClass;
import org.tessera.models.classes.TissueClass;

/** The classes of an output, with their colours, from the application's one definition of them. */
final class ViewerClasses {

    /** A class as the page's legend shows it; {@code value} is the map value, or the index in a features answer. */
    record Entry(int value, String name, String color) {}

    private ViewerClasses() {}

    /** The classes of the task that wrote {@code outputName}; empty for an unknown task. */
    static List<Entry> of(String outputName) {
        String task = outputName.contains(":") ? outputName.substring(0, outputName.indexOf(':')) : outputName;
        DisplayedClass[] classes = switch (task) {
            case "tissue_qc" -> QcClass.values();
            case "tissue_segmentation" -> TissueClass.values();
            case "cell_classification" -> CellClass.values();
            default -> new DisplayedClass[0];
        };
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < classes.length; i++) {
            DisplayedClass c = classes[i];
            if (c instanceof MapClass m && m.isBackground()) {
                continue;
            }
            entries.add(new Entry(c instanceof MapClass m ? m.value() : i, c.displayName(), hex(c.rgb())));
        }
        return entries;
    }

    static String hex(int rgb) {
        return String.format(Locale.ROOT, "#%06X", rgb & 0xFFFFFF);
    }
}
