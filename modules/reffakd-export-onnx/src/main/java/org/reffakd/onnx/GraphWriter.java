package org.reffakd.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.reffakd.onnx.proto.Onnx.AttributeProto;
import org.reffakd.onnx.proto.Onnx.GraphProto;
import org.reffakd.onnx.proto.Onnx.ModelProto;
import org.reffakd.onnx.proto.Onnx.NodeProto;
import org.reffakd.onnx.proto.Onnx.OperatorSetIdProto;
import org.reffakd.onnx.proto.Onnx.StringStringEntryProto;
import org.reffakd.onnx.proto.Onnx.TensorProto;
import org.reffakd.onnx.proto.Onnx.TensorShapeProto;
import org.reffakd.onnx.proto.Onnx.TypeProto;
import org.reffakd.onnx.proto.Onnx.ValueInfoProto;

/**
 * Builds one ONNX graph with the generated protobuf classes: nodes in topological order,
 * initializers as little-endian raw data, unique tensor names.
 */
final class GraphWriter {

  /** Opset 13: per-axis QuantizeLinear/DequantizeLinear, and what every op here needs. */
  static final int OPSET = 13;
  /** The IR version that goes with opset 13 (ONNX 1.8). */
  static final int IR_VERSION = 7;

  private final GraphProto.Builder g = GraphProto.newBuilder();
  private int counter;

  GraphWriter(String name) {
    g.setName(name);
  }

  /** A new tensor name from a readable stem. */
  String fresh(String stem) {
    return stem + "_" + (counter++);
  }

  void input(String name, int elemType, Object... dims) {
    g.addInput(valueInfo(name, elemType, dims));
  }

  void output(String name, int elemType, Object... dims) {
    g.addOutput(valueInfo(name, elemType, dims));
  }

  /** A graph output of unknown shape (calibration taps). */
  void outputAnyShape(String name) {
    g.addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT
            .getNumber()))));
  }

  private static ValueInfoProto valueInfo(String name, int elemType, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof String s) {
        dim.setDimParam(s); // dynamic: named, any size
      } else {
        dim.setDimValue(((Number) d).longValue());
      }
      shape.addDim(dim);
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)))
        .build();
  }

  String floats(String name, float[] v, long... dims) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return tensor(name, TensorProto.DataType.FLOAT, b.array(), dims);
  }

  String int8s(String name, byte[] v, long... dims) {
    return tensor(name, TensorProto.DataType.INT8, v, dims);
  }

  String int32s(String name, int[] v, long... dims) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(v);
    return tensor(name, TensorProto.DataType.INT32, b.array(), dims);
  }

  String uint8s(String name, byte[] v, long... dims) {
    return tensor(name, TensorProto.DataType.UINT8, v, dims);
  }

  private String tensor(String name, TensorProto.DataType type, byte[] raw, long... dims) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name)
        .setDataType(type.getNumber()).setRawData(ByteString.copyFrom(raw));
    for (long d : dims) {
      t.addDims(d);
    }
    g.addInitializer(t);
    return name;
  }

  /** Adds a node; attributes are Long, long[], Float or String values. */
  void node(String op, List<String> inputs, String output, Map<String, Object> attrs) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(output + "_" + op)
        .addAllInput(inputs).addOutput(output);
    attrs.forEach((k, v) -> {
      AttributeProto.Builder a = AttributeProto.newBuilder().setName(k);
      if (v instanceof long[] ints) {
        a.setType(AttributeProto.AttributeType.INTS);
        for (long i : ints) {
          a.addInts(i);
        }
      } else if (v instanceof Long i) {
        a.setType(AttributeProto.AttributeType.INT).setI(i);
      } else if (v instanceof Float f) {
        a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
      } else {
        a.setType(AttributeProto.AttributeType.STRING)
            .setS(ByteString.copyFromUtf8(v.toString()));
      }
      n.addAttribute(a);
    });
    g.addNode(n);
  }

  String node(String op, String output, Map<String, Object> attrs, String... inputs) {
    node(op, List.of(inputs), output, attrs);
    return output;
  }

  /** The model: this graph, opset 13 of the default domain, and the metadata. */
  ModelProto model(Map<String, String> metadata, String docString) {
    ModelProto.Builder m = ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("reffakd")
        .setProducerVersion(ModelMeta.codeVersion(metadata))
        .setDomain("org.reffakd")
        .setModelVersion(1)
        .setDocString(docString)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(g);
    List<StringStringEntryProto> props = new ArrayList<>();
    metadata.forEach((k, v) -> props.add(StringStringEntryProto.newBuilder().setKey(k)
        .setValue(v).build()));
    m.addAllMetadataProps(props);
    return m.build();
  }
}
