package dev.edgeq.cli;

import dev.edgeq.device.config.DeviceConfig;
import picocli.CommandLine.Option;

import java.util.List;

/** The camera flags of {@code run} and {@code capture}; an unset flag keeps the configured or default value. */
final class CameraOptions {
    @Option(names = "--width", description = "camera frame width (default 640)")
    Integer width;
    @Option(names = "--height", description = "camera frame height (default 480)")
    Integer height;
    @Option(names = "--framerate", description = "camera frame rate (default 15)")
    Integer framerate;
    @Option(names = "--camera-command", paramLabel = "CMD", description = "rpicam-vid (default) or libcamera-vid, or a path")
    String cameraCommand;
    @Option(names = "--camera-arg", paramLabel = "ARG", description = "extra argument for the camera command (repeatable)")
    List<String> cameraArgs;
    @Option(names = "--stride-align", paramLabel = "N", description = "I420 row alignment: 64 (Pi 0-4), 128 (Pi 5); default: detected")
    Integer strideAlign;
    @Option(names = "--ffmpeg", paramLabel = "CMD", description = "ffmpeg executable for v4l2: sources")
    String ffmpeg;
    @Option(names = "--restart-delay-max", paramLabel = "SECONDS", description = "longest wait between restarts of a camera process that keeps dying (default 30)")
    Double restartDelayMax;

    void applyTo(DeviceConfig.Camera cam) {
        if (width != null) cam.width = width;
        if (height != null) cam.height = height;
        if (framerate != null) cam.framerate = framerate;
        if (cameraCommand != null) cam.command = cameraCommand;
        if (cameraArgs != null) cam.extraArgs = cameraArgs;
        if (strideAlign != null) cam.strideAlign = strideAlign;
        if (ffmpeg != null) cam.ffmpeg = ffmpeg;
        if (restartDelayMax != null) cam.restartDelayMax = restartDelayMax;
    }
}
