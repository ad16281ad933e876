package org.reffakd.platform.study;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the report needs. {@code baseline} is the route every other route is compared
 * against (normally {@code "ce"}); {@code autoencoderCost} and {@code teacherCost} are per seed,
 * empty when there is none.
 */
public record StudyData(String dataset, String baseline, Map<String, Object> settings,
    List<JobResult> jobs, Map<Long, Cost> autoencoderCost, Map<Long, Cost> teacherCost,
    List<SoftLabelMatrix> softLabels) {

  public StudyData {
    baseline = baseline == null ? "ce" : baseline;
    settings = settings == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    jobs = jobs == null ? List.of() : List.copyOf(jobs);
    autoencoderCost = autoencoderCost == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new TreeMap<>(autoencoderCost));
    teacherCost = teacherCost == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new TreeMap<>(teacherCost));
    softLabels = softLabels == null ? List.of() : List.copyOf(softLabels);
  }
}
