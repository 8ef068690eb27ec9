package dev.edgeq.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Tells whether this JVM runs under qemu user-mode emulation (an ARM JVM on an x86 machine, as
 * tools/arm-check does), so that {@code edgeq bench} can say plainly that its timings are not the
 * board's.
 *
 * <p>What was checked under qemu-user 7.2 (Debian bookworm) with Debian's arm64 and armhf OpenJDK
 * 17: qemu fakes {@code uname}, {@code /proc/self/exe}, {@code /proc/self/cmdline} and
 * {@code /proc/self/maps}, so {@code os.arch} says {@code aarch64} / {@code arm}; but it passes the
 * host's {@code /proc/cpuinfo} through (an x86 CPU: {@code vendor_id}, {@code flags: ... sse2}), and
 * when qemu is started directly (not through binfmt_misc) the process name in
 * {@code /proc/self/status} is qemu's ({@code qemu-aarch64-st}, {@code qemu-arm-static}). Either
 * signal is enough. The environment variable {@code EDGEQ_EMULATED} is a fallback for emulators that
 * hide both (newer qemu versions emulate {@code /proc/cpuinfo} for some targets). Full-system
 * emulation (qemu-system) is not detected: there the kernel and its /proc are ARM too.
 */
public final class EmulationDetector {
    /** Set (to any non-blank text, e.g. "qemu-aarch64 cortex-a72") to declare emulation explicitly. */
    public static final String ENV_VARIABLE = "EDGEQ_EMULATED";

    private EmulationDetector() {
    }

    /**
     * A one-line note when this JVM runs under emulation (naming how that was detected), empty on
     * real hardware. Reads {@code /proc/self/status}, {@code /proc/cpuinfo}, {@code os.arch} and
     * {@code EDGEQ_EMULATED}; never throws.
     */
    public static Optional<String> emulationNote() {
        return detect(System.getProperty("os.arch", ""), System.getenv(ENV_VARIABLE), readOrEmpty("/proc/self/status"),
                readOrEmpty("/proc/cpuinfo"));
    }

    /** The decision, over the texts {@link #emulationNote()} reads (separate so tests can feed real captures). */
    static Optional<String> detect(String osArch, String envValue, String procStatus, String cpuinfo) {
        String process = processName(procStatus);
        String jvmFamily = jvmFamily(osArch);
        String cpuFamily = cpuFamily(cpuinfo);
        String how = null;
        if (process != null && process.startsWith("qemu-")) {
            how = "process " + process;
        } else if (jvmFamily != null && cpuFamily != null && !jvmFamily.equals(cpuFamily)) {
            how = "an " + osArch + " JVM on an " + cpuFamily + " CPU, per /proc/cpuinfo";
        } else if (envValue != null && !envValue.isBlank()) {
            how = ENV_VARIABLE + "=" + envValue.strip();
        }
        if (how == null) {
            return Optional.empty();
        }
        return Optional.of("running under emulation (" + how + "): these timings are not the board's; measure on the board itself");
    }

    /** The {@code Name:} line of /proc/self/status (the host executable's name, 15 characters at most), or null. */
    static String processName(String procStatus) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("Name:")) {
                return line.substring(5).strip();
            }
        }
        return null;
    }

    /** "x86" or "arm" for the JVM's os.arch, null for others. */
    static String jvmFamily(String osArch) {
        String a = osArch.toLowerCase(Locale.ROOT);
        if (a.equals("amd64") || a.equals("x86_64") || a.equals("x86") || a.matches("i[3-6]86")) {
            return "x86";
        }
        if (a.equals("aarch64") || a.equals("arm64") || a.startsWith("arm")) {
            return "arm";
        }
        return null;
    }

    /** "x86" or "arm" for the CPU that /proc/cpuinfo describes, null when it says neither clearly. */
    static String cpuFamily(String cpuinfo) {
        boolean x86 = false;
        boolean arm = false;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = " " + line.substring(colon + 1).strip() + " ";
            if (key.equals("vendor_id") || key.equals("flags") && value.contains(" sse2 ")) {
                x86 = true;
            } else if (key.equals("CPU implementer") || key.equals("Features") && (value.contains(" asimd ") || value.contains(" neon ")
                    || value.contains(" vfp "))) {
                arm = true;
            }
        }
        return x86 == arm ? null : x86 ? "x86" : "arm";
    }

    private static String readOrEmpty(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * Prints the note and exits 0 under emulation; prints "no emulation detected" and exits 1
     * otherwise. tools/arm-check runs this on the emulated JVMs to check the detection itself.
     */
    public static void main(String[] args) {
        Optional<String> note = emulationNote();
        System.out.println(note.orElse("no emulation detected (os.arch " + System.getProperty("os.arch") + ")"));
        System.exit(note.isPresent() ? 0 : 1);
    }
}
