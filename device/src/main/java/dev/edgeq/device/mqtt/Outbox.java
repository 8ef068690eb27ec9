package dev.edgeq.device.mqtt;

import dev.edgeq.device.files.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.MqttTopic;

/**
 * The application's on-disk outbox: every classification message is written here before it is handed to
 * the MQTT client, and deleted only when the broker acknowledged it (PUBACK for QoS 1). It survives broker
 * outages and device restarts, and is bounded: beyond {@code maxEntries} the oldest waiting entries are
 * dropped and counted (reported as {@code outbox_dropped} in stats).
 *
 * <p>Layout: one file per message, {@code <seq, 20 digits>.msg}, written as {@code .tmp} and renamed
 * (atomic), so a crash leaves either a whole entry or a stray .tmp that is deleted on start. File format:
 * int topic length, topic UTF-8, byte qos, byte retained, payload. With {@code fsync} the file and the
 * folder are forced to disk before {@link #append} returns (entries survive power loss, at the cost of one
 * or two flash writes per message); without it they survive a crash of the process (the kernel still has
 * them) but not of the machine.
 *
 * <p>Sequence numbers are monotonic across restarts: a block of 1000 is reserved in the {@code next-seq}
 * file at a time, so after a restart numbering jumps ahead by less than 1000 and never repeats.
 *
 * <p>Thread-safe (synchronized); file I/O happens under the lock, which is fine at camera frame rates.
 */
public final class Outbox {
    private static final int SEQ_BLOCK = 1000;
    /** Sub-folder for entries that can never be sent (kept for inspection, not retried). */
    public static final String REJECTED = "rejected";
    private static final long LOSS_LOG_PERIOD_NANOS = 60_000_000_000L;
    private static final String CANNOT_STORE = "cannot be stored";
    /** Far beyond any real count (10^18 messages), far enough from Long.MAX_VALUE that seq + SEQ_BLOCK cannot wrap. */
    private static final long MAX_SEQ = 1_000_000_000_000_000_000L;

    /** A stored message. */
    public record Entry(long seq, String topic, int qos, boolean retained, byte[] payload) {}

    private final Path dir;
    private final int maxEntries;
    private final boolean fsync;
    private final Consumer<String> log;
    private final LossReport losses;
    private final TreeSet<Long> waiting = new TreeSet<>();
    private final Set<Long> inFlight = new HashSet<>();
    private long nextSeq;
    private long reservedUpTo;
    private long dropped;
    /** The last write failed (disk full): the next success is logged, so the log shows when it recovered. */
    private boolean storeFailing;
    /** Entries acknowledged since this outbox was opened (counted under the lock, before waiters wake). */
    private long acknowledgedCount;

