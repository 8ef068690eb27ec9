package dev.edgeq.bench;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;

/**
 * Runs {@link Int8KernelBenchmark} (JMH command-line options pass through, e.g. {@code -f 1 -wi 3
 * -i 5}) and prints a table of ns per call and GMAC/s per shape and implementation.
 * Usage: {@code java -cp tools/bench/target/benchmarks.jar dev.edgeq.bench.KernelMacs [jmh options]}
 */
public final class KernelMacs {
    private KernelMacs() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        Options opts = cli.getIncludes().isEmpty()
                ? new org.openjdk.jmh.runner.options.OptionsBuilder().parent(cli).include(Int8KernelBenchmark.class.getName()).build()
                : cli;
        Collection<RunResult> results = new Runner(opts).run();
        System.out.println();
        System.out.printf("%-22s %-7s %10s %12s %9s%n", "shape", "impl", "MACs", "ns/call", "GMAC/s");
        for (RunResult rr : results) {
            String shape = rr.getParams().getParam("shape");
            String impl = rr.getParams().getParam("impl");
            double ns = rr.getPrimaryResult().getScore();
            long macs = Int8KernelBenchmark.macs(shape);
            System.out.printf("%-22s %-7s %10d %12.0f %9.2f%n", shape, impl, macs, ns, macs / ns);
        }
    }
}
