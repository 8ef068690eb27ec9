package dev.edgeq.device.mqtt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lost messages are logged (first at once, then summed up periodically), and a bad outbox folder is named. */
class OutboxLossTest {
    @TempDir Path tmp;
    private final List<String> log = new ArrayList<>();

    @Test
    void overflowLogsTheFirstDropWithThePathOnce() throws Exception {
        Outbox o = new Outbox(tmp, 3, false, log::add);
        for (int i = 0; i < 10; i++) o.append(o.nextSeq(), "t", 1, false, "m".getBytes(StandardCharsets.UTF_8));
        assertEquals(7, o.dropped());
        List<String> lines = log.stream().filter(l -> l.contains("maximum of 3")).toList();
        assertEquals(1, lines.size(), "" + log);
        assertTrue(lines.get(0).contains(tmp.toString()) && lines.get(0).contains("outbox-max"), lines.get(0));
        o.reportLosses();
        assertTrue(log.stream().anyMatch(l -> l.equals("outbox: 6 more messages lost (outbox full) in the last 1 s")), "" + log);
    }

    @Test
    void laterLossesAreSummedUpOncePerPeriod() {
        AtomicLong now = new AtomicLong();
        LossReport r = new LossReport(log::add, 60_000_000_000L, now::get);
        r.lost("outbox full", "first detail");
        for (int i = 0; i < 100; i++) {
            now.addAndGet(1_000_000_000L); // one a second
            r.lost("outbox full", "not logged");
        }
        assertEquals(2, log.size(), "the first, then one summary after 60 s: " + log);
        assertTrue(log.get(0).startsWith("outbox: first detail"), log.get(0));
        assertEquals("outbox: 60 more messages lost (outbox full) in the last 60 s", log.get(1));
        r.flush();
        assertEquals("outbox: 40 more messages lost (outbox full) in the last 40 s", log.get(2));
        r.flush();
        assertEquals(3, log.size(), "nothing new, nothing logged");
    }

    @Test
    void anOutboxFolderThatIsAFileIsNamed() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
        IOException e = assertThrows(IOException.class, () -> new Outbox(file, 10, false, log::add));
        assertTrue(e.getMessage().contains(file + " is a file"), e.getMessage());
        IOException under = assertThrows(IOException.class, () -> new Outbox(file.resolve("outbox"), 10, false, log::add));
        assertTrue(under.getMessage().equals("cannot create the outbox folder " + file.resolve("outbox") + ": Not a directory"), under.getMessage());
    }
}
