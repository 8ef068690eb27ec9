package dev.edgeq.converter.ops;

import dev.edgeq.format.OpType;
import java.util.List;

/** A spec for one ONNX op type that becomes one edgeq op type (most element-wise operators). */
abstract class OneToOneSpec implements OnnxOpSpec, EdgeqOpSpec {
    /** The ONNX op type, also the ONNX node written on export. */
    protected final String onnxType;
    protected final OpType type;

    OneToOneSpec(String onnxType, OpType type) {
        this.onnxType = onnxType;
        this.type = type;
    }

    @Override
    public final List<String> onnxTypes() {
        return List.of(onnxType);
    }

    @Override
    public final List<OpType> edgeqTypes() {
        return List.of(type);
    }
}
