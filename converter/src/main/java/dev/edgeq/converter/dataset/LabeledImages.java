package dev.edgeq.converter.dataset;

import java.util.List;

/**
 * A labeled image set, every image already at the model's input size: {@code height x width x
 * channels} raw 8-bit pixels, channels innermost. Used by calibration and by {@code edgeq eval}.
 */
public interface LabeledImages {
    int size();

    int height();

    int width();

    int channels();

    /** Class names in label order (may be empty when the source has none). */
    List<String> classNames();

    int label(int index);

    /** Copies image {@code index}'s pixels into {@code dst} at {@code offset}. */
    void pixels(int index, byte[] dst, int offset);

    /**
     * Whether label numbers only reflect the sorted order of {@link #classNames()} (folder sets), so that
     * the names, not the numbers, say which model class an image belongs to ({@link ClassMapping}).
     */
    default boolean labelsFromNames() {
        return false;
    }

    /** The file image {@code index} was read from, or null when the set has no files (IDX). */
    default String imageName(int index) {
        return null;
    }

    /** Where the images come from, for messages. */
    String description();
}
