package dev.edgeq.device.source;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Counts images that could not be decoded and reports each file once (a folder rescan sees it again). */
final class SkippedImages {
    private final Set<String> reported = new HashSet<>();
    private final AtomicLong count = new AtomicLong();
    private final Consumer<String> log;

    SkippedImages(Consumer<String> log) {
        this.log = log;
    }

    /** Returns true the first time this file is reported. */
    synchronized boolean skip(String file, String why) {
        if (!reported.add(file)) return false;
        count.incrementAndGet();
        log.accept("skipping " + why);
        return true;
    }

    synchronized boolean alreadySkipped(String file) {
        return reported.contains(file);
    }

    long count() {
        return count.get();
    }
}
