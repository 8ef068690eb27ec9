package dev.edgeq.device.source;

import dev.edgeq.imaging.Frame;
import dev.edgeq.imaging.I420Layout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The Raspberry Pi camera through {@code rpicam-vid} (or {@code libcamera-vid}) writing I420 to stdout:
 * {@code rpicam-vid -n -t 0 --codec yuv420 --width W --height H --framerate F --flush -o -}.
 *
 * <p>The frame layout ({@link I420Layout}) follows from the configured size and the board's stride
 * alignment (64 on Pi 0-4, 128 on Pi 5). It is verified on the first frame of every camera start: with the
 * right stride, vertically adjacent rows are similar; with a wrong one each row is shifted against the
 * last, so a much better-fitting other stride means the configuration is wrong, and the source fails with a
 * message saying which alignment fits. A stream that ends mid-frame is reported the same way.
 */
public final class RpicamSource extends ProcessFrameSource {
    private final String command;
    private final List<String> extraArgs;
    private final int framerate;
    private final I420Layout layout;
    private final int align;

    public RpicamSource(String command, List<String> extraArgs, int width, int height, int framerate, int strideAlign,
                        double maxBackoffSeconds, Consumer<String> log) {
        super(log, maxBackoffSeconds);
        this.command = command;
        this.extraArgs = List.copyOf(extraArgs);
        this.framerate = framerate;
        this.align = strideAlign > 0 ? strideAlign : I420Layout.boardStrideAlign();
        this.layout = I420Layout.aligned(width, height, align);
    }

    public I420Layout layout() {
        return layout;
    }

    @Override
    protected List<String> command() {
        List<String> c = new ArrayList<>(List.of(command, "-n", "-t", "0", "--codec", "yuv420",
                "--width", Integer.toString(layout.width()), "--height", Integer.toString(layout.height()),
                "--framerate", Integer.toString(framerate), "--flush"));
        c.addAll(extraArgs);
        c.add("-o");
        c.add("-");
        return c;
    }

    @Override protected int frameBytes() { return layout.frameBytes(); }
    @Override protected void describe(Frame f) { f.setI420(layout); f.origin = "rpicam"; }

    @Override
    protected String layoutDescription() {
        return layout.width() + "x" + layout.height() + " I420, Y stride " + layout.yStride() + " (alignment " + align + ")";
    }

    @Override
    protected void verifyFirstFrame(Frame f) throws IOException {
        int expected = layout.yStride();
        double own = rowDifference(f.data, layout, expected);
        Set<Integer> candidates = new LinkedHashSet<>();
        for (int a : new int[] {32, 64, 128, 256}) candidates.add(I420Layout.alignUp(layout.width(), a));
        if (layout.width() % 2 == 0) candidates.add(layout.width());
        candidates.remove(expected);
        for (int s : candidates) {
            if ((long) s * Math.min(layout.height(), 121) > layout.frameBytes()) continue;
            double other = rowDifference(f.data, layout, s);
            if (own > 6 && other * 3 < own) {
                throw new IOException("camera frames do not match the expected layout " + layoutDescription()
                        + ": rows fit a Y stride of " + s + " (mean row difference " + Math.round(other) + " vs "
                        + Math.round(own) + "). Set camera.stride-align to match the board (64 on Pi 0-4, 128 on Pi 5).");
            }
        }
    }

    /** Mean |Y[r][x] - Y[r+1][x]| over the first rows, reading rows {@code stride} bytes apart. */
    static double rowDifference(byte[] d, I420Layout l, int stride) {
        int rows = Math.min(l.height() - 1, 120);
        if (rows < 1) return 0;
        long sum = 0;
        for (int r = 0; r < rows; r++) {
            int a = r * stride;
            int b = a + stride;
            for (int x = 0; x < l.width(); x++) sum += Math.abs((d[a + x] & 0xFF) - (d[b + x] & 0xFF));
        }
        return (double) sum / ((long) rows * l.width());
    }

    @Override public String describe() { return "rpicam:" + layout.width() + "x" + layout.height(); }
}
