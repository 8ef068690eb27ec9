package dev.edgeq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The emulation decision on texts captured from real runs: qemu-aarch64 7.2 and qemu-arm 7.2
 * (Debian bookworm) running Debian's arm64/armhf OpenJDK 17 on an x86 host, the x86 host itself,
 * and the /proc/cpuinfo format of a Raspberry Pi 4 under 64-bit and 32-bit Raspberry Pi OS.
 * tools/arm-check also runs {@link EmulationDetector#main} under qemu and requires a note there.
 */
class EmulationDetectorTest {
    // Captured under qemu: /proc/cpuinfo is the host's, passed through (first lines and flags, shortened).
    private static final String X86_CPUINFO = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\n"
            + "model name\t: AMD EPYC\nstepping\t: 1\ncpu cores\t: 2\nfpu\t\t: yes\n"
            + "flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht"
            + " syscall nx lm avx avx2 avx512f\nbogomips\t: 5192.18\n\n";
    private static final String QEMU_AARCH64_STATUS = "Name:\tqemu-aarch64-st\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t21991\n";
    private static final String QEMU_ARM_STATUS = "Name:\tqemu-arm-static\nUmask:\t0022\nState:\tS (sleeping)\n";
    // Through binfmt_misc the kernel names the process after the guest binary.
    private static final String JAVA_STATUS = "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\n";
    private static final String PI4_ARM64_CPUINFO = "processor\t: 0\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm crc32 cpuid\n"
            + "CPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd08\nCPU revision\t: 3\n\n"
            + "Hardware\t: BCM2835\nRevision\t: c03114\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n";
    private static final String PI4_ARMHF_CPUINFO = "processor\t: 0\nmodel name\t: ARMv7 Processor rev 3 (v7l)\nBogoMIPS\t: 108.00\n"
            + "Features\t: half thumb fastmult vfp edsp neon vfpv3 tls vfpv4 idiva idivt vfpd32 lpae evtstrm crc32 \n"
            + "CPU implementer\t: 0x41\nCPU architecture: 7\nCPU variant\t: 0x0\nCPU part\t: 0xd08\nCPU revision\t: 3\n\n"
            + "Hardware\t: BCM2711\nRevision\t: c03111\nModel\t\t: Raspberry Pi 4 Model B Rev 1.1\n";

    @Test
    void qemuStartedDirectlyIsNamedByTheProcessName() {
        Optional<String> note = EmulationDetector.detect("aarch64", null, QEMU_AARCH64_STATUS, X86_CPUINFO);
        assertTrue(note.orElseThrow().contains("process qemu-aarch64-st"), note.toString());
        assertTrue(note.get().contains("not the board's"), note.get());
        assertTrue(EmulationDetector.detect("arm", null, QEMU_ARM_STATUS, X86_CPUINFO).orElseThrow().contains("qemu-arm-static"));
    }

    @Test
    void qemuThroughBinfmtIsCaughtByTheHostCpuinfo() {
        Optional<String> note = EmulationDetector.detect("aarch64", null, JAVA_STATUS, X86_CPUINFO);
        assertTrue(note.orElseThrow().contains("an aarch64 JVM on an x86 CPU"), note.toString());
        assertTrue(EmulationDetector.detect("arm", null, JAVA_STATUS, X86_CPUINFO).isPresent());
    }

    @Test
    void realBoardsAndTheX86HostAreNotEmulated() {
        assertEquals(Optional.empty(), EmulationDetector.detect("aarch64", null, JAVA_STATUS, PI4_ARM64_CPUINFO));
        assertEquals(Optional.empty(), EmulationDetector.detect("arm", null, JAVA_STATUS, PI4_ARMHF_CPUINFO));
        assertEquals(Optional.empty(), EmulationDetector.detect("amd64", null, JAVA_STATUS, X86_CPUINFO));
        assertEquals(Optional.empty(), EmulationDetector.detect("aarch64", "  ", JAVA_STATUS, PI4_ARM64_CPUINFO));
    }

    @Test
    void anX86JvmOnAnArmCpuIsEmulationToo() {
        assertTrue(EmulationDetector.detect("amd64", null, JAVA_STATUS, PI4_ARM64_CPUINFO).orElseThrow().contains("on an arm CPU"));
    }

    @Test
    void theEnvironmentVariableIsTheFallback() {
        Optional<String> note = EmulationDetector.detect("aarch64", "qemu-aarch64 cortex-a76", JAVA_STATUS, PI4_ARM64_CPUINFO);
        assertTrue(note.orElseThrow().contains("EDGEQ_EMULATED=qemu-aarch64 cortex-a76"), note.toString());
    }

    @Test
    void unreadableOrUnknownTextsDecideNothing() {
        assertEquals(Optional.empty(), EmulationDetector.detect("aarch64", null, "", ""));
        assertNull(EmulationDetector.processName(""));
        assertNull(EmulationDetector.cpuFamily("processor\t: 0\nflags\t: something\n"));
        assertNull(EmulationDetector.jvmFamily("riscv64"));
        assertEquals("arm", EmulationDetector.jvmFamily("arm"));
        assertEquals("x86", EmulationDetector.jvmFamily("amd64"));
    }

    @Test
    void thisMachinesRealProcFilesParse() throws Exception {
        // The files emulationNote() reads, here on the (native) test JVM: the parsing must recognise them.
        String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        String status = Files.readString(Path.of("/proc/self/status"));
        String osArch = System.getProperty("os.arch");
        assertEquals(EmulationDetector.jvmFamily(osArch), EmulationDetector.cpuFamily(cpuinfo), "CPU family of /proc/cpuinfo");
        assertFalse(EmulationDetector.processName(status).isEmpty());
        if (System.getenv(EmulationDetector.ENV_VARIABLE) == null) {
            assertEquals(Optional.empty(), EmulationDetector.emulationNote());
        }
    }
}
