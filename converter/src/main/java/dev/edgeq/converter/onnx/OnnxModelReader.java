package dev.edgeq.converter.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import dev.edgeq.converter.ConversionException;
import dev.edgeq.onnx.ModelProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads an ONNX file into {@link ModelProto}, turning parse failures into messages that name the file. */
public final class OnnxModelReader {
    /** Refuse files above this size before reading them (AlexNet-sized float models are ~250 MB). */
    static final long MAX_FILE_BYTES = 1L << 30;

    private OnnxModelReader() {
    }

    public static ModelProto read(Path file) throws ConversionException {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ConversionException("ONNX file " + file + " is " + size
                        + " bytes, more than the " + MAX_FILE_BYTES + " bytes edgeq reads");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConversionException("cannot read ONNX file " + file + ": " + e, e);
        }
        return parse(bytes, file.toString());
    }

    public static ModelProto parse(byte[] bytes, String source) throws ConversionException {
        if (bytes.length == 0) {
            throw new ConversionException("ONNX file " + source + " is empty");
        }
        ModelProto model;
        try {
            // the weights (raw_data) stay views of `bytes` instead of being copied: a 244 MB AlexNet
            // would otherwise be held twice while it is imported
            CodedInputStream in = UnsafeByteOperations.unsafeWrap(bytes).newCodedInput();
            in.enableAliasing(true);
            model = ModelProto.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (IOException e) { // from a byte array: only InvalidProtocolBufferException
            throw new ConversionException("ONNX file " + source + " is corrupt or truncated ("
                    + bytes.length + " bytes): " + e.getMessage(), e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new ConversionException("ONNX file " + source
                    + " holds no graph (is it an ONNX model? corrupt or truncated?)");
        }
        return model;
    }
}
