import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares an {@code edgeq eval --dump-outputs} file with the start of another (the host's run may
 * cover more images than an emulated one) value by value and prints one line: images, bytes and
 * values compared and, where they differ, how many values differ and the largest difference with
 * the image and class where it occurs (for float32 also in ulps). Exit status 0 identical, 1
 * different, 2 unusable input (ACTUAL longer than EXPECTED, not whole images, unknown type).
 *
 * <p>{@code java tools/arm/CompareDumps.java int8|float32 CLASSES EXPECTED ACTUAL}
 */
public final class CompareDumps {
    public static void main(String[] args) throws Exception {
        if (args.length != 4 || !(args[0].equals("int8") || args[0].equals("float32"))) {
            System.err.println("usage: CompareDumps int8|float32 CLASSES EXPECTED ACTUAL");
            System.exit(2);
        }
        boolean int8 = args[0].equals("int8");
        int classes = Integer.parseInt(args[1]);
        byte[] expected = Files.readAllBytes(Path.of(args[2]));
        byte[] actual = Files.readAllBytes(Path.of(args[3]));
        int width = int8 ? 1 : 4;
        if (classes <= 0 || actual.length == 0 || actual.length > expected.length || actual.length % (width * classes) != 0) {
            System.out.printf("cannot compare: %s has %d bytes, %s has %d; expected whole images of %d %s values%n", args[2],
                    expected.length, args[3], actual.length, classes, args[0]);
            System.exit(2);
        }
        int values = actual.length / width;
        ByteBuffer e = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer a = ByteBuffer.wrap(actual).order(ByteOrder.LITTLE_ENDIAN);
        int differing = 0;
        int worst = -1;
        double worstDiff = -1;
        long worstUlps = 0;
        for (int i = 0; i < values; i++) {
            double x;
            double y;
            long ulps = 0;
            if (int8) {
                x = expected[i];
                y = actual[i];
            } else {
                float fx = e.getFloat(i * 4);
                float fy = a.getFloat(i * 4);
                if (Float.floatToRawIntBits(fx) == Float.floatToRawIntBits(fy)) {
                    continue;
                }
                x = fx;
                y = fy;
                ulps = Math.abs((long) Float.floatToRawIntBits(fx) - Float.floatToRawIntBits(fy));
            }
            if (x == y && int8) {
                continue;
            }
            differing++;
            double diff = Math.abs(x - y);
            if (diff > worstDiff || Double.isNaN(diff)) {
                worstDiff = diff;
                worst = i;
                worstUlps = ulps;
            }
        }
        String head = String.format("%d images, %d bytes, %d values", values / classes, actual.length, values);
        if (differing == 0) {
            System.out.println(head + ": identical");
            return;
        }
        String at = String.format("image %d class %d: %s vs %s", worst / classes, worst % classes,
                int8 ? Byte.toString(expected[worst]) : Float.toString(e.getFloat(worst * 4)),
                int8 ? Byte.toString(actual[worst]) : Float.toString(a.getFloat(worst * 4)));
        System.out.printf("%s: %d values differ; largest difference %s%s at %s%n", head, differing, int8 ? (long) worstDiff
                : String.format("%.3g", worstDiff), int8 ? "" : " (" + worstUlps + " ulp)", at);
        System.exit(1);
    }
}
