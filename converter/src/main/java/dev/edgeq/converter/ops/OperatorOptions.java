package dev.edgeq.converter.ops;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import dev.edgeq.format.Operator;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code Operator.options} oneof read and written by message type, so that an operator's new
 * options message needs no code in the emitter or the inspector.
 */
public final class OperatorOptions {
    private static final OneofDescriptor ONEOF = oneof();
    private static final Map<Descriptor, FieldDescriptor> FIELDS = new HashMap<>();

    static {
        for (FieldDescriptor f : ONEOF.getFields()) {
            FIELDS.put(f.getMessageType(), f);
        }
    }

    private OperatorOptions() {}

    private static OneofDescriptor oneof() {
        for (OneofDescriptor o : Operator.getDescriptor().getOneofs()) {
            if (o.getName().equals("options")) {
                return o;
            }
        }
        throw new IllegalStateException("edgeq_model.proto: Operator has no oneof 'options'");
    }

    /** Sets {@code options} in the field of its type. */
    public static void set(Operator.Builder op, Message options) {
        FieldDescriptor field = FIELDS.get(options.getDescriptorForType());
        if (field == null) {
            throw new IllegalArgumentException("no Operator.options field holds " + options.getDescriptorForType().getName());
        }
        op.setField(field, options);
    }

    /** The operator's options message, or null when it has none. */
    public static Message of(Operator op) {
        FieldDescriptor field = op.getOneofFieldDescriptor(ONEOF);
        return field == null ? null : (Message) op.getField(field);
    }
}
