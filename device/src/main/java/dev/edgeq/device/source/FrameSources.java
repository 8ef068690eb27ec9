package dev.edgeq.device.source;

import dev.edgeq.device.config.DeviceConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Builds a {@link FrameSource} from a {@code --source} spec. */
public final class FrameSources {
    private FrameSources() {}

    /**
     * @param rgb whether the model takes RGB (chooses ffmpeg's output format for v4l2)
     * @param once for dir: read the images already there and end, instead of watching for new ones
     */
    public static FrameSource open(String spec, DeviceConfig.Camera cam, boolean rgb, boolean once, Consumer<String> log)
            throws IOException {
        return open(spec, cam, rgb, once, null, log);
    }

    /**
     * @param stateDir where a watching {@code dir:} source remembers what it classified, so a restart does not
     *                 classify those images again (null: not remembered)
     */
    public static FrameSource open(String spec, DeviceConfig.Camera cam, boolean rgb, boolean once, Path stateDir,
                                   Consumer<String> log) throws IOException {
        checkSpec(spec);
        if (spec.equals("rpicam") || spec.equals("libcamera")) {
            String cmd = spec.equals("libcamera") ? "libcamera-vid" : cam.command;
            return new RpicamSource(cmd, cam.extraArgs, cam.width, cam.height, cam.framerate, cam.strideAlign,
                    cam.restartDelayMax, log);
        }
        if (spec.startsWith("v4l2:")) {
            String dev = spec.substring(5);
            if (dev.isEmpty()) throw new IllegalArgumentException("source v4l2: needs a device, e.g. v4l2:/dev/video0");
            return new V4l2Source(cam.ffmpeg, dev, cam.width, cam.height, cam.framerate, rgb, cam.restartDelayMax, log);
        }
        if (spec.startsWith("dir:")) {
            Path dir = Path.of(spec.substring(4));
            ClassifiedFiles memory = stateDir != null && !once ? ClassifiedFiles.open(stateDir, dir, log) : null;
            return new DirectorySource(dir, once, 500, memory, log);
        }
        if (spec.startsWith("file:")) {
            return new FileListSource(files(spec), log);
        }
        throw unknown(spec);
    }

    /** Checks that a spec names a known kind of source, without opening anything. */
    public static void checkSpec(String spec) {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("no source: set --source");
        boolean known = spec.equals("rpicam") || spec.equals("libcamera") || spec.startsWith("v4l2:")
                || spec.startsWith("dir:") || spec.startsWith("file:");
        if (!known) throw unknown(spec);
        if (spec.startsWith("dir:") && !Files.isDirectory(Path.of(spec.substring(4)))) {
            throw new IllegalArgumentException("source " + spec + ": " + (Files.exists(Path.of(spec.substring(4)))
                    ? "is a file, expected a folder (use file:PATH for single images)" : "no such folder"));
        }
        if (spec.startsWith("file:")) {
            List<Path> files = files(spec);
            if (files.isEmpty()) throw new IllegalArgumentException("source file: lists no files");
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    throw new IllegalArgumentException("source file: " + f + ": " + (Files.isDirectory(f)
                            ? "is a folder, expected an image file (use dir:PATH for folders)" : "no such file"));
                }
            }
        }
    }

    private static List<Path> files(String fileSpec) {
        List<Path> files = new ArrayList<>();
        for (String s : fileSpec.substring(5).split(",")) if (!s.isBlank()) files.add(Path.of(s.trim()));
        return files;
    }

    private static IllegalArgumentException unknown(String spec) {
        return new IllegalArgumentException("unknown source '" + spec
                + "': expected rpicam, libcamera, v4l2:/dev/videoN, dir:PATH or file:A,B,...");
    }
}