    public Outbox(Path dir, int maxEntries, boolean fsync, Consumer<String> log) throws IOException {
        this.dir = dir;
        this.maxEntries = maxEntries;
        this.fsync = fsync;
        this.log = log;
        this.losses = new LossReport(log, LOSS_LOG_PERIOD_NANOS, System::nanoTime);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException("outbox folder " + dir + " is a file; give --outbox-dir a folder (it is created if missing)");
        }
        try {
            Files.createDirectories(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IOException("cannot create the outbox folder " + dir + ": " + e.getFile() + " is a file", e);
        } catch (IOException e) {
            throw new IOException("cannot create the outbox folder " + dir + ": " + reason(e), e);
        }
        long maxSeq = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                } else if (n.endsWith(".msg")) {
                    try {
                        long seq = Long.parseLong(n.substring(0, n.length() - 4));
                        waiting.add(seq);
                        maxSeq = Math.max(maxSeq, seq);
                    } catch (NumberFormatException e) {
                        log.accept("outbox: ignoring unexpected file " + p);
                    }
                }
            }
        }
        long stored = 0;
        Path seqFile = dir.resolve("next-seq");
        if (Files.exists(seqFile)) {
            try {
                // Bytes, not readString: a damaged file need not be UTF-8, and that is damage, not an I/O error.
                long value = Long.parseLong(new String(Files.readAllBytes(seqFile), StandardCharsets.US_ASCII).trim());
                if (value < 0 || value > MAX_SEQ) throw new NumberFormatException("outside 0.." + MAX_SEQ);
                stored = value;
            } catch (NumberFormatException e) {
                log.accept("outbox: " + seqFile + " is damaged; continuing after the highest stored entry");
            }
        }
        nextSeq = Math.max(Math.max(stored, maxSeq + 1), 1);
        reservedUpTo = nextSeq;
        try {
            reserve(nextSeq + SEQ_BLOCK);
        } catch (IOException e) {
            // A full disk must not stop the device: it still classifies and delivers what is stored;
            // append() retries the reservation and drops (and counts) what it cannot store.
            log.accept("outbox: cannot write " + dir.resolve("next-seq") + " (" + reason(e)
                    + "); new messages are dropped until there is room, stored ones are still delivered");
            storeFailing = true;
        }
        if (!waiting.isEmpty()) log.accept("outbox: " + waiting.size() + " undelivered messages from before, delivering them first");
    }

    private void reserve(long upTo) throws IOException {
        AtomicFile.write(dir.resolve("next-seq"), Long.toString(upTo).getBytes(StandardCharsets.US_ASCII), durability());
        reservedUpTo = upTo;
    }

    /**
     * The next sequence number (monotonic across restarts). The block reservation on disk is made by
     * {@link #append}, so a number is only ever stored, and so published, below a reserved bound.
     */
    public synchronized long nextSeq() throws IOException {
        return nextSeq++;
    }

    /**
     * Stores a message durably; drops the oldest waiting entries when the outbox is full. When the message
     * cannot be written (disk full, read-only file system) it is dropped, counted, and the first such loss is
     * logged with the path: the device keeps classifying and delivering what is already stored.
     */
    public synchronized void append(long seq, String topic, int qos, boolean retained, byte[] payload) throws IOException {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + t.length + 2 + payload.length);
        b.putInt(t.length).put(t).put((byte) qos).put((byte) (retained ? 1 : 0)).put(payload).flip();
        try {
            if (seq >= reservedUpTo) reserve(Math.max(seq, nextSeq) + SEQ_BLOCK);
            AtomicFile.write(file(seq), b, durability());
        } catch (IOException e) {
            dropped++;
            storeFailing = true;
            losses.lost(CANNOT_STORE, "cannot store message " + seq + " in " + dir + " (" + reason(e) + "); dropped");
            notifyAll();
            return;
        }
        if (storeFailing) {
            storeFailing = false;
            log.accept("outbox: storing messages in " + dir + " again");
        }
        waiting.add(seq);
        while (waiting.size() + inFlight.size() > maxEntries && !waiting.isEmpty()) {
            long oldest = waiting.pollFirst();
            Files.deleteIfExists(file(oldest));
            dropped++;
            losses.lost("outbox full", "outbox " + dir + " holds its maximum of " + maxEntries
                    + " messages (outbox-max): dropped the oldest waiting one, " + oldest);
        }
        notifyAll();
    }

    /** Takes the oldest waiting entry and marks it in flight; null when none waits. */
    public synchronized Entry takeNext() throws IOException {
        while (!waiting.isEmpty()) {
            long seq = waiting.pollFirst();
            Entry e = read(seq);
            if (e != null) {
                inFlight.add(seq);
                return e;
            }
        }
        return null;
    }

    private Entry read(long seq) throws IOException {
        Path f = file(seq);
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f));
            int tl = b.getInt();
            if (tl < 0 || tl > b.remaining() - 2) throw new IOException("bad topic length " + tl);
            byte[] t = new byte[tl];
            b.get(t);
            int qos = b.get();
            // A damaged entry must not reach Paho, which throws IllegalArgumentException for it on the
            // publishing thread: check what MqttPublisher hands over (QoS, topic) like any other damage.
            if (qos < 0 || qos > 2) throw new IOException("bad qos " + qos);
            String topic = new String(t, StandardCharsets.UTF_8);
            MqttTopic.validate(topic, false);
            boolean retained = b.get() != 0;
            byte[] payload = new byte[b.remaining()];
            b.get(payload);
            return new Entry(seq, topic, qos, retained, payload);
        } catch (IOException | java.nio.BufferUnderflowException | IllegalArgumentException e) {
            moveAside(f, "unreadable or unsendable entry: " + e.getMessage());
            dropped++;
            return null;
        }
    }

    /** The broker acknowledged the entry: delete it. Returns false if it was not (or no longer) here. */
    public synchronized boolean acknowledged(long seq) throws IOException {
        boolean here = inFlight.remove(seq) || waiting.remove(seq);
        if (here) {
            Files.deleteIfExists(file(seq));
            acknowledgedCount++;
        }
        notifyAll();
        return here;
    }

    /** Puts an in-flight entry back to be sent again (its delivery failed or is in doubt). */
    public synchronized void requeue(long seq) {
        if (inFlight.remove(seq) && Files.exists(file(seq))) waiting.add(seq);
        notifyAll();
    }

    /**
     * An in-flight entry that the MQTT client or broker can never accept (e.g. a wildcard in its topic, written
     * by an older version): moves it to {@code rejected/} so it stops blocking the queue, counts it as dropped,
     * and logs the first one.
     */
    public synchronized void setAside(long seq, String why) throws IOException {
        inFlight.remove(seq);
        waiting.remove(seq);
        Path f = file(seq);
        if (Files.exists(f)) moveAside(f, why);
        dropped++;
        notifyAll();
    }

    /** Moves an entry that can never be delivered to {@code rejected/} (kept for inspection) and logs the first one. */
    private void moveAside(Path f, String why) throws IOException {
        Path aside = Files.createDirectories(dir.resolve(REJECTED)).resolve(f.getFileName());
        Files.move(f, aside, StandardCopyOption.REPLACE_EXISTING);
        losses.lost("cannot be sent", "message " + f.getFileName() + " can never be sent (" + why + "); moved to " + aside);
    }

    /** Logs the losses not yet reported; call at shutdown. */
    public void reportLosses() {
        losses.flush();
    }

    /** Puts every in-flight entry back. */
    public synchronized void requeueAll() {
        for (long s : inFlight) if (Files.exists(file(s))) waiting.add(s);
        inFlight.clear();
        notifyAll();
    }

    public synchronized int waitingCount() { return waiting.size(); }
    public synchronized int inFlightCount() { return inFlight.size(); }
    public synchronized int size() { return waiting.size() + inFlight.size(); }
    public synchronized long dropped() { return dropped; }
    public synchronized long acknowledgedCount() { return acknowledgedCount; }
    public synchronized boolean isInFlight(long seq) { return inFlight.contains(seq); }

    /** Waits until the outbox is empty or the timeout passed; returns whether it is empty. */
    public synchronized boolean awaitEmpty(long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (size() > 0) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) return false;
            wait(Math.min(left, 200));
        }
        return true;
    }

    public Path dir() { return dir; }

    /** An I/O error as a person reads it: NoSuchFile and friends carry only a path as their message. */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) return fse.getReason();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private Path file(long seq) {
        return dir.resolve(name(seq) + ".msg");
    }

    private static String name(long seq) {
        return String.format("%020d", seq);
    }

    private AtomicFile.Durability durability() {
        return fsync ? AtomicFile.Durability.FSYNC : AtomicFile.Durability.NONE;
    }
}
