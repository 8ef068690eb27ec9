package dev.edgeq.converter.quantize;

import java.util.Arrays;

/**
 * Tensors that must share one int8 range ({@link dev.edgeq.converter.ops.Int8Rule#sharesOneRange}),
 * joined into groups (union-find: a tensor concatenated twice joins both groups, as a DenseNet
 * layer's features joining every later concatenation of its block), and the union range per group.
 */
final class SharedRanges {
    private final int[] parent;
    private boolean any;

    SharedRanges(int tensors) {
        parent = new int[tensors];
        Arrays.setAll(parent, i -> i);
    }

    /** Puts tensors {@code a} and {@code b} (float model indices) in one group. */
    void join(int a, int b) {
        int ra = root(a);
        int rb = root(b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
            any = true;
        }
    }

    /**
     * {@code ranges} with every grouped tensor's range replaced by its group's union, or
     * {@code ranges} itself when no tensors were joined.
     */
    double[][] apply(double[][] ranges) {
        if (!any) {
            return ranges;
        }
        double[][] union = new double[ranges.length][];
        for (int t = 0; t < ranges.length; t++) {
            double[] u = union[root(t)];
            if (ranges[t] != null) {
                union[root(t)] = u == null ? ranges[t]
                        : new double[] {Math.min(u[0], ranges[t][0]), Math.max(u[1], ranges[t][1])};
            }
        }
        double[][] shared = ranges.clone();
        for (int t = 0; t < ranges.length; t++) {
            if (ranges[t] != null) {
                shared[t] = union[root(t)];
            }
        }
        return shared;
    }

    private int root(int t) {
        while (parent[t] != t) {
            parent[t] = parent[parent[t]];
            t = parent[t];
        }
        return t;
    }
}
