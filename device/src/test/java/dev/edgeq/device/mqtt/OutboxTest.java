package dev.edgeq.device.mqtt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxTest {
    @TempDir Path tmp;
    private final List<String> log = new ArrayList<>();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void entriesLeaveOnlyWhenAcknowledgedAndSurviveAReopen() throws Exception {
        Outbox o = new Outbox(tmp, 100, true, log::add);
        long s1 = o.nextSeq();
        long s2 = o.nextSeq();
        o.append(s1, "t/a", 1, false, b("one"));
        o.append(s2, "t/b", 0, true, b("two"));
        Outbox.Entry e1 = o.takeNext();
        assertEquals(s1, e1.seq());
        assertEquals("t/a", e1.topic());
        assertArrayEquals(b("one"), e1.payload());
        o.requeue(s1); // delivery in doubt: it comes back first
        assertEquals(s1, o.takeNext().seq());
        Outbox.Entry e2 = o.takeNext();
        assertEquals(0, e2.qos());
        assertTrue(e2.retained());
        assertNull(o.takeNext());
        o.acknowledged(s2);
        assertEquals(1, o.size());
        // "restart": s1 was in flight, never acknowledged
        Outbox again = new Outbox(tmp, 100, true, log::add);
        assertEquals(1, again.size());
        assertEquals(s1, again.takeNext().seq());
        assertTrue(again.nextSeq() > s2, "sequence numbers never repeat across restarts");
    }

    @Test
    void overflowDropsTheOldestAndCountsThem() throws Exception {
        Outbox o = new Outbox(tmp, 3, false, log::add);
        for (int i = 0; i < 5; i++) o.append(o.nextSeq(), "t", 1, false, b("m" + i));
        assertEquals(3, o.size());
        assertEquals(2, o.dropped());
        assertArrayEquals(b("m2"), o.takeNext().payload());
    }

    @Test
    void straysAndDamagedEntriesAreCleanedUp() throws Exception {
        Files.write(tmp.resolve("00000000000000000007.msg.tmp"), b("half"));
        Files.write(tmp.resolve("00000000000000000005.msg"), new byte[] {0, 0, 0, 99, 1});
        Outbox o = new Outbox(tmp, 10, false, log::add);
        assertEquals(1, o.size());
        assertNull(o.takeNext());
        assertEquals(1, o.dropped());
        assertTrue(log.stream().anyMatch(l -> l.contains("unreadable or unsendable entry")), "" + log);
        assertTrue(Files.exists(tmp.resolve(Outbox.REJECTED).resolve("00000000000000000005.msg")), "kept aside for inspection");
        assertTrue(o.nextSeq() > 5);
    }
}
