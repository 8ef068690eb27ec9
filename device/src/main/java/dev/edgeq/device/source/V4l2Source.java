package dev.edgeq.device.source;

import dev.edgeq.imaging.Frame;
import java.util.List;
import java.util.function.Consumer;

/**
 * A USB webcam ({@code v4l2:/dev/videoN}) through ffmpeg writing raw gray or rgb24 frames to stdout,
 * scaled to the configured size by ffmpeg so the frame size is known exactly.
 */
public final class V4l2Source extends ProcessFrameSource {
    private final String ffmpeg;
    private final String device;
    private final int width;
    private final int height;
    private final int framerate;
    private final boolean rgb;

    public V4l2Source(String ffmpeg, String device, int width, int height, int framerate, boolean rgb,
                      double maxBackoffSeconds, Consumer<String> log) {
        super(log, maxBackoffSeconds);
        this.ffmpeg = ffmpeg;
        this.device = device;
        this.width = width;
        this.height = height;
        this.framerate = framerate;
        this.rgb = rgb;
    }

    @Override
    protected List<String> command() {
        return List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin",
                "-f", "v4l2", "-framerate", Integer.toString(framerate), "-i", device,
                "-vf", "scale=" + width + ":" + height, "-f", "rawvideo", "-pix_fmt", rgb ? "rgb24" : "gray", "-");
    }

    @Override protected int frameBytes() { return width * height * (rgb ? 3 : 1); }

    @Override
    protected void describe(Frame f) {
        if (rgb) f.setRgb(width, height, width * 3); else f.setGray(width, height, width);
        f.origin = device;
    }

    @Override
    protected String layoutDescription() {
        return width + "x" + height + (rgb ? " rgb24" : " gray");
    }

    @Override public String describe() { return "v4l2:" + device; }
}
