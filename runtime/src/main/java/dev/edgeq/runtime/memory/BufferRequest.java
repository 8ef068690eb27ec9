package dev.edgeq.runtime.memory;

/**
 * One buffer to place in an arena: {@code size} units, live from operator {@code firstUse}
 * through operator {@code lastUse} (inclusive, in execution order).
 */
public record BufferRequest(String name, int size, int firstUse, int lastUse) {
    public BufferRequest {
        if (size < 0 || firstUse > lastUse) {
            throw new IllegalArgumentException("buffer '" + name + "': size " + size + ", uses " + firstUse + ".." + lastUse);
        }
    }

    public boolean overlapsInTime(BufferRequest other) {
        return firstUse <= other.lastUse && other.firstUse <= lastUse;
    }
}
