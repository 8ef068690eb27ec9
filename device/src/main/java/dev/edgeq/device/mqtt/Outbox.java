package dev.edgeq.device.mqtt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
    /** Far beyond any real count (10^18 messages), far enough from Long.MAX_VALUE that seq + SEQ_BLOCK cannot wrap. */
    private static final long MAX_SEQ = 1_000_000_000_000_000_000L;

    /** A stored message. */
    public record Entry(long seq, String topic, int qos, boolean retained, byte[] payload) {}

    private final Path dir;
    private final int maxEntries;
    private final boolean fsync;
    private final Consumer<String> log;
    private final TreeSet<Long> waiting = new TreeSet<>();
    private final Set<Long> inFlight = new HashSet<>();
    private long nextSeq;
    private long reservedUpTo;
    private long dropped;
    /** Entries acknowledged since this outbox was opened (counted under the lock, before waiters wake). */
    private long acknowledgedCount;

    public Outbox(Path dir, int maxEntries, boolean fsync, Consumer<String> log) throws IOException {
        this.dir = dir;
        this.maxEntries = maxEntries;
        this.fsync = fsync;
        this.log = log;
        Files.createDirectories(dir);
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
        reserve(nextSeq + SEQ_BLOCK);
        if (!waiting.isEmpty()) log.accept("outbox: " + waiting.size() + " undelivered messages from before, delivering them first");
    }

    private void reserve(long upTo) throws IOException {
        Path tmp = dir.resolve("next-seq.tmp");
        Files.writeString(tmp, Long.toString(upTo));
        if (fsync) force(tmp);
        Files.move(tmp, dir.resolve("next-seq"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        reservedUpTo = upTo;
    }

    /** The next sequence number (monotonic across restarts). */
    public synchronized long nextSeq() throws IOException {
        if (nextSeq >= reservedUpTo) reserve(nextSeq + SEQ_BLOCK);
        return nextSeq++;
    }

    /** Stores a message durably; drops the oldest waiting entries when the outbox is full. */
    public synchronized void append(long seq, String topic, int qos, boolean retained, byte[] payload) throws IOException {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + t.length + 2 + payload.length);
        b.putInt(t.length).put(t).put((byte) qos).put((byte) (retained ? 1 : 0)).put(payload).flip();
        Path tmp = dir.resolve(name(seq) + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) ch.write(b);
            if (fsync) ch.force(true);
        }
        Files.move(tmp, file(seq), StandardCopyOption.ATOMIC_MOVE);
        if (fsync) forceDir();
        waiting.add(seq);
        while (waiting.size() + inFlight.size() > maxEntries && !waiting.isEmpty()) {
            long oldest = waiting.pollFirst();
            Files.deleteIfExists(file(oldest));
            dropped++;
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
            log.accept("outbox: dropping unreadable entry " + f + " (" + e.getMessage() + ")");
            Files.deleteIfExists(f);
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

    private Path file(long seq) {
        return dir.resolve(name(seq) + ".msg");
    }

    private static String name(long seq) {
        return String.format("%020d", seq);
    }

    private void force(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private void forceDir() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not every file system lets a directory be opened for fsync; the rename is still atomic.
        }
    }
}
