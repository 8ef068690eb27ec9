package dev.edgeq.runtime.ops;

/**
 * One operator ready to run: all parameters computed, all buffers bound. {@link #eval()} must not
 * allocate, log or validate (validation happened at load and prepare time).
 */
@FunctionalInterface
public interface PreparedOp {
    void eval();
}
