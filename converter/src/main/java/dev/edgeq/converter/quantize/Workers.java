package dev.edgeq.converter.quantize;

import dev.edgeq.converter.ConversionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The threads calibration spreads images over. Work is split into fixed contiguous blocks of
 * images, one per worker, and every per-image result is kept apart until the caller combines them
 * in image order: results never depend on the thread count or on scheduling.
 */
final class Workers implements AutoCloseable {
    /** One image's work on one worker (the worker index selects that thread's own interpreters). */
    @FunctionalInterface
    interface ImageTask {
        void run(int worker, int image) throws Exception;
    }

    private final int count;
    private final ExecutorService pool;

    /** {@code threads} workers, or one per available processor when 0. */
    Workers(int threads) {
        count = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        pool = count > 1 ? Executors.newFixedThreadPool(count, r -> {
            Thread t = new Thread(r, "edgeq-calibration");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    int count() {
        return count;
    }

    /** Runs {@code task} for images {@code [0, images)}, worker w taking the w-th contiguous block. */
    void forEachImage(int images, ImageTask task) throws ConversionException {
        if (pool == null) {
            block(task, 0, 0, images);
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            int worker = w;
            int from = (int) ((long) images * w / count);
            int to = (int) ((long) images * (w + 1) / count);
            futures.add(pool.submit(() -> {
                block(task, worker, from, to);
                return null;
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConversionException("calibration was interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof ConversionException c) {
                    throw c;
                }
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new ConversionException("calibration: " + cause.getMessage(), cause);
            }
        }
    }

    private static void block(ImageTask task, int worker, int from, int to) throws ConversionException {
        for (int image = from; image < to; image++) {
            try {
                task.run(worker, image);
            } catch (ConversionException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new ConversionException("calibration image " + image + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
