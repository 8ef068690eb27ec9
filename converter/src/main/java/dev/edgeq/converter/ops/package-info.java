/**
 * The converter's operators: one spec per operator family holding everything the converter knows
 * of it. {@link dev.edgeq.converter.ops.OnnxOpSpec} lowers ONNX nodes into graph IR;
 * {@link dev.edgeq.converter.ops.EdgeqOpSpec} states the edgeq operator's
 * {@link dev.edgeq.converter.ops.Int8Rule} (never defaulted: an operator without one stops
 * quantization with an error), its ONNX QDQ export and its window for inspect's receptive field.
 * {@link dev.edgeq.converter.ops.OpSpecs} lists every spec. The emitter and the inspector have no
 * per-operator code: options are written by message type ({@link dev.edgeq.converter.ops.OperatorOptions}),
 * MACs come from the runtime's {@code OpRegistration.macs}.
 *
 * <h2>Adding an operator, in this order</h2>
 * <ol>
 *   <li>{@code proto/src/main/proto/edgeq_model.proto}: the {@code OpType} value (and an options
 *       message in {@code Operator.options} if it has options).</li>
 *   <li>Runtime kernels: {@code runtime/.../kernels/float32} (float), {@code kernels/int8}
 *       ({@code XReference} and a fast kernel held bit-exact to it by {@code RandomConfigTest}).</li>
 *   <li>Runtime registration: {@code runtime/.../ops/XOp.java} implementing {@code OpRegistration}
 *       (validate, prepareFloat, prepareInt8, macs) and its line in {@code OpRegistry.builtinTable()}.</li>
 *   <li>Converter spec: {@code converter/.../ops/XSpec.java} (lowering, int8 rule, export; an ONNX
 *       op that maps to one edgeq op extends {@code OneToOneSpec}) and its line in {@link
 *       dev.edgeq.converter.ops.OpSpecs}.</li>
 *   <li>Tests: the kernels' random configurations, and a lowering / int8 / export check against ONNX
 *       Runtime. {@code OpRegistryTest} and {@code Int8RuleTest} fail while an {@code OpType} lacks a
 *       registration or a spec.</li>
 * </ol>
 * A new element-wise operator without options therefore touches, besides its kernels and its test,
 * four main files: the proto, its runtime registration {@code XOp}, one line in {@code OpRegistry}
 * and one line in {@code OpSpecs} ({@code new ElementwiseSpec("HardSwish", OpType.HARD_SWISH,
 * Int8Rule.requantizes())}: lowering, rule and export in one line). A table activation defined by
 * a real function needs no {@code XOp} of its own: its function in {@code Activations} and {@code
 * TableActivationOp.of(Activations::f)} in {@code OpRegistry} (Sigmoid, Tanh, SiLU), so again four
 * files. What takes more is outside that pattern: HardSwish's int8 semantics are TFLite's 16-bit
 * fixed-point kernel ({@code HardSwishParams}), not a table of rounded real values, and opset 13
 * has no HardSwish, so exporters write {@code x * HardSigmoid(x)} ({@code FuseSwish} recognises it,
 * {@code TableActivationSpec} writes it back).
 */
package dev.edgeq.converter.ops;
