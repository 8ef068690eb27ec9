package dev.edgeq.runtime;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.edgeq.format.DataType;
import dev.edgeq.format.Metadata;
import dev.edgeq.format.ModelFile;
import dev.edgeq.format.OpType;
import dev.edgeq.format.Operator;
import dev.edgeq.format.Quantization;
import dev.edgeq.format.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * A loaded, validated edgeq model: immutable and safe to share between threads. Create one
 * {@link Interpreter} per thread to run it.
 *
 * <p>Loading validates the file's structure: the format version, every tensor's shape, type,
 * quantization and data length (bounded before anything is allocated), every operator's tensor
 * indices, and that each activation is produced once, before it is read. What each operator needs
 * of its tensors (arity, types, shapes, options) is checked by the operator's registration when an
 * {@link Interpreter} prepares it, or by {@code OpRegistry.validate(model)} for tools that never
 * run the model. Problems are reported as a {@link ModelFormatException} that names the tensor or
 * operator.
 */
public final class Model {
    private final ModelFile file;
    private final List<TensorInfo> tensors;
    private final String sha256;

    private Model(ModelFile file, List<TensorInfo> tensors, String sha256) {
        this.file = file;
        this.tensors = tensors;
        this.sha256 = sha256;
    }

    /** Reads and validates a .eqm file. */
    public static Model load(Path path) throws IOException, ModelFormatException {
        long size = Files.size(path);
        if (size > Integer.MAX_VALUE - 8) {
            throw new ModelFormatException(path + ": file of " + size + " bytes is larger than the 2 GiB a model file may have");
        }
        byte[] bytes = Files.readAllBytes(path);
        try {
            return fromBytes(bytes);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(path + ": " + e.getMessage(), e);
        }
    }

    /** Parses and validates the bytes of a .eqm file. */
    public static Model fromBytes(byte[] bytes) throws ModelFormatException {
        ModelFile file;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(Integer.MAX_VALUE);
            file = ModelFile.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException("not a readable edgeq model file (" + bytes.length + " bytes): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelFormatException("not a readable edgeq model file (" + bytes.length + " bytes): " + e.getMessage(), e);
        }
        return build(file, sha256(bytes));
    }

    /** Validates an in-memory model file (as the converter produces it). */
    public static Model fromProto(ModelFile file) throws ModelFormatException {
        return build(file, sha256(file.toByteArray()));
    }

    private static Model build(ModelFile file, String sha256) throws ModelFormatException {
        checkVersion(file);
        if (file.getTensorsCount() == 0 || file.getOperatorsCount() == 0) {
            throw new ModelFormatException("model has " + file.getTensorsCount() + " tensors and "
                    + file.getOperatorsCount() + " operators: an empty or truncated file?");
        }
        List<TensorInfo> tensors = new ArrayList<>(file.getTensorsCount());
        for (int i = 0; i < file.getTensorsCount(); i++) {
            tensors.add(decodeTensor(i, file.getTensors(i)));
        }
        Model model = new Model(file, Collections.unmodifiableList(tensors), sha256);
        model.checkGraph();
        return model;
    }

    private static void checkVersion(ModelFile file) throws ModelFormatException {
        if (!file.hasFormatVersion()) {
            throw new ModelFormatException("model file has no format_version: not an edgeq model file, or truncated");
        }
        int major = file.getFormatVersion().getMajor();
        int minor = file.getFormatVersion().getMinor();
        if (major > ModelFormat.MAJOR) {
            throw new ModelFormatException("model file format " + major + "." + minor
                    + " is newer than this runtime reads (" + ModelFormat.MAJOR + ".x): upgrade edgeq");
        }
        if (major < 1) {
            throw new ModelFormatException("model file format " + major + "." + minor + " is not a released version");
        }
    }

    private static TensorInfo decodeTensor(int index, Tensor t) throws ModelFormatException {
        String where = "tensor " + index + " '" + t.getName() + "'";
        if (t.getShapeCount() == 0 || t.getShapeCount() > ModelFormat.MAX_RANK) {
            throw new ModelFormatException(where + ": rank " + t.getShapeCount() + " (expected 1 to " + ModelFormat.MAX_RANK + ")");
        }
        int[] shape = new int[t.getShapeCount()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.getShape(i);
            if (shape[i] <= 0) {
                throw new ModelFormatException(where + ": dimension " + i + " is " + shape[i] + " (must be positive)");
            }
            count *= shape[i];
            if (count > ModelFormat.MAX_TENSOR_ELEMENTS) {
                throw new ModelFormatException(where + ": " + TensorInfo.shapeString(t.getShapeList().stream().mapToInt(Integer::intValue).toArray())
                        + " has more than " + ModelFormat.MAX_TENSOR_ELEMENTS + " elements");
            }
        }
        DataType type = t.getType();
        if (type != DataType.FLOAT32 && type != DataType.INT8 && type != DataType.INT32) {
            throw new ModelFormatException(where + ": unsupported data type " + t.getTypeValue());
        }
        float[] scales = new float[0];
        int[] zeroPoints = new int[0];
        int qdim = 0;
        if (t.hasQuantization()) {
            Quantization q = t.getQuantization();
            qdim = q.getQuantizedDimension();
            int n = q.getScaleCount();
            if (n > 0) {
                if (qdim < 0 || qdim >= shape.length) {
                    throw new ModelFormatException(where + ": quantized_dimension " + qdim + " outside rank " + shape.length);
                }
                if (n != 1 && n != shape[qdim]) {
                    throw new ModelFormatException(where + ": " + n + " scales, expected 1 or " + shape[qdim] + " (dimension " + qdim + ")");
                }
                if (q.getZeroPointCount() != 0 && q.getZeroPointCount() != n) {
                    throw new ModelFormatException(where + ": " + q.getZeroPointCount() + " zero points for " + n + " scales");
                }
                scales = new float[n];
                zeroPoints = new int[n];
                for (int i = 0; i < n; i++) {
                    scales[i] = q.getScale(i);
                    if (!(scales[i] > 0f) || Float.isInfinite(scales[i])) {
                        throw new ModelFormatException(where + ": scale " + i + " is " + scales[i] + " (must be positive and finite)");
                    }
                    zeroPoints[i] = q.getZeroPointCount() == 0 ? 0 : q.getZeroPoint(i);
                    if (type == DataType.INT8 && (zeroPoints[i] < -128 || zeroPoints[i] > 127)) {
                        throw new ModelFormatException(where + ": zero point " + zeroPoints[i] + " outside int8 range");
                    }
                }
            }
        }
        if (type == DataType.INT8 && scales.length == 0) {
            throw new ModelFormatException(where + ": INT8 tensor without quantization parameters");
        }
        Object data = null;
        ByteString raw = t.getData();
        if (!raw.isEmpty()) {
            int elementBytes = type == DataType.INT8 ? 1 : 4;
            long expected = count * elementBytes;
            if (raw.size() != expected) {
                throw new ModelFormatException(where + ": data has " + raw.size() + " bytes, shape "
                        + TensorInfo.shapeString(shape) + " " + type + " needs " + expected);
            }
            data = decodeData(type, raw, (int) count);
        }
        return new TensorInfo(index, t.getName(), shape, type, scales, zeroPoints, qdim, data);
    }

