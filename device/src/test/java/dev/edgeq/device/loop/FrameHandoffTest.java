package dev.edgeq.device.loop;

import dev.edgeq.imaging.Frame;
import org.junit.jupiter.api.Test;

import java.util.IdentityHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameHandoffTest {
    @Test
    void liveSourcesKeepOnlyTheLatestFrameAndCountDrops() throws Exception {
        FrameHandoff h = new FrameHandoff(true);
        for (int i = 1; i <= 5; i++) {
            Frame f = h.writable();
            f.captureNanos = i;
            h.publish(f);
        }
        Frame latest = h.take(100);
        assertEquals(5, latest.captureNanos);
        assertEquals(4, h.dropped());
        assertNull(h.take(10));
    }

    @Test
    void threeFramesAreReusedForever() throws Exception {
        FrameHandoff h = new FrameHandoff(true);
        IdentityHashMap<Frame, Boolean> seen = new IdentityHashMap<>();
        for (int i = 0; i < 100; i++) {
            Frame f = h.writable();
            seen.put(f, true);
            h.publish(f);
            if (i % 3 == 0) seen.put(h.take(100), true);
        }
        assertEquals(3, seen.size());
    }

    @Test
    void fileSourcesLoseNothing() throws Exception {
        FrameHandoff h = new FrameHandoff(false);
        AtomicInteger produced = new AtomicInteger();
        Thread p = new Thread(() -> {
            try {
                for (int i = 0; i < 200; i++) {
                    Frame f = h.writable();
                    f.captureNanos = i;
                    h.publish(f);
                    produced.incrementAndGet();
                }
            } catch (InterruptedException e) {
                return;
            }
            h.end();
        });
        p.start();
        long expect = 0;
        Frame f;
        while ((f = h.take(2000)) != null) {
            assertEquals(expect++, f.captureNanos);
            if (expect % 17 == 0) Thread.sleep(2);
        }
        p.join(5000);
        assertEquals(200, expect);
        assertEquals(0, h.dropped());
        assertTrue(h.isEndedAndEmpty());
    }

    @Test
    void onChangePolicyPublishesChangesAndHeartbeats() {
        PublishPolicy p = new PublishPolicy(false, 0.1, 10);
        long s = 1_000_000_000L;
        assertTrue(p.shouldPublish(1, 0.9f, 0));
        assertTrue(!p.shouldPublish(1, 0.85f, s));      // small move
        assertTrue(p.shouldPublish(1, 0.75f, 2 * s));   // moved 0.15 from the last published 0.9
        assertTrue(p.shouldPublish(2, 0.75f, 3 * s));   // label change
        assertTrue(!p.shouldPublish(2, 0.75f, 12 * s)); // 9 s since the last message
        assertTrue(p.shouldPublish(2, 0.75f, 13 * s));  // heartbeat
        PublishPolicy every = new PublishPolicy(true, 0.1, 0);
        assertTrue(every.shouldPublish(1, 0.5f, 0) && every.shouldPublish(1, 0.5f, 1));
        assertSame(Boolean.TRUE, Boolean.valueOf(every.shouldPublish(1, 0.5f, 2)));
    }
}
