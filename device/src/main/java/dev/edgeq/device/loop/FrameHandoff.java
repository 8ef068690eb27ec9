package dev.edgeq.device.loop;

import dev.edgeq.imaging.Frame;


/**
 * A single-slot handoff between the source thread and the classification loop over three reused frames
 * (one being filled, at most one ready, one being classified), so nothing is allocated per frame.
 *
 * <p>Live sources (cameras): a new frame replaces a ready one that the loop has not taken yet; the older
 * frame is dropped and counted, so the loop always classifies the latest frame. Non-live sources (files):
 * the producer waits until the loop took the ready frame, so every image is classified.
 */
public final class FrameHandoff {
    private final boolean live;
    private Frame spare = new Frame();
    private Frame ready;
    private Frame consumerOwned;
    private Frame producerOwned = new Frame();
    private boolean ended;
    private long dropped;

    public FrameHandoff(boolean live) {
        this.live = live;
        this.consumerOwned = new Frame();
    }

    /** The frame the producer fills next. */
    public synchronized Frame writable() {
        return producerOwned;
    }

    /** Hands the filled frame over; returns false when the handoff was ended meanwhile. */
    public synchronized boolean publish(Frame filled) throws InterruptedException {
        if (filled != producerOwned) throw new IllegalStateException("publish the frame from writable()");
        if (!live) {
            while (ready != null && !ended) wait();
        }
        if (ended) return false;
        if (ready != null) {
            dropped++;
            producerOwned = ready;
        } else {
            producerOwned = spare;
            spare = null;
        }
        ready = filled;
        notifyAll();
        return true;
    }

    /**
     * Takes the latest frame, waiting up to {@code timeoutMillis}. The frame stays valid until the next
     * call. Returns null on timeout or when the handoff ended and nothing is left.
     */
    public synchronized Frame take(long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (ready == null && !ended) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) return null;
            wait(left);
        }
        if (ready == null) return null;
        Frame f = ready;
        ready = null;
        spare = consumerOwned;
        consumerOwned = f;
        notifyAll();
        return f;
    }

    /** No more frames will come (source ended or shutting down). */
    public synchronized void end() {
        ended = true;
        notifyAll();
    }

    public synchronized boolean isEndedAndEmpty() {
        return ended && ready == null;
    }

    public synchronized long dropped() {
        return dropped;
    }
}
