package dev.edgeq.cli;

import dev.edgeq.imaging.Frame;
import dev.edgeq.imaging.ImageDecoder;
import dev.edgeq.device.config.DeviceConfig;
import dev.edgeq.device.source.FrameSource;
import dev.edgeq.device.source.FrameSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code edgeq capture}: saves frames from a source as PNG files into {@code OUT/LABEL/}, the folder
 * layout the training tool reads ({@code --dataset folder:OUT}), to collect a dataset with the real camera.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Save camera frames as PNG files into OUT/LABEL/ (one folder per class, for training).")
public final class CaptureCommand implements Callable<Integer> {
    @Option(names = "--source", required = true, paramLabel = "SPEC", description = "rpicam | libcamera | v4l2:/dev/videoN | dir:PATH | file:A,B,...")
    String source;
    @Option(names = "--label", required = true, paramLabel = "NAME", description = "class name: the subfolder the frames go to")
    String label;
    @Option(names = "--count", defaultValue = "20", paramLabel = "N", description = "frames to save (default 20)")
    int count;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "dataset folder")
    Path out;
    @Option(names = "--interval", defaultValue = "0.5", paramLabel = "SECONDS", description = "time between saved frames (default 0.5)")
    double interval;
    @Option(names = "--gray", description = "save gray PNGs (default: gray for gray sources, RGB otherwise)")
    boolean gray;
    @Option(names = "--width", defaultValue = "640") int width;
    @Option(names = "--height", defaultValue = "480") int height;
    @Option(names = "--framerate", defaultValue = "15") int framerate;
    @Option(names = "--camera-command", paramLabel = "CMD") String cameraCommand;
    @Option(names = "--camera-arg", paramLabel = "ARG") List<String> cameraArgs;
    @Option(names = "--stride-align", paramLabel = "N") Integer strideAlign;
    @Option(names = "--ffmpeg", paramLabel = "CMD") String ffmpeg;

    @Override
    public Integer call() {
        if (label.isBlank() || label.contains("/") || label.contains("\\") || label.startsWith(".")) {
            System.err.println("edgeq capture: --label must be a plain folder name, got '" + label + "'");
            return 2;
        }
        if (count < 1) {
            System.err.println("edgeq capture: --count must be at least 1");
            return 2;
        }
        DeviceConfig.Camera cam = new DeviceConfig.Camera();
        cam.width = width;
        cam.height = height;
        cam.framerate = framerate;
        if (cameraCommand != null) cam.command = cameraCommand;
        if (cameraArgs != null) cam.extraArgs = cameraArgs;
        if (strideAlign != null) cam.strideAlign = strideAlign;
        if (ffmpeg != null) cam.ffmpeg = ffmpeg;
        Path dir = out.resolve(label);
        String stamp = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try (FrameSource src = FrameSources.open(source, cam, !gray, true, RunCommand.stderrLog())) {
            Files.createDirectories(dir);
            Frame f = new Frame();
            int saved = 0;
            long next = 0;
            while (saved < count) {
                if (!src.next(f)) break;
                long now = System.nanoTime();
                if (src.isLive() && now < next) continue;
                next = now + (long) (interval * 1e9);
                BufferedImage img = gray ? ImageDecoder.toGrayImage(f) : ImageDecoder.toImage(f);
                Path file = dir.resolve(String.format("%s_%s_%04d.png", label, stamp, saved));
                ImageIO.write(img, "png", file.toFile());
                saved++;
                System.err.printf("saved %s (%d/%d)%n", file, saved, count);
            }
            System.out.printf("%d frames saved in %s%n", saved, dir);
            return saved == count ? 0 : 1;
        } catch (Exception e) {
            System.err.println("edgeq capture: " + e.getMessage());
            return 1;
        }
    }
}
