package dev.edgeq.converter;

/**
 * The .eqm format version this converter writes and the producer strings it records.
 * (The runtime keeps the version it reads; both must agree on the major version.)
 */
public final class EqmFormat {
    public static final int MAJOR = 1;
    public static final int MINOR = 0;
    public static final String PRODUCER = "edgeq";
    public static final String PRODUCER_VERSION = "0.1.0";

    private EqmFormat() {
    }
}
