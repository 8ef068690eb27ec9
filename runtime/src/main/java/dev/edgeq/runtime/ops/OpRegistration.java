package dev.edgeq.runtime.ops;

import dev.edgeq.runtime.ModelFormatException;

/**
 * Everything the runtime knows about one operator type, in one object (TFLite Micro's
 * {@code TfLiteRegistration}): its validation, its prepare step for float and for int8 models, and
 * its multiply-accumulate count. The built-in operators are listed in {@link OpRegistry#builtins()};
 * a user adds an operator of their own with {@code Interpreter.Options.builder().register(name, registration)}
 * and stores it in a model file as an operator of type {@code CUSTOM} with that {@code custom_name}.
 *
 * <p>Life cycle, once per operator when an {@code Interpreter} is created: {@link #validate}, then
 * {@link #prepareFloat} when the operator's first input is FLOAT32 or {@link #prepareInt8} when it is
 * INT8 (QUANTIZE is thus prepared as float, DEQUANTIZE as int8). Prepare does all the work that
 * depends only on the model: it picks the kernel (reference, scalar or vector), computes
 * multipliers, shifts, clamps and lookup tables, allocates the op's own scratch, and binds the
 * tensors' arrays and offsets into the returned {@link PreparedOp}, whose {@code eval()} then only
 * runs the kernel (validate in prepare, trust in eval). {@link #macs} is asked by inspect, bench and
 * the per-layer profile; it reads shapes and options only.
 *
 * <p>An operator may have any number of inputs and outputs: {@link OpInfo#inputCount()},
 * {@link OpInfo#outputCount()}; absent optional inputs have index -1. The graph structure (tensor
 * indices in range, every input written before it is read, every output written once) is checked
 * by {@code Model} before any registration is called.
 *
 * <p>Errors: throw {@link OpInfo#error(String)} (a {@link ModelFormatException} that names the
 * operator) or use the {@code OpInfo.require...} checks. An {@link IllegalArgumentException} or
 * {@link IllegalStateException} thrown by a kernel's parameter checks during validate or prepare is
 * reported the same way, naming the operator.
 *
 * <p>Threads: a registration is shared by every Interpreter (and thread) that uses it, so it holds
 * no mutable state; per-interpreter state lives in the {@link PreparedOp} it returns.
 */
public interface OpRegistration {

    /**
     * Checks arity, tensor types, options and shapes (everything the kernels later trust), using
     * only shapes and constants: no arena exists yet. Called once per operator, before prepare,
     * and also by {@link OpRegistry#validate} for tools that never run the model.
     */
    void validate(OpInfo op) throws ModelFormatException;

    /** Prepares the float32 evaluation (first input FLOAT32); called only after {@link #validate}. */
    PreparedOp prepareFloat(OpContext ctx) throws ModelFormatException;

    /**
     * Prepares the int8 evaluation (first input INT8): requantization multipliers, int8 clamps,
     * lookup tables, kernel family ({@link OpContext#int8Implementation()}); called only after
     * {@link #validate}. An operator that exists only in float says so here, by throwing.
     */
    PreparedOp prepareInt8(OpContext ctx) throws ModelFormatException;

    /**
     * Multiply-accumulates of one inference, from shapes and options (0 for operators that only
     * move, compare or look up data). Stated by every operator, never defaulted, so that inspect
     * and bench cannot silently under-count a new one.
     */
    long macs(OpInfo op);
}
