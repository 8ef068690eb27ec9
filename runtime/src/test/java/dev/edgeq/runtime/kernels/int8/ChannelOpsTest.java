package dev.edgeq.runtime.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeq.runtime.kernels.ChannelCopy;
import dev.edgeq.runtime.kernels.float32.ConcatFloat;
import dev.edgeq.runtime.kernels.float32.PermuteChannelsFloat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Concatenation, Slice / Split and channel permutation along channels: worked cases and random configurations. */
class ChannelOpsTest {

    @Test
    void concatCopiesMatchingInputsAndRequantizesOthers() {
        // 2 pixels; input 0 has the output's quantization (0.5, 0): copied. Input 1 (0.25, 4) is
        // requantized: (x - 4) * 0.5 rounded half away from zero.
        ConcatParams p = ConcatParams.fromScales(2, new int[] {2, 1}, new float[] {0.5f, 0.25f}, new int[] {0, 4}, 0.5f, 0);
        assertTrue(p.copies(0));
        assertFalse(p.copies(1));
        byte[][] inputs = {{1, 2, 3, 4}, {0, 9, 7}};
        int[] starts = {0, 1};
        byte[] expected = {1, 2, 3, 3, 4, 2}; // (9-4)/2 = 2.5 -> 3; (7-4)/2 = 1.5 -> 2
        byte[] out = new byte[6];
        ConcatReference.eval(p, inputs, starts, out, 0);
        assertArrayEquals(expected, out);
        byte[] fast = new byte[6];
        ConcatFast.prepare(p).eval(inputs, starts, fast, 0);
        assertArrayEquals(expected, fast);
        float[] f = new float[6];
        ConcatFloat.eval(2, new int[] {2, 1}, new float[][] {{1, 2, 3, 4}, {0, 9, 7}}, starts, f, 0);
        assertArrayEquals(new float[] {1, 2, 9, 3, 4, 7}, f);
    }

    @Test
    void splitIsSlicesAtConsecutiveBegins() {
        byte[] in = {0, 1, 2, 3, 4, 10, 11, 12, 13, 14}; // 2 pixels x 5 channels
        byte[] first = new byte[4];
        byte[] second = new byte[6];
        ChannelSliceReference.eval(2, 5, 0, 2, in, 0, first, 0);
        ChannelSliceReference.eval(2, 5, 2, 3, in, 0, second, 0);
        assertArrayEquals(new byte[] {0, 1, 10, 11}, first);
        assertArrayEquals(new byte[] {2, 3, 4, 12, 13, 14}, second);
        float[] f = new float[6];
        ChannelCopy.slice(2, 5, 2, 3, new float[] {0, 1, 2, 3, 4, 10, 11, 12, 13, 14}, 0, f, 0);
        assertArrayEquals(new float[] {2, 3, 4, 12, 13, 14}, f);
    }

    @Test
    void channelShuffleIsRecognisedAndPermutes() {
        // ShuffleNet: reshape C=6 to [g=2][3], transpose to [3][2], flatten: out c = k * 2 + j reads j * 3 + k.
        int[] shuffle = {0, 3, 1, 4, 2, 5};
        PermuteChannelsFast fast = PermuteChannelsFast.prepare(shuffle);
        assertTrue(fast.isShuffle());
        assertFalse(PermuteChannelsFast.prepare(new int[] {1, 0, 2, 3, 4, 5}).isShuffle());
        byte[] in = {10, 11, 12, 13, 14, 15};
        byte[] expected = {10, 13, 11, 14, 12, 15};
        byte[] out = new byte[6];
        PermuteChannelsReference.eval(1, shuffle, in, 0, out, 0);
        assertArrayEquals(expected, out);
        fast.eval(1, in, 0, out, 0);
        assertArrayEquals(expected, out);
        float[] f = new float[6];
        PermuteChannelsFloat.eval(1, shuffle, new float[] {10, 11, 12, 13, 14, 15}, 0, f, 0);
        assertArrayEquals(new float[] {10, 13, 11, 14, 12, 15}, f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PermuteChannelsFast.prepare(new int[] {0, 1, 1}));
        assertEquals("channel permutation [0, 1, 1] is not a permutation of [0, 3): entry 2 = 1", e.getMessage());
    }

    @Test
    void fastMatchesTheReferenceOnRandomConfigurations() {
        Random r = new Random(RandomConfigTest.SEED + 24);
        for (int i = 0; i < RandomConfigTest.CONFIGS; i++) {
            int pixels = 1 + r.nextInt(30);
            // concatenation: 1..5 inputs, some with the output's quantization
            int n = 1 + r.nextInt(5);
            int[] channels = new int[n];
            float[] scales = new float[n];
            int[] zps = new int[n];
            float outScale = (float) Math.exp(r.nextDouble() * 4 - 4);
            int outZp = r.nextInt(256) - 128;
            byte[][] inputs = new byte[n][];
            int[] starts = new int[n];
            int total = 0;
            for (int k = 0; k < n; k++) {
                channels[k] = 1 + r.nextInt(24);
                boolean same = r.nextBoolean();
                scales[k] = same ? outScale : (float) (outScale * Math.exp(r.nextDouble() * 3 - 1.5));
                zps[k] = same ? outZp : r.nextInt(256) - 128;
                starts[k] = r.nextInt(4);
                inputs[k] = RandomConfigTest.randomBytes(r, starts[k] + pixels * channels[k]);
                total += channels[k];
            }
            ConcatParams p = ConcatParams.fromScales(pixels, channels, scales, zps, outScale, outZp);
            byte[] expected = new byte[total * pixels + 2];
            byte[] actual = new byte[total * pixels + 2];
            ConcatReference.eval(p, inputs, starts, expected, 1);
            ConcatFast.prepare(p).eval(inputs, starts, actual, 1);
            assertArrayEquals(expected, actual, "concat configuration " + i + ": " + p);

            // slice of the concatenation's output
            int begin = r.nextInt(total);
            int size = 1 + r.nextInt(total - begin);
            byte[] sliceRef = new byte[pixels * size + 1];
            byte[] sliceFast = new byte[pixels * size + 1];
            ChannelSliceReference.eval(pixels, total, begin, size, expected, 1, sliceRef, 1);
            ChannelCopy.slice(pixels, total, begin, size, expected, 1, sliceFast, 1);
            assertArrayEquals(sliceRef, sliceFast, "slice configuration " + i + ": begin " + begin + " size " + size);

            // permutation: a shuffle half the time
            int[] perm = r.nextBoolean() ? randomShuffle(r) : randomPermutation(r, 1 + r.nextInt(40));
            byte[] in = RandomConfigTest.randomBytes(r, pixels * perm.length + 3);
            byte[] permRef = new byte[pixels * perm.length];
            byte[] permFast = new byte[pixels * perm.length];
            PermuteChannelsReference.eval(pixels, perm, in, 3, permRef, 0);
            PermuteChannelsFast.prepare(perm).eval(pixels, in, 3, permFast, 0);
            assertArrayEquals(permRef, permFast, "permutation configuration " + i + ": " + java.util.Arrays.toString(perm));
        }
    }

    private static int[] randomShuffle(Random r) {
        int g = 2 + r.nextInt(4);
        int m = 1 + r.nextInt(12);
        int[] perm = new int[g * m];
        for (int k = 0; k < m; k++) {
            for (int j = 0; j < g; j++) {
                perm[k * g + j] = j * m + k;
            }
        }
        return perm;
    }

    private static int[] randomPermutation(Random r, int n) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }
}