    private static Object decodeData(DataType type, ByteString raw, int count) {
        if (type == DataType.INT8) {
            return raw.toByteArray();
        }
        ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        if (type == DataType.FLOAT32) {
            float[] values = new float[count];
            buffer.asFloatBuffer().get(values);
            return values;
        }
        int[] values = new int[count];
        buffer.asIntBuffer().get(values);
        return values;
    }

    private void checkGraph() throws ModelFormatException {
        int n = tensors.size();
        boolean[] available = new boolean[n];
        for (TensorInfo t : tensors) {
            available[t.index()] = t.isConstant();
        }
        if (file.getInputsCount() != 1 || file.getOutputsCount() != 1) {
            throw new ModelFormatException("model has " + file.getInputsCount() + " inputs and " + file.getOutputsCount()
                    + " outputs; edgeq models have exactly one of each");
        }
        int input = file.getInputs(0);
        int output = file.getOutputs(0);
        checkIndex("graph input", input);
        checkIndex("graph output", output);
        if (tensors.get(input).isConstant()) {
            throw new ModelFormatException("graph input " + tensors.get(input).describe() + " is a constant");
        }
        available[input] = true;
        boolean[] written = new boolean[n];
        for (int i = 0; i < file.getOperatorsCount(); i++) {
            Operator op = file.getOperators(i);
            String where = opName(i);
            if (op.getOutputsCount() == 0) {
                throw new ModelFormatException(where + ": no outputs");
            }
            for (int k = 0; k < op.getInputsCount(); k++) {
                int t = op.getInputs(k);
                if (t == -1) {
                    continue;
                }
                checkIndex(where + " input " + k, t);
                if (!available[t]) {
                    throw new ModelFormatException(where + ": input " + k + " " + tensors.get(t).describe()
                            + " is read before any operator writes it");
                }
            }
            for (int k = 0; k < op.getOutputsCount(); k++) {
                int out = op.getOutputs(k);
                checkIndex(where + " output " + k, out);
                if (tensors.get(out).isConstant() || out == input || written[out]) {
                    throw new ModelFormatException(where + ": output " + k + " " + tensors.get(out).describe()
                            + " is a constant, the graph input, or written twice");
                }
                written[out] = true;
                available[out] = true;
            }
        }
        if (!written[output]) {
            throw new ModelFormatException("graph output " + tensors.get(output).describe() + " is never written");
        }
    }

    private void checkIndex(String what, int index) throws ModelFormatException {
        if (index < 0 || index >= tensors.size()) {
            throw new ModelFormatException(what + ": tensor index " + index + " outside 0.." + (tensors.size() - 1));
        }
    }

    /** "operator 3 'conv2' (CONV_2D)", or "... (CUSTOM 'my_op')", for messages. */
    public String opName(int opIndex) {
        Operator op = file.getOperators(opIndex);
        String type = op.getType() == OpType.CUSTOM ? "CUSTOM '" + op.getCustomName() + "'" : String.valueOf(op.getType());
        return "operator " + opIndex + " '" + op.getName() + "' (" + type + ")";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** The file as parsed (protobuf messages are immutable). */
    public ModelFile proto() { return file; }
    public Metadata metadata() { return file.getMetadata(); }
    public List<TensorInfo> tensors() { return tensors; }
    public TensorInfo tensor(int index) { return tensors.get(index); }
    public int operatorCount() { return file.getOperatorsCount(); }
    public Operator operator(int index) { return file.getOperators(index); }
    public TensorInfo input() { return tensors.get(file.getInputs(0)); }
    public TensorInfo output() { return tensors.get(file.getOutputs(0)); }
    /** Hex SHA-256 of the model file's bytes (identifies the model in published messages). */
    public String sha256() { return sha256; }
    public String name() { return file.getMetadata().getModelName(); }
    public List<String> labels() { return file.getMetadata().getLabelsList(); }

    /** True when the input is INT8 (the model was quantized). */
    public boolean isQuantized() {
        return input().type() == DataType.INT8;
    }
}
