package dev.edgeq.runtime;

/**
 * Version and size limits of the .eqm model file format that this runtime reads.
 *
 * <p>A reader accepts every minor version of the major versions it knows and refuses a newer
 * major version: a newer major may change the meaning of existing fields.
 */
public final class ModelFormat {
    /** Major version written by this build; files with a larger major are refused. */
    public static final int MAJOR = 1;
    /**
     * Minor version written by this build; any minor of a known major is accepted. 1.1 added the
     * operators of issue 10 (concatenation, grouped conv, the activations read from tables, Mul/Sub
     * of two activations, Mean, channel permutation, split, slice).
     */
    public static final int MINOR = 1;
    /** File name extension of model files. */
    public static final String EXTENSION = ".eqm";

    /** Largest number of elements in one tensor (bounded before anything is allocated). */
    public static final long MAX_TENSOR_ELEMENTS = 1L << 28;
    /** Largest number of dimensions of a tensor. */
    public static final int MAX_RANK = 6;
    /** Largest total of activation bytes an Interpreter may plan (per data type arena). */
    public static final long MAX_ARENA_BYTES = 1L << 30;

    private ModelFormat() {}
}
