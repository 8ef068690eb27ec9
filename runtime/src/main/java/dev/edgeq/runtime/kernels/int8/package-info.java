/**
 * int8 fixed-point kernels (TFLite-compatible semantics, bit-exact with TFLite's reference integer
 * kernels; golden cases in {@code src/test/resources/conformance/tflite-int8}).
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>One op per file; pure functions over caller-owned arrays plus start indices; no allocation,
 *       no logging, no rounded float arithmetic at eval time: the float-exact kernels use float lanes
 *       only where every value and every partial sum is an integer below 2^24 (exact, so the result is
 *       the int32 result on any CPU; the chunk limits are proved in the kernels and tested at their
 *       extremes). Everything per-layer is computed at prepare time into immutable objects (validate in
 *       prepare, trust in eval).</li>
 *   <li>Every op has a {@code ...Reference} kernel (plain loops, the oracle, never optimized) and
 *       fast kernels held bit-exact to it by the tests (golden cases + random configurations).</li>
 *   <li>Windowed ops' parameters ({@link ConvParams}, {@link PoolParams}) hold the window as a
 *       {@link dev.edgeq.runtime.kernels.ConvGeometry} (dims, kernel, stride, dilation, padding, depth
 *       multiplier, groups; validated and sized there, shared with the float kernels) and add only
 *       their arithmetic (offsets, activation range, per-channel multipliers and shifts), as
 *       CMSIS-NN's dims, conv params and per-channel quant params.</li>
 *   <li>Requantization is always {@link dev.edgeq.runtime.quant.QuantizedMultiplier#multiplyByQuantizedMultiplier}
 *       (TFLite's double rounding); the vectorized output stage reproduces it bit for bit.</li>
 * </ul>
 *
 * <h2>How the Interpreter uses them</h2>
 * <pre>{@code
 * // prepare (model load): parameters, then a kernel chosen once by Int8Kernels
 * ConvParams p = ConvParams.builder()
 *     .input(1, inH, inW, inC).output(outH, outW, outC).kernel(kH, kW)  // the window: a ConvGeometry
 *     .stride(sH, sW).dilation(dH, dW).padding(top, left, bottom, right)  // (or .geometry(g))
 *     .offsets(-inputZeroPoint, outputZeroPoint)
 *     .activation(range.min(), range.max())            // ActivationRange.relu6(outScale, outZp) ...
 *     .perChannel(multipliers, shifts)                  // QuantizedMultiplier.quantizeMultiplier(inScale * wScale[c] / outScale)
 *     .build();
 * Int8Kernel conv = Int8Kernels.conv2D(p, weightsOHWI, 0, biasOrNull, 0);      // AUTO: vector if available
 * int scratchInts = conv.scratchInts();                 // plan these in the arenas (int[] and float[] scratch)
 * int scratchFloats = conv.scratchFloats();
 * // run (per inference, allocation-free):
 * conv.eval(arena, inputOffset, arena, outputOffset, scratch, scratchOffset, floatScratch, floatScratchOffset);
 * }</pre>
 *
 * <table>
 *   <caption>Ops</caption>
 *   <tr><th>op</th><th>parameters</th><th>prepare</th><th>reference</th></tr>
 *   <tr><td>Conv2D (NHWC, OHWI)</td><td>{@link ConvParams}</td><td>{@link Int8Kernels#conv2D}</td><td>{@link Conv2DReference}</td></tr>
 *   <tr><td>DepthwiseConv2D (1HWO, depth multiplier)</td><td>{@link ConvParams}</td><td>{@link Int8Kernels#depthwiseConv2D}</td><td>{@link DepthwiseConv2DReference}</td></tr>
 *   <tr><td>FullyConnected ([out][in])</td><td>{@link FullyConnectedParams}</td><td>{@link Int8Kernels#fullyConnected}</td><td>{@link FullyConnectedReference}</td></tr>
 *   <tr><td>MaxPool2D / GlobalMaxPool</td><td>{@link PoolParams} ({@link PoolParams#global})</td><td>{@link Int8Kernels#maxPool2D}</td><td>{@link MaxPool2DReference}</td></tr>
 *   <tr><td>AveragePool2D / GlobalAveragePool (TFLite divisor or ONNX count_include_pad)</td><td>{@link PoolParams}</td><td>{@link Int8Kernels#averagePool2D}</td><td>{@link AveragePool2DReference}</td></tr>
 *   <tr><td>Add (two inputs, own scales)</td><td>{@link AddParams#fromScales}</td><td>{@link AddFast#prepare}</td><td>{@link AddReference}</td></tr>
 *   <tr><td>Requantize (int8 to int8)</td><td>{@link Requantize#fromScales}</td><td>(itself)</td><td>{@link Requantize#eval}</td></tr>
 *   <tr><td>grouped Conv2D (OHWI, I = C / groups)</td><td>{@link ConvParams} ({@code groups})</td><td>{@link Int8Kernels#conv2D} ({@link GroupedConv2DFast})</td><td>{@link Conv2DReference}</td></tr>
 *   <tr><td>Add / Sub / Mul of two activations, one possibly a per-channel gate</td><td>{@link AddParams} ({@link AddParams#subFromScales}), {@link MulParams}</td><td>{@link Int8Kernels#elementPair} ({@link BroadcastBinaryFast}: 64K pair table; vector: the arithmetic in int lanes)</td><td>{@link BroadcastBinaryReference}</td></tr>
 *   <tr><td>Sigmoid, Tanh, HardSigmoid, SiLU (TFLite's table semantics); HardSwish (TFLite's int16 fixed point)</td><td>{@link RealFunctionTable}, {@link HardSwishParams}</td><td>{@link Int8Kernels#lookupTable} ({@link LookupTableFast}: 256-entry table; vector: the table in byte-lane slices)</td><td>{@link LookupTableReference}</td></tr>
 *   <tr><td>PRelu (per-channel slope)</td><td>{@link PReluParams}</td><td>{@link PReluFast#prepare} (a table per channel)</td><td>{@link PReluReference}</td></tr>
 *   <tr><td>Mean over H, W (TFLite Mean's rounding)</td><td>{@link MeanParams}</td><td>{@link Int8Kernels#mean}</td><td>{@link MeanReference}</td></tr>
 *   <tr><td>Concatenation along channels (copy, or requantize an input)</td><td>{@link ConcatParams}</td><td>{@link ConcatFast#prepare}</td><td>{@link ConcatReference}</td></tr>
 *   <tr><td>Slice / Split along channels</td><td>begin, size</td><td>{@link dev.edgeq.runtime.kernels.ChannelCopy#slice}</td><td>{@link ChannelSliceReference}</td></tr>
 *   <tr><td>Channel permutation (shuffle)</td><td>permutation</td><td>{@link PermuteChannelsFast#prepare}</td><td>{@link PermuteChannelsReference}</td></tr>
 * </table>
 *
 * <h2>Implementations</h2>
 * {@link Int8Kernels.Implementation}: {@code REFERENCE} (the oracle, for debugging), {@code SCALAR}
 * (pure Java 17: {@link Conv2DFast}, {@link DepthwiseConv2DFast}, {@link FullyConnectedFast},
 * {@link MaxPool2DFast}, {@link AveragePool2DFast}), {@code VECTOR} (Vector API kernels
 * {@code Conv2DFloatExact} and {@code FullyConnectedFloatExact} (exact integer sums in float FMA
 * arithmetic on the micro-kernel {@code FmaTiles}, whose twin {@code float32.FloatTiles} serves the float
 * kernels; groups included),
 * {@code DepthwiseConv2DFloatExact} (exact sums in float lanes too), {@code MaxPool2DVector},
 * {@code BroadcastBinaryVector} (Mul in int lanes, Add / Sub too on JDK 25+: on JDK 17 C2 boxed their loop once
 * other kernels had polluted the type profiles), {@code LookupTableVector} (JDK 25+ too, same reason); average pooling and Mean run the
 * scalar kernels with the channel sums in int lanes),
 * {@code AUTO} (VECTOR when {@link VectorSupport#accelerated()}, else SCALAR); an Interpreter takes
 * the family from {@code Interpreter.Options.Builder#kernels}. The vector kernels need
 * {@code --add-modules jdk.incubator.vector} on the java command line; without it the runtime runs
 * the scalar kernels and never loads a vector class. JVM-wide switches (the species must be
 * {@code static final} for C2 to intrinsify them): {@code -Dedgeq.vectorBits=128|256|512},
 * {@code -Dedgeq.vectorRequant=true|false}.
 *
 * <h2>Ownership and threads</h2>
 * Prepared kernels copy the constants they are given (weights, bias, multipliers) and are
 * immutable: share them across threads freely. Input, output and scratch arrays belong to the
 * caller; a kernel reads the input, writes exactly its output tensor and uses its scratch range as
 * temporary memory with undefined content before and after the call. Output may not overlap input.
 */
package dev.edgeq.runtime.kernels.int8;
