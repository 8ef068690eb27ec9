package dev.edgeq.device.region;

import dev.edgeq.device.loop.PublishPolicy;
import dev.edgeq.imaging.AreaResampler;
import dev.edgeq.imaging.Frame;
import dev.edgeq.device.state.StableState;

/**
 * One region's preallocated buffers and per-region decisions: its resampler and model-input pixels, the
 * pixels of its last classified frame (for {@code --on-motion}), its publish policy and its stable state.
 * Not thread-safe: owned by the loop thread.
 */
final class RegionPipeline {
    final Region region;
    final PublishPolicy policy;
    final StableState state;
    AreaResampler resampler;
    byte[] pixels;
    private byte[] reference;
    private boolean hasReference;
    /** Frames still to classify after motion, so a stable state can form on a scene that then stays still. */
    int burstLeft;

    RegionPipeline(Region region, int height, int width, int channels, PublishPolicy policy, StableState state) {
        this.region = region;
        this.policy = policy;
        this.state = state;
        reshape(height, width, channels);
    }

    /** New buffers for a model with another input size (after a model swap; allocates, once). */
    void reshape(int height, int width, int channels) {
        resampler = new AreaResampler(height, width, channels, region.window());
        pixels = new byte[resampler.outputBytes()];
        reference = new byte[pixels.length];
        hasReference = false;
    }

    void resample(Frame f) {
        resampler.process(f, pixels, 0);
    }

    /**
     * Mean absolute difference, in 0..255 levels, between this frame's region as the model sees it and the
     * region at the last classified frame; infinite before the first.
     */
    double change() {
        if (!hasReference) return Double.POSITIVE_INFINITY;
        long sum = 0;
        byte[] p = pixels;
        byte[] r = reference;
        for (int i = 0; i < p.length; i++) sum += Math.abs((p[i] & 0xFF) - (r[i] & 0xFF));
        return (double) sum / p.length;
    }

    void rememberClassified() {
        System.arraycopy(pixels, 0, reference, 0, pixels.length);
        hasReference = true;
    }
}
