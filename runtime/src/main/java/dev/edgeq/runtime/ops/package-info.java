/**
 * Operators: one {@link dev.edgeq.runtime.ops.OpRegistration} per operator type, found through
 * {@link dev.edgeq.runtime.ops.OpRegistry} (TFLite Micro's registration and op resolver).
 *
 * <h2>What happens when an Interpreter is created</h2>
 * <ol>
 *   <li>{@code Model} has already checked the file's structure (tensor shapes and data lengths,
 *       indices in range, every activation written once before it is read).</li>
 *   <li>The arenas are planned and every activation is bound to its array and offset
 *       ({@link dev.edgeq.runtime.ops.TensorStorage}).</li>
 *   <li>For each operator, in order: {@link dev.edgeq.runtime.ops.OpRegistry#resolve} finds its
 *       registration (by {@code OpType}, or by {@code custom_name} for {@code CUSTOM}); the
 *       registration's {@code validate} checks arity, types, options and shapes through the
 *       {@code OpInfo.require...} methods; then {@code prepareFloat} or {@code prepareInt8} (by the
 *       first input's type) picks the kernel, computes multipliers, clamps and tables, and returns a
 *       {@link dev.edgeq.runtime.ops.PreparedOp} bound to the tensors. {@code run()} only calls
 *       {@code PreparedOp.eval()} on each, in order, and allocates nothing.</li>
 * </ol>
 *
 * <h2>Adding a built-in operator (runtime side)</h2>
 * <ol>
 *   <li>{@code proto/src/main/proto/edgeq_model.proto}: a new {@code OpType} value (and an options
 *       message in {@code Operator.options} if it has options).</li>
 *   <li>The kernels, pure static functions over arrays and offsets: {@code kernels/float32/XFloat},
 *       and for int8 {@code kernels/int8/XReference} (the oracle) plus a fast kernel held bit-exact
 *       to it (add it to {@code RandomConfigTest}).</li>
 *   <li>{@code ops/XOp.java}: a class implementing {@link dev.edgeq.runtime.ops.OpRegistration}
 *       (validate, prepareFloat, prepareInt8, macs; a float-only operator extends {@code FloatOnlyOp}). Multi-input
 *       and multi-output operators read {@code ctx.inputIndex(k)} / {@code ctx.outputIndex(k)}.</li>
 *   <li>One line in {@code OpRegistry.builtinTable()}; {@code OpRegistryTest} fails until it is there.</li>
 * </ol>
 * The converter side (ONNX lowering, int8 rule, ONNX export) is one spec class: see
 * {@code dev.edgeq.converter.ops}.
 *
 * <h2>An operator of the user's own</h2>
 * <pre>{@code
 * Interpreter.Options options = Interpreter.Options.builder().register("my_op", new MyOp()).build();
 * Interpreter it = Interpreter.create(model, options);   // model has Operator{type: CUSTOM, custom_name: "my_op"}
 * }</pre>
 * {@code MyOp} implements {@code OpRegistration}; its options travel in {@code Operator.custom_options}.
 */
package dev.edgeq.runtime.ops;
