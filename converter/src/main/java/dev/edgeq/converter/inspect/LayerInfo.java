package dev.edgeq.converter.inspect;

import java.util.List;

/**
 * One operator as {@code inspect} reports it. {@code connections} = MACs plus bias additions;
 * {@code neurons} = output elements; receptive field in input pixels (theoretical, padding
 * included).
 */
public record LayerInfo(int index, String name, String op, int[] outputShape, String outputHwc,
        long params, long macs, long connections, long neurons, int receptiveFieldH, int receptiveFieldW,
        List<String> inputs, String activation, String kernel) {
}
