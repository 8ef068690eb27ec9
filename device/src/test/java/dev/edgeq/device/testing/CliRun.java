package dev.edgeq.device.testing;

import dev.edgeq.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the real {@code edgeq} entry point in this JVM and captures its exit code, stdout and stderr. */
public final class CliRun {
    public record Result(int code, String out, String err) {
        /** Asserts exit code 2 with one line on stderr containing {@code expected} and no exception name. */
        public void assertUsageError(String expected) {
            org.junit.jupiter.api.Assertions.assertEquals(2, code, toString());
            org.junit.jupiter.api.Assertions.assertTrue(err.contains(expected), "expected '" + expected + "' in " + this);
            org.junit.jupiter.api.Assertions.assertEquals(1, err.strip().lines().count(), "one line: " + this);
            org.junit.jupiter.api.Assertions.assertFalse(err.contains("Exception"), toString());
        }

        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private CliRun() {}

    public static synchronized Result edgeq(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
