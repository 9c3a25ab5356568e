package org.tessera.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @Test
    void deletesATreeAndLeavesItsSiblings(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root/a/b"));
        Files.writeString(root.resolve("deep.txt"), "x");
        Files.writeString(dir.resolve("root/top.txt"), "y");
        Path sibling = Files.writeString(dir.resolve("sibling.txt"), "z");

        FileTrees.deleteRecursively(dir.resolve("root"));

        assertThat(dir.resolve("root")).doesNotExist();
        assertThat(sibling).exists();
    }

    @Test
    void aMissingRootIsNothingToDo(@TempDir Path dir) throws Exception {
        FileTrees.deleteRecursively(dir.resolve("absent"));
        assertThat(dir).exists();
    }
}
