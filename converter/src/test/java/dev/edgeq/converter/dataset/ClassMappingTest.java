package dev.edgeq.converter.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassMappingTest {
    private static final List<String> MODEL = DatasetSpec.FASHION_MNIST_LABELS;

    private static LabeledImages classes(boolean fromNames, String... names) {
        return new LabeledImages() {
            @Override public int size() { return 0; }
            @Override public int height() { return 1; }
            @Override public int width() { return 1; }
            @Override public int channels() { return 1; }
            @Override public List<String> classNames() { return List.of(names); }
            @Override public int label(int index) { return 0; }
            @Override public void pixels(int index, byte[] dst, int offset) { }
            @Override public String description() { return "test"; }
            @Override public boolean labelsFromNames() { return fromNames; }
        };
    }

    @Test
    void folderNamedAfterTheLabelsMatchByNameIgnoringCaseAndPunctuation() {
        // sorted folder names, as FolderImages gives them
        ClassMapping m = ClassMapping.of(classes(true, "Ankle boot", "bag", "t-shirt_top", "trouser"), MODEL, 10);
        assertTrue(m.byName());
        assertNull(m.warning());
        assertArrayEquals(new int[] {9, 8, 0, 1}, m.toModel());
    }

    @Test
    void unmatchedFolderNamesFallBackToSortedOrderWithAWarningNamingThem() {
        ClassMapping m = ClassMapping.of(classes(true, "Bag", "mug", "shoe"), MODEL, 10);
        assertFalse(m.byName());
        assertArrayEquals(new int[] {0, 1, 2}, m.toModel());
        assertTrue(m.warning().contains("[mug, shoe]") && m.warning().contains("Bag -> T-shirt/top"), m.warning());
    }

    @Test
    void idxLabelsAreTheTruthAndNeedNoWarning() {
        ClassMapping m = ClassMapping.of(classes(false, "x", "y"), MODEL, 10);
        assertFalse(m.byName());
        assertNull(m.warning());
        assertArrayEquals(new int[] {0, 1}, m.toModel());
    }
}
