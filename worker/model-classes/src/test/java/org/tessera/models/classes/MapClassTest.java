package org.tessera.models.classes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MapClassTest {

    @Test
    void mapValuesAreTheChannelOrderAndBackgroundComesFirst() {
        for (List<? extends MapClass> classes : List.of(List.of(QcClass.values()), List.of(TissueClass.values()))) {
            assertThat(classes.getFirst().isBackground()).isTrue();
            assertThat(classes.getFirst().displayName()).isEqualTo("Background");
            for (int i = 0; i < classes.size(); i++) {
                assertThat(classes.get(i).value()).isEqualTo(i);
            }
            assertThat(classes.stream().skip(1)).noneMatch(MapClass::isBackground);
        }
        assertThat(QcClass.of(QcClass.PEN_MARK.value())).isSameAs(QcClass.PEN_MARK);
        assertThat(TissueClass.of(TissueClass.NECROSIS.value())).isSameAs(TissueClass.NECROSIS);
    }

    @Test
    void coloursSplitIntoChannels() {
        assertThat(List.of(QcClass.PEN_MARK.red(), QcClass.PEN_MARK.green(), QcClass.PEN_MARK.blue()))
                .containsExactly(0x2E, 0x8B, 0x57);
    }
}
