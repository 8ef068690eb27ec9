package dev.edgeq.runtime;

import dev.edgeq.format.DataType;
import dev.edgeq.format.Operator;
import dev.edgeq.runtime.kernels.int8.Int8Kernels;
import dev.edgeq.runtime.kernels.int8.VectorSupport;
import dev.edgeq.runtime.memory.BufferRequest;
import dev.edgeq.runtime.memory.GreedyMemoryPlanner;
import dev.edgeq.runtime.memory.MemoryPlan;
import dev.edgeq.runtime.ops.OpContext;
import dev.edgeq.runtime.ops.OpRegistration;
import dev.edgeq.runtime.ops.OpRegistry;
import dev.edgeq.runtime.ops.PreparedOp;
import dev.edgeq.runtime.ops.QuantizeOp;
import dev.edgeq.runtime.ops.ScratchArena;
import dev.edgeq.runtime.ops.TensorStorage;
import dev.edgeq.runtime.ops.WorkerPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a {@link Model}. Everything is planned and allocated at creation: one arena per data type
 * (int8 activations in a byte[], float activations in a float[], the kernels' scratch in an int[] and a float[]),
 * placed from tensor and scratch lifetimes by {@link GreedyMemoryPlanner}; every operator is
 * prepared once. {@link #run()} allocates nothing.
 *
 * <p>Not thread-safe: create one Interpreter per thread (they share the immutable Model). With
 * {@link Options.Builder#threads(int) threads(n)} one run itself uses n threads.
 * The arrays passed in and out are owned by the caller and copied.
 */
public final class Interpreter implements AutoCloseable {
    /**
     * Creation options, immutable: {@code Options.builder().preserveAllTensors(true).register("my_op", myOp).build()}.
     */
    public static final class Options {
        private static final Options DEFAULTS = builder().build();
        /** More threads than any board this runs on has cores; a larger value is a typo. */
        public static final int MAX_THREADS = 256;

        private final boolean preserveAllTensors;
        private final OpRegistry ops;
        private final int threads;
        private final Int8Kernels.Implementation kernels;

        private Options(Builder b) {
            this.preserveAllTensors = b.preserveAllTensors;
            this.ops = b.ops;
            this.threads = b.threads;
            this.kernels = b.kernels;
        }

        /** No preserved tensors, the built-in operators only. */
        public static Options defaults() {
            return DEFAULTS;
        }

        public static Builder builder() {
            return new Builder();
        }

        public boolean preserveAllTensors() {
            return preserveAllTensors;
        }

        /** The operators this interpreter can run: the built-ins and the registered custom ones. */
        public OpRegistry ops() {
            return ops;
        }

        /** Threads one {@link Interpreter#run()} uses (1: the calling thread only, no pool). */
        public int threads() {
            return threads;
        }

        /** The int8 kernel family every int8 operator is prepared with. */
        public Int8Kernels.Implementation kernels() {
            return kernels;
        }

        /** Collects options; {@link #build()} may be called any number of times. */
        public static final class Builder {
            private boolean preserveAllTensors;
            private OpRegistry ops = OpRegistry.builtins();
            private int threads = 1;
            private Int8Kernels.Implementation kernels = Int8Kernels.Implementation.AUTO;

            private Builder() {}

            /**
             * The int8 kernel family: {@code AUTO} (default: the Vector API kernels when the JVM has
             * module {@code jdk.incubator.vector} and compiles it to SIMD code, i.e. on x86-64 and
             * AArch64; else the scalar ones, e.g. on a 32-bit ARM JVM), {@code SCALAR}, {@code VECTOR},
             * or {@code REFERENCE} (the plain loops the fast kernels are held bit-exact to; slow). All
             * give bit-identical outputs. Float depthwise convolution follows it too ({@code VECTOR}: a
             * vector kernel with the reference's arithmetic, equal up to the sign of a zero).
             *
             * @throws IllegalArgumentException for {@code VECTOR} when the module is absent
             */
            public Builder kernels(Int8Kernels.Implementation family) {
                if (family == Int8Kernels.Implementation.VECTOR && !VectorSupport.available()) {
                    throw new IllegalArgumentException("kernels VECTOR need module jdk.incubator.vector"
                            + " (run java with --add-modules jdk.incubator.vector)");
                }
                kernels = java.util.Objects.requireNonNull(family, "kernels");
                return this;
            }

            /**
             * Splits the heavy operators (convolutions, depthwise convolutions, fully connected layers)
             * over {@code n} threads: the caller of {@link Interpreter#run()} and {@code n - 1} daemon
             * workers started with the interpreter and stopped by {@link Interpreter#close()}. Outputs
             * are bit-identical to one thread; runs still allocate nothing. Default 1 (no workers).
             *
             * @throws IllegalArgumentException when {@code n} is not in [1, 256]
             */
            public Builder threads(int n) {
                if (n < 1 || n > MAX_THREADS) {
                    throw new IllegalArgumentException("threads must be in [1, " + MAX_THREADS + "], got " + n);
                }
                threads = n;
                return this;
            }

            /**
             * Give every tensor its own arena space so that all intermediate results can be read after
             * {@link Interpreter#run()} (calibration and debugging); uses more memory.
             */
            public Builder preserveAllTensors(boolean value) {
                preserveAllTensors = value;
                return this;
            }

            /**
             * Runs operators of type {@code CUSTOM} whose {@code custom_name} is {@code name} with
             * {@code registration} (see {@link OpRegistration} for its contract).
             *
             * @throws IllegalArgumentException when the name is blank or already registered
             */
            public Builder register(String name, OpRegistration registration) {
                ops = ops.withCustom(name, registration);
                return this;
            }

            public Options build() {
                return new Options(this);
            }
        }
    }

    private final Model model;
    private final PreparedOp[] ops;
    private final long[] macs;
    private final TensorStorage storage;
    private final MemoryPlan int8Plan;
    private final MemoryPlan floatPlan;
    /** The kernels' int scratch (see {@link ScratchArena}). */
    private final MemoryPlan scratchPlan;
    /** The float kernels' scratch. */
    private final MemoryPlan floatScratchPlan;
    private final boolean preserveAll;
    private final TensorInfo input;
    private final TensorInfo output;
    /** pixel value (0..255) of channel c -> input element: index c * 256 + pixel. */
    private final float[] pixelToFloat;
    private final byte[] pixelToInt8;
    /** Intra-op workers, or null for one thread. */
    private final WorkerPool pool;
    private final Options options;
    private boolean closed;

    private Interpreter(Model model, Options options) throws ModelFormatException {
        this.model = model;
        this.options = options;
        this.preserveAll = options.preserveAllTensors();
        this.input = model.input();
        this.output = model.output();
        this.storage = new TensorStorage(model);
        List<BufferRequest> int8Requests = new ArrayList<>();
        List<Integer> int8Tensors = new ArrayList<>();
        List<BufferRequest> floatRequests = new ArrayList<>();
        List<Integer> floatTensors = new ArrayList<>();
        int[][] lifetimes = lifetimes(model, preserveAll);
        for (TensorInfo t : model.tensors()) {
            int[] life = lifetimes[t.index()];
            if (t.isConstant() || life == null) {
                continue;
            }
            BufferRequest r = new BufferRequest(t.name(), t.elementCount(), life[0], life[1]);
            if (t.type() == DataType.INT8) {
                int8Requests.add(r);
                int8Tensors.add(t.index());
            } else if (t.type() == DataType.FLOAT32) {
                floatRequests.add(r);
                floatTensors.add(t.index());
            } else {
                throw new ModelFormatException("tensor " + t.describe() + ": INT32 activations are not supported");
            }
        }
        int8Plan = GreedyMemoryPlanner.plan(int8Requests);
        floatPlan = GreedyMemoryPlanner.plan(floatRequests);
        checkArenaFits(int8Plan.arenaSize(), floatPlan.arenaSize(), 0);
        byte[] int8Arena = new byte[int8Plan.arenaSize()];
        float[] floatArena = new float[floatPlan.arenaSize()];
        for (int i = 0; i < int8Tensors.size(); i++) {
            storage.bind(int8Tensors.get(i), int8Arena, int8Plan.offset(i));
        }
        for (int i = 0; i < floatTensors.size(); i++) {
            storage.bind(floatTensors.get(i), floatArena, floatPlan.offset(i));
        }
        OpRegistry registry = options.ops();
        ops = new PreparedOp[model.operatorCount()];
        macs = new long[ops.length];
        pool = options.threads() > 1 ? new WorkerPool(options.threads()) : null;
        ScratchArena scratch = ScratchArena.ints();
        ScratchArena floatScratch = ScratchArena.floats();
        try {
            for (int i = 0; i < ops.length; i++) {
                OpContext ctx = new OpContext(model, i, storage, pool, options.kernels(), scratch, floatScratch);
                ops[i] = registry.prepare(ctx);
                macs[i] = registry.resolve(ctx).macs(ctx);
            }
            scratchPlan = scratch.plan();
            floatScratchPlan = floatScratch.plan();
            checkArenaFits(int8Plan.arenaSize(), floatPlan.arenaSize(), (long) scratchPlan.arenaSize() + floatScratchPlan.arenaSize());
            scratch.allocate();
            floatScratch.allocate();
        } catch (ModelFormatException | RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            throw e;
        }
        pixelToFloat = InputNormalization.of(model).table();
        pixelToInt8 = input.type() == DataType.INT8 ? quantizeTable(pixelToFloat, input) : null;
    }

    /**
     * Refuses arenas (activations, then with the kernels' scratch once it is planned) that exceed the
     * format's limit or half of this JVM's heap, before allocating them: a model file's shapes must not
     * be able to throw an OutOfMemoryError at the device. Half, because the model's constants, the
     * prepared kernels and the application need the rest.
     */
    private static void checkArenaFits(int int8Elements, int floatElements, long scratchInts) throws ModelFormatException {
        long heap = Runtime.getRuntime().maxMemory();
        long bytes = int8Elements + 4L * floatElements + 4L * scratchInts;
        if ((long) floatElements * 4 > ModelFormat.MAX_ARENA_BYTES || int8Elements > ModelFormat.MAX_ARENA_BYTES
                || 4L * scratchInts > ModelFormat.MAX_ARENA_BYTES || bytes > heap / 2) {
            throw new ModelFormatException("activations need " + int8Elements + " int8 bytes and " + floatElements
                    + " floats, kernel scratch " + scratchInts + " ints and floats (" + bytes + " bytes), more than the "
                    + ModelFormat.MAX_ARENA_BYTES
                    + "-byte limit per arena or half of this JVM's " + heap + "-byte heap (-Xmx)");
        }
    }

    /** Plans, allocates and prepares an interpreter for the model. */
    public static Interpreter create(Model model) throws ModelFormatException {
        return new Interpreter(model, Options.defaults());
    }

    /** Plans, allocates and prepares an interpreter for the model, with custom operators or preserved tensors. */
    public static Interpreter create(Model model, Options options) throws ModelFormatException {
        return new Interpreter(model, options);
    }

    /** Per tensor {firstUse, lastUse} in operator indices, or null for a tensor nobody touches. */
    private static int[][] lifetimes(Model model, boolean preserveAll) {
        int n = model.tensors().size();
        int last = model.operatorCount() - 1;
        int[][] life = new int[n][];
        life[model.input().index()] = new int[] {0, 0};
        for (int i = 0; i < model.operatorCount(); i++) {
            Operator op = model.operator(i);
            for (int t : op.getInputsList()) {
                if (t >= 0 && life[t] != null) {
                    life[t][1] = Math.max(life[t][1], i);
                }
            }
            for (int out : op.getOutputsList()) {
                life[out] = new int[] {i, i};
            }
        }
        for (int[] l : life) {
            if (l != null && preserveAll) {
                l[0] = 0;
                l[1] = last;
            }
        }
        life[model.output().index()][1] = last;
        return life;
    }

    private static byte[] quantizeTable(float[] floats, TensorInfo in) {
        byte[] table = new byte[floats.length];
        QuantizeOp.quantize(floats.length, floats, 0, 1f / in.scale(), in.zeroPoint(), table, 0);
        return table;
    }

    /** Runs the model once on the current input. Allocates nothing. */
    public void run() {
        if (closed) {
            throw new IllegalStateException("Interpreter is closed");
        }
        for (PreparedOp op : ops) {
            op.eval();
        }
    }

    /**
     * Runs operator {@code index} alone on the tensors as they stand, for tools that step a model one
     * operator at a time over many inputs and keep the activations themselves between steps (bias
     * correction): with {@link #writeTensorRaw} before and {@link #readTensorRaw} right after, this
     * needs no preserved tensors, because an operator's inputs and output never share arena space.
     * Allocates nothing.
     */
    public void runOperator(int index) {
        if (closed) {
            throw new IllegalStateException("Interpreter is closed");
        }
        ops[index].eval();
    }

    /**
     * Prepares operator {@code index} again from {@code replacement}, the same graph with other
     * constants for that operator (bias correction changes one layer's bias at a time and steps on
     * with {@link #runOperator}): costs that operator's preparation instead of a new interpreter's,
     * which prepares every operator. The operator gets scratch memory of its own; later runs use the
     * replacement's constants for it. Not for a running interpreter: call it between runs.
     *
     * @throws IllegalArgumentException if the replacement differs in anything but that operator's constants
     * @throws ModelFormatException if the replacement's constants are refused by the operator
     */
    public void prepareAgain(int index, Model replacement) throws ModelFormatException {
        if (closed) {
            throw new IllegalStateException("Interpreter is closed");
        }
        Operator op = model.operator(index);
        Operator other = replacement.operator(index);
        if (replacement.operatorCount() != model.operatorCount() || replacement.tensors().size() != model.tensors().size()
                || op.getType() != other.getType() || !op.getInputsList().equals(other.getInputsList())
                || !op.getOutputsList().equals(other.getOutputsList())) {
            throw new IllegalArgumentException("operator " + index + " of model '" + replacement.name()
                    + "' is not the same operator over the same tensors as in model '" + model.name() + "'");
        }
        for (int t : op.getInputsList()) {
            if (t < 0) {
                continue;
            }
            TensorInfo was = model.tensor(t);
            TensorInfo now = replacement.tensor(t);
            if (was.type() != now.type() || was.isConstant() != now.isConstant()
                    || !Arrays.equals(was.shape(), now.shape())) {
                throw new IllegalArgumentException("operator " + index + ": tensor " + now.describe()
                        + " is not of the type and shape of " + was.describe());
            }
            if (now.isConstant()) {
                storage.bindConstant(now);
            }
        }
        ScratchArena scratch = ScratchArena.ints();
        ScratchArena floatScratch = ScratchArena.floats();
        OpContext ctx = new OpContext(replacement, index, storage, pool, options.kernels(), scratch, floatScratch);
        PreparedOp prepared = options.ops().prepare(ctx);
        scratch.plan();
        floatScratch.plan();
        scratch.allocate();
        floatScratch.allocate();
        ops[index] = prepared;
    }

    /**
     * Copies a tensor's raw values ({@code byte[]} for INT8, {@code float[]} for FLOAT32, the
     * tensor's element count) into its arena space. Without {@link Options#preserveAllTensors}, an
     * intermediate tensor only keeps them until another tensor reuses the space: see {@link #runOperator}.
     */
    public void writeTensorRaw(int tensor, Object values) {
        System.arraycopy(values, 0, arena(tensor), storage.offset(tensor), model.tensor(tensor).elementCount());
    }

    /** Copies a tensor's raw values out of its arena space (the counterpart of {@link #writeTensorRaw}). */
    public void readTensorRaw(int tensor, Object dst) {
        System.arraycopy(arena(tensor), storage.offset(tensor), dst, 0, model.tensor(tensor).elementCount());
    }

    private Object arena(int tensor) {
        return model.tensor(tensor).type() == DataType.FLOAT32 ? storage.floats(tensor) : storage.bytes(tensor);
    }

    /**
     * Runs the model once and adds each operator's wall time in nanoseconds to
     * {@code nanosPerOp[i]} (for per-layer profiles). Allocates nothing.
     */
    public void runProfiled(long[] nanosPerOp) {
        if (closed) {
            throw new IllegalStateException("Interpreter is closed");
        }
        for (int i = 0; i < ops.length; i++) {
            long start = System.nanoTime();
            ops[i].eval();
            nanosPerOp[i] += System.nanoTime() - start;
        }
    }

    /**
     * Sets the input from raw 8-bit pixels, H*W*C values with channels innermost (0..255 stored as
     * bytes). The model's normalization is applied through a 256-entry table per channel built at
     * creation, so this does no per-pixel arithmetic beyond a table lookup.
     */
    public void setInputPixels(byte[] pixels, int offset) {
        int n = input.elementCount();
        int channels = input.lastDim();
        int dst = storage.offset(input.index());
        if (pixelToInt8 != null) {
            byte[] arena = storage.bytes(input.index());
            for (int i = 0, c = 0; i < n; i++) {
                arena[dst + i] = pixelToInt8[(c << 8) | (pixels[offset + i] & 0xFF)];
                if (++c == channels) {
                    c = 0;
                }
            }
        } else {
            float[] arena = storage.floats(input.index());
            for (int i = 0, c = 0; i < n; i++) {
                arena[dst + i] = pixelToFloat[(c << 8) | (pixels[offset + i] & 0xFF)];
                if (++c == channels) {
                    c = 0;
                }
            }
        }
    }

    /** Sets the input from normalized float values in NHWC order (quantized if the model is int8). */
    public void setInput(float[] values) {
        int n = input.elementCount();
        if (values.length != n) {
            throw new IllegalArgumentException("input needs " + n + " values " + TensorInfo.shapeString(input.shape())
                    + ", got " + values.length);
        }
        int dst = storage.offset(input.index());
        if (input.type() == DataType.INT8) {
            QuantizeOp.quantize(n, values, 0, 1f / input.scale(), input.zeroPoint(),
                    storage.bytes(input.index()), dst);
        } else {
            System.arraycopy(values, 0, storage.floats(input.index()), dst, n);
        }
    }

    /** Sets an int8 model's input directly from quantized values. */
    public void setInputInt8(byte[] values, int offset) {
        if (input.type() != DataType.INT8) {
            throw new IllegalStateException("model input " + input.describe() + " is not INT8");
        }
        System.arraycopy(values, offset, storage.bytes(input.index()), storage.offset(input.index()), input.elementCount());
    }

    /** Number of output elements (classes). */
    public int outputSize() {
        return output.elementCount();
    }

    /** Copies the output into {@code dst}, dequantized if the model is int8. Allocates nothing. */
    public void outputFloat(float[] dst) {
        readTensor(output.index(), dst);
    }

    /** Copies an int8 model's raw output (the int8 logits). */
    public void outputInt8(byte[] dst) {
        if (output.type() != DataType.INT8) {
            throw new IllegalStateException("model output " + output.describe() + " is not INT8");
        }
        System.arraycopy(storage.bytes(output.index()), storage.offset(output.index()), dst, 0, output.elementCount());
    }

    /**
     * Copies any tensor's current value as floats (dequantized). Intermediate tensors are only
     * meaningful with {@link Options#preserveAllTensors}; constants always are.
     */
    public void readTensor(int tensor, float[] dst) {
        TensorInfo t = model.tensor(tensor);
        boolean readable = preserveAll || t.isConstant() || tensor == output.index() || tensor == input.index();
        if (!readable) {
            throw new IllegalStateException("tensor " + t.describe() + " shares arena space; create the Interpreter with preserveAllTensors");
        }
        int n = t.elementCount();
        int off = storage.offset(tensor);
        if (t.type() == DataType.INT8) {
            QuantizeOp.dequantize(n, storage.bytes(tensor), off, t.scale(), t.zeroPoint(), dst, 0);
        } else if (t.type() == DataType.FLOAT32) {
            System.arraycopy(storage.floats(tensor), off, dst, 0, n);
        } else {
            int[] src = storage.ints(tensor);
            for (int i = 0; i < n; i++) {
                dst[i] = src[off + i];
            }
        }
    }

    public Model model() { return model; }

    /** Multiply-accumulates of operator {@code op} per run, as its registration counts them. */
    public long macs(int op) { return macs[op]; }

    /** Placement of the int8 activations (sizes in bytes). */
    public MemoryPlan int8Plan() { return int8Plan; }
    /** Placement of the float activations (sizes in floats). */
    public MemoryPlan floatPlan() { return floatPlan; }

    /**
     * All the memory one run works in, in bytes: the int8 activation arena, the float activation
     * arena and the kernels' scratch arena ({@link #scratchBytes()}). Constants (weights) are not
     * included.
     */
    public long arenaBytes() {
        return int8Plan.arenaSize() + 4L * floatPlan.arenaSize() + scratchBytes();
    }

    /** The part of {@link #arenaBytes()} that is kernel scratch (im2col rows, accumulators), planned like the tensors. */
    public long scratchBytes() {
        return 4L * scratchPlan.arenaSize() + 4L * floatScratchPlan.arenaSize();
    }

    /**
     * The smallest possible {@link #arenaBytes()}: per arena, the largest sum of simultaneously live
     * buffers (tensors or scratch).
     */
    public long arenaLowerBoundBytes() {
        return int8Plan.lowerBound() + 4L * floatPlan.lowerBound() + 4L * scratchPlan.lowerBound() + 4L * floatScratchPlan.lowerBound();
    }

    /** Threads one run uses (see {@link Options.Builder#threads}). */
    public int threads() {
        return pool == null ? 1 : pool.threads();
    }

    /** Stops the worker threads, if any; later runs throw. */
    @Override
    public void close() {
        closed = true;
        if (pool != null) {
            pool.close();
        }
    }
}
