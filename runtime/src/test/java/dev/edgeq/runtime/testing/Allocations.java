package dev.edgeq.runtime.testing;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Assertions;

/** Measures Java heap bytes allocated by the current thread (for the zero-allocation tests). */
public final class Allocations {
    private Allocations() {}

    static final long PATIENCE_MILLIS = 20_000;
    /** How long {@link #whereItAllocates} runs the body under a flight recording. */
    private static final long DIAGNOSIS_MILLIS = 3_000;

    /**
     * Runs {@code body} {@code rounds} times (stopping at the first round that allocates nothing)
     * and returns the fewest bytes one round allocated. A late JIT recompilation (or Vector API code
     * not yet compiled by C2) can allocate once; code that allocates per call does so in every round.
     * While no round has been allocation-free, rounds go on for up to {@value #PATIENCE_MILLIS} ms past
     * the given count: on a busy machine C2's queue (hundreds of vector kernel shapes compiled by earlier
     * tests) can hold a kernel's compilation for seconds, and until then the Vector API allocates.
     */
    public static long fewestBytes(int rounds, Runnable body) {
        return fewestBytes(rounds, body, List.of(Thread.currentThread()));
    }

    /** As {@link #fewestBytes(int, Runnable)}, counting what all {@code threads} allocate together (worker pools). */
    public static long fewestBytes(int rounds, Runnable body, List<Thread> threads) {
        return fewestBytes(rounds, body, threads, PATIENCE_MILLIS);
    }

    /**
     * Fails unless some round of {@code body} allocates nothing on the current thread ({@link
     * #fewestBytes(int, Runnable)}); the message names {@code what} and where it allocated.
     */
    public static void assertAllocatesNothing(int rounds, Runnable body, String what) {
        assertAllocatesNothing(rounds, body, List.of(Thread.currentThread()), what);
    }

    /** As {@link #assertAllocatesNothing(int, Runnable, String)}, counting all {@code threads} together. */
    public static void assertAllocatesNothing(int rounds, Runnable body, List<Thread> threads, String what) {
        failIfAllocated(fewestBytes(rounds, body, threads), body, threads, what);
    }

    /** The failure of {@link #assertAllocatesNothing} when {@code bytes} is not 0, with {@link #whereItAllocates}. */
    static void failIfAllocated(long bytes, Runnable body, List<Thread> threads, String what) {
        if (bytes != 0) {
            Assertions.fail(what + ": " + bytes + " bytes allocated in the round that allocated least, expected 0; "
                    + whereItAllocates(body, threads));
        }
    }

    /** The fewest bytes of exactly {@code rounds} rounds, for code that is meant to allocate (no waiting for zero). */
    public static long fewestBytesOfAllocatingCode(int rounds, Runnable body) {
        return fewestBytes(rounds, body, List.of(Thread.currentThread()), 0);
    }

    /**
     * Where {@code body} allocates on {@code threads}: the most sampled allocation stacks of a few
     * seconds of runs under a flight recording, for a zero-allocation test's failure message. These
     * failures depend on how C2 compiled the kernels in that JVM (one full suite in several), so the
     * stacks have to come from the JVM that failed; the sampler sees only allocations that fill a TLAB,
     * so it may find none when little is allocated.
     */
    private static String whereItAllocates(Runnable body, List<Thread> threads) {
        Set<Long> ids = threads.stream().map(Thread::getId).collect(Collectors.toSet());
        Map<String, Integer> stacks = new HashMap<>();
        try (Recording r = new Recording()) {
            r.enable("jdk.ObjectAllocationSample").with("throttle", "off").withStackTrace();
            r.start();
            long end = System.nanoTime() + DIAGNOSIS_MILLIS * 1_000_000L;
            while (System.nanoTime() < end) {
                body.run();
            }
            r.stop();
            Path file = Files.createTempFile("edgeq-allocations", ".jfr");
            try {
                r.dump(file);
                for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                    if (e.getThread() == null || !ids.contains(e.getThread().getJavaThreadId()) || e.getStackTrace() == null) {
                        continue;
                    }
                    StringBuilder s = new StringBuilder(typeName(e.getClass("objectClass").getName()));
                    List<RecordedFrame> frames = e.getStackTrace().getFrames();
                    for (int i = 0; i < Math.min(12, frames.size()); i++) {
                        RecordedFrame f = frames.get(i);
                        s.append("\n    at ").append(f.getMethod().getType().getName()).append('.').append(f.getMethod().getName())
                                .append(" (").append(f.getType()).append(')');
                    }
                    stacks.merge(s.toString(), 1, Integer::sum);
                }
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (stacks.isEmpty()) {
            return "no allocation sampled in " + DIAGNOSIS_MILLIS + " ms";
        }
        StringBuilder out = new StringBuilder("most sampled allocations (of " + stacks.size() + " stacks):");
        stacks.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(3)
                .forEach(en -> out.append("\n  ").append(en.getValue()).append(" x ").append(en.getKey()));
        return out.toString();
    }

    /** {@code long[]} for {@code [J}: the recording names classes as the JVM does. */
    private static String typeName(String jvmName) {
        try {
            return Class.forName(jvmName, false, Allocations.class.getClassLoader()).getTypeName();
        } catch (ClassNotFoundException | LinkageError e) {
            return jvmName;
        }
    }

    private static long fewestBytes(int rounds, Runnable body, List<Thread> threads, long patienceMillis) {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = new long[threads.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = threads.get(i).getId();
        }
        long fewest = Long.MAX_VALUE;
        long giveUp = System.nanoTime() + patienceMillis * 1_000_000L;
        for (int round = 0; fewest != 0 && (round < rounds || System.nanoTime() < giveUp); round++) {
            long before = sum(mx, ids);
            body.run();
            fewest = Math.min(fewest, sum(mx, ids) - before);
        }
        return fewest;
    }

    /** One thread at a time: the array-returning overload would allocate inside the measurement. */
    private static long sum(ThreadMXBean mx, long[] ids) {
        long s = 0;
        for (long id : ids) {
            s += mx.getThreadAllocatedBytes(id);
        }
        return s;
    }
}
