package dev.edgeq.imaging;

/** How a {@link Frame}'s bytes are laid out. */
public enum PixelFormat {
    /** One byte per pixel, rows {@code stride} bytes apart. */
    GRAY,
    /** Three bytes per pixel (R, G, B), rows {@code stride} bytes apart. */
    RGB,
    /** Planar YUV 4:2:0 as rpicam-vid writes it; geometry in {@link I420Layout}. */
    I420
}
