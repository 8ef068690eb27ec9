package dev.edgeq.imaging;

/**
 * A rectangle of the frame to classify instead of the center crop: either normalized (0..1 fractions of
 * the frame's width and height, so it survives a change of camera resolution) or in frame pixels. The
 * rectangle is resampled to the model's input as is (stretched, not cropped again to the model's aspect
 * ratio): the user drew it around what matters.
 */
public record CropWindow(double x, double y, double width, double height, boolean normalized) {

    public CropWindow {
        if (!(width > 0) || !(height > 0) || !(x >= 0) || !(y >= 0)) {
            throw new IllegalArgumentException("crop window needs x, y >= 0 and width, height > 0, got "
                    + x + "," + y + "," + width + "," + height);
        }
        if (normalized && (x + width > 1 + 1e-9 || y + height > 1 + 1e-9)) {
            throw new IllegalArgumentException("normalized crop window " + x + "," + y + "," + width + "," + height
                    + " reaches outside the frame (x + w and y + h must be <= 1)");
        }
    }

    /**
     * The rectangle in pixels of a frame of the given size: x, y, w, h, at least 1x1, inside the frame.
     * A pixel window larger than the frame is an error naming both sizes.
     */
    public int[] resolve(int frameWidth, int frameHeight) {
        int px, py, pw, ph;
        if (normalized) {
            px = (int) Math.round(x * frameWidth);
            py = (int) Math.round(y * frameHeight);
            pw = (int) Math.max(1, Math.round(width * frameWidth));
            ph = (int) Math.max(1, Math.round(height * frameHeight));
            pw = Math.min(pw, frameWidth - Math.min(px, frameWidth - 1));
            ph = Math.min(ph, frameHeight - Math.min(py, frameHeight - 1));
            px = Math.min(px, frameWidth - pw);
            py = Math.min(py, frameHeight - ph);
        } else {
            px = (int) x;
            py = (int) y;
            pw = (int) width;
            ph = (int) height;
            if (px + pw > frameWidth || py + ph > frameHeight) {
                throw new IllegalArgumentException("region " + px + "," + py + "," + pw + "x" + ph
                        + " (pixels) does not fit in a " + frameWidth + "x" + frameHeight + " frame");
            }
        }
        return new int[] {px, py, pw, ph};
    }
}
