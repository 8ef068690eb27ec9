package dev.edgeq.device.source;

import dev.edgeq.imaging.Frame;
import java.io.IOException;

/**
 * Where frames come from. One thread calls {@link #next} repeatedly; {@link #close} may be called from
 * another thread to stop it (it must make a blocked {@code next} return).
 */
public interface FrameSource extends AutoCloseable {

    /**
     * Fills {@code into} with the next frame, blocking until there is one.
     *
     * @return false when the source has ended (all files read, or closed)
     */
    boolean next(Frame into) throws IOException, InterruptedException;

    /**
     * True for cameras: frames keep coming whether or not the loop keeps up, so stale ones are dropped.
     * False for files: every image is classified.
     */
    boolean isLive();

    /** Images that could not be decoded and were skipped (dir/file sources). */
    default long skipped() { return 0; }

    /** Camera process restarts so far. */
    default long restarts() { return 0; }

    /** Short description for logs and the {@code source} field of messages. */
    String describe();

    @Override
    void close();
}
