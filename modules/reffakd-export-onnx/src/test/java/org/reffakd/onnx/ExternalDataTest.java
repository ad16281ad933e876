package org.reffakd.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.backend.Backends;
import org.reffakd.backend.Classifier;
import org.reffakd.backend.ExportSource;
import org.reffakd.backend.Exporters;
import org.reffakd.onnx.proto.Onnx;

/**
 * A model file handed to {@code reffakd predict} is untrusted: one whose tensor keeps its data
 * in another file (ONNX external data, a path the file names) is refused with one line before
 * ONNX Runtime sees it; so are the structures that could hide such a tensor from the check.
 * The self-contained export of the same model opens.
 */
class ExternalDataTest {

  @TempDir
  Path tmp;

  @Test
  void aTensorWhoseDataLivesInAnotherFileIsRefused() throws Exception {
    Map<String, float[]> state;
    try (Classifier c = Backends.get("java").classifier("lenet5bn", 1, 32, 10, 3)) {
      state = new LinkedHashMap<>(c.state());
    }
    Path good = tmp.resolve("good.onnx");
    Exporters.get("onnx").export(new ExportSource("lenet5bn", 1, 32, 10, state,
        new float[] {0.3f}, new float[] {0.3f}, List.of(), Map.of(), null, null), good);
    try (OnnxModel m = OnnxModel.open(good, 1)) {
      assertTrue(m.channels() == 1);
    }
    Onnx.ModelProto model = Onnx.ModelProto.parseFrom(Files.readAllBytes(good));
    Onnx.TensorProto first = model.getGraph().getInitializer(0);
    // external_data = 13 ({key: "location", value: a path}), data_location = 14 (EXTERNAL = 1)
    Onnx.StringStringEntryProto location = Onnx.StringStringEntryProto.newBuilder()
        .setKey("location").setValue("../../../../etc/passwd").build();
    Onnx.TensorProto hostile = first.toBuilder().clearRawData().setUnknownFields(
        UnknownFieldSet.newBuilder()
            .addField(13, UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(location.toByteString()).build())
            .addField(14, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
            .build()).build();
    Path bad = tmp.resolve("bad.onnx");
    Files.write(bad, model.toBuilder().setGraph(model.getGraph().toBuilder()
        .setInitializer(0, hostile)).build().toByteArray());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxModel.open(bad, 1));
    assertTrue(e.getMessage().contains("keeps its data in another file"), e.getMessage());

    // a sparse initializer (GraphProto field 15) could hide one: refused too
    Path sparse = tmp.resolve("sparse.onnx");
    Files.write(sparse, model.toBuilder().setGraph(model.getGraph().toBuilder()
        .setUnknownFields(UnknownFieldSet.newBuilder().addField(15, UnknownFieldSet.Field
            .newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).build()).build()))
        .build().toByteArray());
    e = assertThrows(IllegalArgumentException.class, () -> OnnxModel.open(sparse, 1));
    assertTrue(e.getMessage().contains("sparse initializers"), e.getMessage());

    // not protobuf at all
    Path junk = tmp.resolve("junk.onnx");
    Files.write(junk, new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3});
    e = assertThrows(IllegalArgumentException.class, () -> OnnxModel.open(junk, 1));
    assertTrue(e.getMessage().contains("junk.onnx"), e.getMessage());
  }
}
