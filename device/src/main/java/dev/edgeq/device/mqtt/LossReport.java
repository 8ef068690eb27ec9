package dev.edgeq.device.mqtt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Logs messages the outbox had to give up without flooding the log of a device that runs for months: the
 * first loss of each kind (full outbox, full disk, rejected by the client) is logged at once with its
 * detail, later ones are summed up at most once per period, and {@link #flush} reports what is left.
 */
final class LossReport {
    private static final class Kind {
        long unreported;
        long lastLogNanos;
    }

    private final Consumer<String> log;
    private final long periodNanos;
    private final LongSupplier clock;
    private final Map<String, Kind> kinds = new LinkedHashMap<>();

    LossReport(Consumer<String> log, long periodNanos, LongSupplier clock) {
        this.log = log;
        this.periodNanos = periodNanos;
        this.clock = clock;
    }

    /**
     * Counts one lost message of {@code kind}; {@code firstDetail} is logged for the first one only (it should
     * name the cause and the path), later ones as "N more".
     */
    synchronized void lost(String kind, String firstDetail) {
        long now = clock.getAsLong();
        Kind k = kinds.get(kind);
        if (k == null) {
            k = new Kind();
            kinds.put(kind, k);
            k.lastLogNanos = now;
            log.accept("outbox: " + firstDetail + "; further losses of this kind are summed up every "
                    + periodNanos / 1_000_000_000L + " s (outbox_dropped in stats)");
            return;
        }
        k.unreported++;
        if (now - k.lastLogNanos >= periodNanos) report(kind, k, now);
    }

    /** Logs the losses not yet reported (at shutdown). */
    synchronized void flush() {
        long now = clock.getAsLong();
        kinds.forEach((kind, k) -> {
            if (k.unreported > 0) report(kind, k, now);
        });
    }

    private void report(String kind, Kind k, long now) {
        log.accept("outbox: " + k.unreported + " more messages lost (" + kind + ") in the last "
                + Math.max(1, (now - k.lastLogNanos) / 1_000_000_000L) + " s");
        k.unreported = 0;
        k.lastLogNanos = now;
    }
}
