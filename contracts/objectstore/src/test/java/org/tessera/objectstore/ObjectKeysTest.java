package org.tessera.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd", "a/../../b", "/absolute", "a//b", "a/./b", "a/b/", "a\\b", "", "a/b c?"})
    void keysThatCouldEscapeTheRootOrAreAmbiguousAreRejected(String key) {
        assertThatThrownBy(() -> ObjectKeys.requireValid(key)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"outputs/3f1c/9a2b/tissue_qc:geojson_polygons.geojson", "inputs/org-1/slide-1.svs", "a=b@c+d"})
    void ordinaryKeysAreAccepted(String key) {
        assertThat(ObjectKeys.requireValid(key)).isEqualTo(key);
    }
}
