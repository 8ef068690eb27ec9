package dev.edgeq.converter.quantize;

/**
 * Where quantization reports how far it is: each stage (calibration passes, bias correction,
 * measuring) announces its number of steps, then steps. {@link #start} is called from the thread
 * that called {@link Quantizer#quantize}, {@link #step} also from the calibration threads at once
 * (implementations must be thread-safe); a command line shows it as a progress bar with an ETA.
 */
public interface Progress {
    /** Reports nothing. */
    Progress NONE = new Progress() {
        @Override public void start(String stage, long steps) {}
        @Override public void step() {}
    };

    /** A new stage of {@code steps} steps begins. */
    void start(String stage, long steps);

    /** One step of the current stage is done. */
    void step();
}
