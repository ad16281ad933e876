package org.reffakd.nn.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The open part of a JSON document whose other keys a record names: Jackson's any-setter on a
 * record fills an unordered map, so a document read and written again would shuffle its keys;
 * these readers keep the file's order.
 */
final class OrderedJson {

  private OrderedJson() {}

  /** Every key of {@code json} but {@code named}, in order, each value read as {@code type}. */
  static <T> Map<String, T> others(ObjectNode json, Set<String> named, Class<T> type)
      throws IOException {
    Map<String, T> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : json.properties()) {
      if (!named.contains(e.getKey())) {
        out.put(e.getKey(), RunConfig.JSON.treeToValue(e.getValue(), type));
      }
    }
    return out;
  }
}
