package dev.edgeq.cli;

import dev.edgeq.device.Json;
import dev.edgeq.runtime.Interpreter;
import dev.edgeq.runtime.Model;
import dev.edgeq.runtime.ShapeText;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code edgeq bench}: how fast a model runs on this board. Warms up (so the JIT has compiled the
 * kernels), then times single inferences (pixels in, {@code run()}, scores out) for a fixed time and
 * reports median and p99 latency, inferences/s, Java heap bytes allocated per inference (from the
 * thread's allocation counter: 0 is the runtime's promise), the activation arena and its lower bound,
 * and a per-layer profile from {@link Interpreter#runProfiled}: time share and MAC/s per operator.
 *
 * <p>{@code --threads N} gives each interpreter N threads for one inference (intra-op parallelism,
 * {@code Interpreter.Options.threads}: lower latency for one camera). {@code --streams N} runs N
 * interpreters at once, one per thread, sharing the model (how a board with N cores serves N
 * streams); latency percentiles then pool all streams' samples and inferences/s is the total. The
 * per-layer profile is taken on the first stream's interpreter.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure a model's latency, throughput, allocation and per-layer profile on this machine.")
public final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.eqm", description = "The model file.")
    Path modelPath;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads one inference uses (intra-op parallelism, default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--streams", paramLabel = "N", defaultValue = "1",
            description = "Interpreters running at once, one per thread, each with --threads threads (default: ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
            description = "Measurement time in seconds, after warm-up (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "2",
            description = "Warm-up time in seconds (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    /**
     * Runs the command on its own ({@code java -cp edgeq.jar dev.edgeq.cli.BenchCommand ...}), as
     * tools/bench/run does so that it works whether or not Main lists the subcommand.
     */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new BenchCommand()).execute(args));
    }

    /** Longest extra warm-up while runs still allocate (the JIT has not finished). */
    static final double MAX_EXTRA_WARMUP_SECONDS = 30;

    /** Samples kept per thread; beyond that, latencies are still counted but not stored. */
    static final int MAX_SAMPLES = 1 << 18;

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || threads > 256) {
            throw new Main.UsageError("--threads must be between 1 and 256, got " + threads);
        }
        if (streams < 1 || streams > 256) {
            throw new Main.UsageError("--streams must be between 1 and 256, got " + streams);
        }
        if (!(seconds > 0) || !(warmupSeconds >= 0)) {
            throw new Main.UsageError("--seconds must be > 0 and --warmup >= 0");
        }
        Model model = ModelFiles.load(modelPath);
        Result r = measure(model, modelPath.toString(), streams, threads, warmupSeconds, seconds);
        if (json) {
            System.out.println(new String(Json.pretty(r.toJson()), java.nio.charset.StandardCharsets.UTF_8));
        } else {
            System.out.print(r.toText());
        }
        return 0;
    }

    /** One operator's share of the profile. */
    record Layer(int index, String name, String type, String outputShape, long macs, double nanosPerRun, double share) {
        double macsPerSecond() {
            return nanosPerRun > 0 ? macs / (nanosPerRun * 1e-9) : 0;
        }
    }

    /** What {@code bench} measured. */
    record Result(String model, String file, String dataType, int streams, int threads, long inferences, double seconds,
            double warmupSeconds, double medianMicros, double p99Micros, double meanMicros, double minMicros, double inferencesPerSecond,
            double bytesPerInference, long arenaBytes, long arenaLowerBoundBytes, long totalMacs, List<Layer> layers,
            String jvm, String cpu, Optional<String> emulation) {

        String toText() {
            StringBuilder s = new StringBuilder();
            emulation.ifPresent(note -> s.append("NOTE: ").append(note).append('\n'));
            s.append(String.format(Locale.ROOT, "model        %s (%s, %s)%n", model, file, dataType));
            s.append(String.format(Locale.ROOT, "machine      %s; %s%n", cpu, jvm));
            s.append(String.format(Locale.ROOT, "threads      %d per inference; %d stream(s), one interpreter each%n", threads, streams));
            s.append(String.format(Locale.ROOT, "inferences   %d in %.2f s (after %.1f s of warm-up)%n", inferences, seconds,
                    warmupSeconds));
            s.append(String.format(Locale.ROOT, "latency      median %.1f us, p99 %.1f us, mean %.1f us, min %.1f us%n",
                    medianMicros, p99Micros, meanMicros, minMicros));
            s.append(String.format(Locale.ROOT, "throughput   %.0f inferences/s%n", inferencesPerSecond));
            s.append(String.format(Locale.ROOT, "allocation   %.2f bytes/inference (Java heap, measured threads)%n", bytesPerInference));
            s.append(String.format(Locale.ROOT, "arena        %d bytes (lower bound %d)%n", arenaBytes, arenaLowerBoundBytes));
            s.append(String.format(Locale.ROOT, "MACs         %d per inference, %.2f GMAC/s effective%n", totalMacs,
                    medianMicros > 0 ? totalMacs / (medianMicros * 1e3) : 0));
            s.append(String.format(Locale.ROOT, "%n%-3s %-28s %-20s %-14s %12s %10s %7s %9s%n",
                    "#", "layer", "op", "output HxWxC", "MACs", "us/run", "share", "GMAC/s"));
            for (Layer l : layers) {
                s.append(String.format(Locale.ROOT, "%-3d %-28s %-20s %-14s %12d %10.2f %6.1f%% %9s%n", l.index(),
                        truncate(l.name(), 28), l.type(), l.outputShape(), l.macs(), l.nanosPerRun() / 1e3,
                        100 * l.share(), l.macs() > 0 ? String.format(Locale.ROOT, "%.2f", l.macsPerSecond() / 1e9) : "-"));
            }
            return s.toString();
        }

        java.util.Map<String, Object> toJson() {
            java.util.Map<String, Object> root = Json.object();
            root.put("model", model);
            root.put("file", file);
            root.put("data_type", dataType);
            root.put("threads", threads);
            root.put("streams", streams);
            root.put("inferences", inferences);
            root.put("seconds", seconds);
            root.put("warmup_seconds", warmupSeconds);
            java.util.Map<String, Object> latency = Json.putObject(root, "latency_us");
            latency.put("median", medianMicros);
            latency.put("p99", p99Micros);
            latency.put("mean", meanMicros);
            latency.put("min", minMicros);
            root.put("inferences_per_second", inferencesPerSecond);
            root.put("bytes_allocated_per_inference", bytesPerInference);
            root.put("arena_bytes", arenaBytes);
            root.put("arena_lower_bound_bytes", arenaLowerBoundBytes);
            root.put("macs", totalMacs);
            root.put("jvm", jvm);
            root.put("cpu", cpu);
            root.put("emulation", emulation.orElse(null));
            List<Object> ls = Json.putArray(root, "layers");
            for (Layer l : layers) {
                java.util.Map<String, Object> o = Json.object();
                ls.add(o);
                o.put("index", l.index());
                o.put("name", l.name());
                o.put("op", l.type());
                o.put("output_shape", l.outputShape());
                o.put("macs", l.macs());
                o.put("us_per_run", l.nanosPerRun() / 1e3);
                o.put("time_share", l.share());
                o.put("macs_per_second", l.macsPerSecond());
            }
            return root;
        }

        private static String truncate(String s, int n) {
            return s.length() <= n ? s : s.substring(0, n - 1) + "~";
        }
    }

    /** Per-thread measurement state, allocated before timing starts. */
    private static final class Worker implements Runnable {
        final Interpreter interpreter;
        final byte[] pixels;
        final float[] out;
        final long[] samples = new long[MAX_SAMPLES];
        final CyclicBarrier start;
        final double warmupSeconds;
        final double seconds;
        long count;
        long elapsedNanos;
        long allocatedBytes;
        long warmupNanos;
        Throwable failure;

        Worker(Model model, int threads, byte[] pixels, CyclicBarrier start, double warmupSeconds, double seconds)
                throws Exception {
            this.interpreter = Interpreter.create(model, Interpreter.Options.builder().threads(threads).build());
            this.pixels = pixels;
            this.out = new float[interpreter.outputSize()];
            this.start = start;
            this.warmupSeconds = warmupSeconds;
            this.seconds = seconds;
        }

        private void once() {
            interpreter.setInputPixels(pixels, 0);
            interpreter.run();
            interpreter.outputFloat(out);
        }

        @Override
        public void run() {
            try {
                com.sun.management.ThreadMXBean mx = threadBean();
                long tid = Thread.currentThread().getId();
                long warmStart = System.nanoTime();
                long warmEnd = warmStart + (long) (warmupSeconds * 1e9);
                int warmed = 0;
                while (System.nanoTime() < warmEnd || warmed < 50) {
                    once();
                    warmed++;
                }
                // Until the JIT has compiled the hot code (C2 scalar-replaces what the interpreter and
                // C1 allocate, Vector API values above all), runs allocate: keep warming, in half-second
                // windows, until one allocates nothing (at most MAX_EXTRA_WARMUP_SECONDS more).
                long extraEnd = System.nanoTime() + (long) (MAX_EXTRA_WARMUP_SECONDS * 1e9);
                while (mx != null && System.nanoTime() < extraEnd) {
                    long before = mx.getThreadAllocatedBytes(tid);
                    long windowEnd = System.nanoTime() + 500_000_000L;
                    do {
                        once();
                    } while (System.nanoTime() < windowEnd);
                    if (mx.getThreadAllocatedBytes(tid) - before <= 64) {
                        break;
                    }
                }
                warmupNanos = System.nanoTime() - warmStart;
                start.await();
                // what reading the counter itself costs, subtracted below
                long probe = mx == null ? 0 : mx.getThreadAllocatedBytes(tid);
                long probeCost = mx == null ? 0 : mx.getThreadAllocatedBytes(tid) - probe;
                long bytesBefore = mx == null ? -1 : mx.getThreadAllocatedBytes(tid);
                long t0 = System.nanoTime();
                long end = t0 + (long) (seconds * 1e9);
                long now = t0;
                while (now < end) {
                    long s = now;
                    once();
                    now = System.nanoTime();
                    if (count < samples.length) {
                        samples[(int) count] = now - s;
                    }
                    count++;
                }
                elapsedNanos = now - t0;
                allocatedBytes = mx == null ? -1 : Math.max(0, mx.getThreadAllocatedBytes(tid) - bytesBefore - probeCost);
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    static com.sun.management.ThreadMXBean threadBean() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (mx instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()) {
            if (!sun.isThreadAllocatedMemoryEnabled()) {
                sun.setThreadAllocatedMemoryEnabled(true);
            }
            return sun;
        }
        return null;
    }

    /** Runs the measurement (tests call this directly with short times). */
    static Result measure(Model model, String file, int streams, int threads, double warmupSeconds, double seconds)
            throws Exception {
        byte[] pixels = new byte[model.input().elementCount()];
        new Random(42).nextBytes(pixels);
        CyclicBarrier start = new CyclicBarrier(streams);
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < streams; t++) {
            workers.add(new Worker(model, threads, pixels, start, warmupSeconds, seconds));
        }
        List<Thread> running = new ArrayList<>();
        for (int t = 1; t < streams; t++) {
            Thread th = new Thread(workers.get(t), "edgeq-bench-" + t);
            th.start();
            running.add(th);
        }
        workers.get(0).run();
        for (Thread th : running) {
            th.join();
        }
        long count = 0;
        long allocated = 0;
        double maxSeconds = 0;
        double warmup = 0;
        int stored = 0;
        for (Worker w : workers) {
            if (w.failure != null) {
                throw new IllegalStateException("benchmark thread failed: " + w.failure, w.failure);
            }
            count += w.count;
            allocated = allocated < 0 || w.allocatedBytes < 0 ? -1 : allocated + w.allocatedBytes;
            maxSeconds = Math.max(maxSeconds, w.elapsedNanos / 1e9);
            warmup = Math.max(warmup, w.warmupNanos / 1e9);
            stored += (int) Math.min(w.count, MAX_SAMPLES);
        }
        long[] all = new long[stored];
        int k = 0;
        double sum = 0;
        for (Worker w : workers) {
            int n = (int) Math.min(w.count, MAX_SAMPLES);
            System.arraycopy(w.samples, 0, all, k, n);
            k += n;
        }
        Arrays.sort(all);
        for (long v : all) {
            sum += v;
        }
        Interpreter first = workers.get(0).interpreter;
        List<Layer> layers = profile(model, first, pixels, Math.max(0.2, Math.min(2.0, seconds / 2)));
        long totalMacs = layers.stream().mapToLong(Layer::macs).sum();
        Result r = new Result(model.name(), file, model.isQuantized() ? "int8" : "float32", streams, threads, count, maxSeconds, warmup,
                percentile(all, 0.50) / 1e3, percentile(all, 0.99) / 1e3, all.length == 0 ? 0 : sum / all.length / 1e3,
                all.length == 0 ? 0 : all[0] / 1e3, count / maxSeconds,
                allocated < 0 ? Double.NaN : (double) allocated / count,
                first.arenaBytes(), first.arenaLowerBoundBytes(), totalMacs, layers,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + " (" + System.getProperty("os.arch") + ")",
                cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores",
                EmulationDetector.emulationNote());
        for (Worker w : workers) {
            w.interpreter.close();
        }
        return r;
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * Per-operator times from runProfiled over about {@code seconds}, with MACs as the operators'
     * registrations count them ({@link Interpreter#macs}).
     */
    static List<Layer> profile(Model model, Interpreter it, byte[] pixels, double seconds) {
        int ops = model.operatorCount();
        long[] nanos = new long[ops];
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long runs = 0;
        while (System.nanoTime() < end || runs < 10) {
            it.setInputPixels(pixels, 0);
            it.runProfiled(nanos);
            runs++;
        }
        long total = Arrays.stream(nanos).sum();
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < ops; i++) {
            layers.add(new Layer(i, model.operator(i).getName(), model.operator(i).getType().name(),
                    ShapeText.outputHwc(model.proto(), i), it.macs(i),
                    (double) nanos[i] / runs, total == 0 ? 0 : (double) nanos[i] / total));
        }
        return layers;
    }

    static String cpuModel() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") || line.startsWith("Model")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception e) {
            // not Linux, or no permission: fall through
        }
        return System.getProperty("os.arch");
    }
}
