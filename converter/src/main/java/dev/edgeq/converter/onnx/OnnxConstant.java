package dev.edgeq.converter.onnx;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.onnx.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A constant tensor of the ONNX graph (initializer or Constant node output), decoded from
 * raw_data or the typed fields. Float tensors keep float[] (weights can be 10^8 values); other
 * types are held as double, which represents every int32 and every int64 shape value exactly.
 * Dims are in ONNX order.
 */
public final class OnnxConstant {
    private final String name;
    private final int[] dims;
    private final double[] values;
    private final float[] floats;
    private final boolean floating;

    /** Integer values (shapes, indices). */
    public OnnxConstant(String name, int[] dims, double[] values) {
        this(name, dims, values, false);
    }

    /** {@code floating}: of a floating-point type (ONNX Div then divides exactly, not truncating). */
    public OnnxConstant(String name, int[] dims, double[] values, boolean floating) {
        this.name = name;
        this.dims = dims;
        this.values = values;
        this.floats = null;
        this.floating = floating;
    }

    private OnnxConstant(String name, int[] dims, float[] floats) {
        this.name = name;
        this.dims = dims;
        this.values = null;
        this.floats = floats;
        this.floating = true;
    }

    /** Whether the tensor has a floating-point type (float, double). */
    public boolean isFloating() {
        return floating;
    }

    public String name() {
        return name;
    }

    public int[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public int size() {
        return floats != null ? floats.length : values.length;
    }

    public double get(int i) {
        return floats != null ? floats[i] : values[i];
    }

    /** The values as float (a fresh copy). */
    public float[] toFloats() {
        if (floats != null) {
            return floats.clone();
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    public long[] toLongs() {
        long[] l = new long[size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = (long) get(i);
        }
        return l;
    }

    /** The same values under another name (a Constant node's output). */
    public OnnxConstant renamed(String newName) {
        return floats != null ? new OnnxConstant(newName, dims, floats) : new OnnxConstant(newName, dims, values, floating);
    }

    @Override
    public String toString() {
        return "'" + name + "' " + Arrays.toString(dims);
    }

    /** Decodes a TensorProto; {@code where} names it for messages (e.g. "initializer 'fc.weight'"). */
    public static OnnxConstant decode(TensorProto t, String where) throws ConversionException {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw new ConversionException(where + " uses external data, which edgeq does not read"
                    + " (save the ONNX model with all tensors inside the file)");
        }
        int[] dims = new int[t.getDimsCount()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new ConversionException(where + " has an invalid dimension " + d);
            }
            dims[i] = (int) d;
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw new ConversionException(where + " has too many elements: " + t.getDimsList());
            }
        }
        int n = (int) count;
        int type = t.getDataType();
        if (t.hasRawData()) {
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            int width = elementBytes(type, where);
            if (raw.remaining() != (long) n * width) {
                throw new ConversionException(where + " has " + raw.remaining() + " bytes of raw_data but dims "
                        + t.getDimsList() + " of " + typeName(type) + " need " + (long) n * width);
            }
            if (type == TensorProto.DataType.FLOAT_VALUE) {
                float[] f = new float[n];
                raw.asFloatBuffer().get(f);
                return new OnnxConstant(t.getName(), dims, f);
            }
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = switch (type) {
                    case TensorProto.DataType.FLOAT_VALUE -> raw.getFloat();
                    case TensorProto.DataType.DOUBLE_VALUE -> raw.getDouble();
                    case TensorProto.DataType.INT64_VALUE -> raw.getLong();
                    case TensorProto.DataType.INT32_VALUE -> raw.getInt();
                    case TensorProto.DataType.INT8_VALUE -> raw.get();
                    case TensorProto.DataType.UINT8_VALUE -> raw.get() & 0xff;
                    case TensorProto.DataType.BOOL_VALUE -> raw.get() != 0 ? 1 : 0;
                    default -> throw new IllegalStateException("unreachable");
                };
            }
            return new OnnxConstant(t.getName(), dims, v, type == TensorProto.DataType.DOUBLE_VALUE);
        }
        if (type == TensorProto.DataType.FLOAT_VALUE) {
            if (t.getFloatDataCount() != n) {
                throw new ConversionException(where + " has " + t.getFloatDataCount() + " values but dims "
                        + t.getDimsList() + " need " + n);
            }
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                f[i] = t.getFloatData(i);
            }
            return new OnnxConstant(t.getName(), dims, f);
        }
        // Count the values before allocating for the dims: dims can claim 2^31 elements in a few bytes.
        int have = switch (type) {
            case TensorProto.DataType.DOUBLE_VALUE -> t.getDoubleDataCount();
            case TensorProto.DataType.INT64_VALUE -> t.getInt64DataCount();
            case TensorProto.DataType.INT32_VALUE, TensorProto.DataType.INT8_VALUE,
                    TensorProto.DataType.UINT8_VALUE, TensorProto.DataType.BOOL_VALUE -> t.getInt32DataCount();
            default -> throw new ConversionException(where + " has data type " + typeName(type)
                    + "; edgeq reads float, double, int64, int32, int8, uint8 and bool tensors");
        };
        if (have != n) {
            throw new ConversionException(where + " has " + have + " values but dims " + t.getDimsList()
                    + " need " + n);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (type) {
                case TensorProto.DataType.DOUBLE_VALUE -> t.getDoubleData(i);
                case TensorProto.DataType.INT64_VALUE -> t.getInt64Data(i);
                default -> t.getInt32Data(i);
            };
        }
        return new OnnxConstant(t.getName(), dims, v, type == TensorProto.DataType.DOUBLE_VALUE);
    }

    private static int elementBytes(int type, String where) throws ConversionException {
        return switch (type) {
            case TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.INT32_VALUE -> 4;
            case TensorProto.DataType.DOUBLE_VALUE, TensorProto.DataType.INT64_VALUE -> 8;
            case TensorProto.DataType.INT8_VALUE, TensorProto.DataType.UINT8_VALUE,
                    TensorProto.DataType.BOOL_VALUE -> 1;
            default -> throw new ConversionException(where + " has data type " + typeName(type)
                    + "; edgeq reads float, double, int64, int32, int8, uint8 and bool tensors");
        };
    }

    static String typeName(int type) {
        TensorProto.DataType dt = TensorProto.DataType.forNumber(type);
        return dt == null ? "#" + type : dt.name();
    }
}
