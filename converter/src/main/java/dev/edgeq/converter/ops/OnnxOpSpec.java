package dev.edgeq.converter.ops;

import dev.edgeq.converter.ConversionException;
import dev.edgeq.converter.onnx.OnnxImporter;
import dev.edgeq.converter.onnx.OnnxNode;
import dev.edgeq.converter.onnx.Unsupported;
import java.util.List;

/** How ONNX operators become edgeq graph IR (the import half of an operator's spec). */
public interface OnnxOpSpec {

    /** The ONNX op types (default domain) this spec lowers. */
    List<String> onnxTypes();

    /**
     * Lowers one node into IR nodes in NHWC layout through {@code importer} ({@code activation},
     * {@code constant}, {@code emit}, {@code define}...). Throws {@link Unsupported} with a reason for
     * a feature edgeq lacks (collected and reported with every other unsupported node) and a
     * {@link ConversionException} for an inconsistent model.
     */
    void lower(OnnxImporter importer, OnnxNode node) throws Unsupported, ConversionException;

    /**
     * A problem visible from the node's attributes alone, or null: reported for nodes whose inputs
     * come from an unsupported node (their shapes are unknown, so {@link #lower} cannot run).
     */
    default String attributeProblem(OnnxNode node) throws ConversionException {
        return null;
    }
}
