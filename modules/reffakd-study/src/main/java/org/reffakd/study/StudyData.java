package org.reffakd.study;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.reffakd.nn.run.Cost;

/**
 * Everything the report needs. {@code baseline} is the route every other route is compared
 * against (normally {@code "ce"}); {@code autoencoderCost} and {@code teacherCost} are per seed,
 * empty when there is none. {@code teacherCostByFraction}, when it has a fraction, replaces
 * {@code teacherCost} for the routes of that training fraction (a study trains one teacher per
 * seed and fraction, on the same images as the students); {@code autoencoderCostByFraction}
 * likewise replaces {@code autoencoderCost}.
 */
public record StudyData(String dataset, String baseline, Map<String, Object> settings,
    List<JobResult> jobs, Map<Long, Cost> autoencoderCost, Map<Long, Cost> teacherCost,
    List<SoftLabelMatrix> softLabels, Map<Double, Map<Long, Cost>> teacherCostByFraction,
    Map<Double, Map<Long, Cost>> autoencoderCostByFraction) {

  public StudyData(String dataset, String baseline, Map<String, Object> settings,
                   List<JobResult> jobs, Map<Long, Cost> autoencoderCost,
                   Map<Long, Cost> teacherCost, List<SoftLabelMatrix> softLabels) {
    this(dataset, baseline, settings, jobs, autoencoderCost, teacherCost, softLabels, Map.of(),
        Map.of());
  }

  public StudyData(String dataset, String baseline, Map<String, Object> settings,
                   List<JobResult> jobs, Map<Long, Cost> autoencoderCost,
                   Map<Long, Cost> teacherCost, List<SoftLabelMatrix> softLabels,
                   Map<Double, Map<Long, Cost>> teacherCostByFraction) {
    this(dataset, baseline, settings, jobs, autoencoderCost, teacherCost, softLabels,
        teacherCostByFraction, Map.of());
  }

  /**
   * The autoencoder costs per seed that apply to the routes of a training fraction (under the
   * strict low-data protocol a study trains one autoencoder per seed and fraction).
   */
  public Map<Long, Cost> autoencoderCostAt(double fraction) {
    return autoencoderCostByFraction.getOrDefault(fraction, autoencoderCost);
  }

  /** The teacher costs per seed that apply to the routes of a training fraction. */
  public Map<Long, Cost> teacherCostAt(double fraction) {
    return teacherCostByFraction.getOrDefault(fraction, teacherCost);
  }

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
    teacherCostByFraction = teacherCostByFraction == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new TreeMap<>(teacherCostByFraction));
    autoencoderCostByFraction = autoencoderCostByFraction == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new TreeMap<>(autoencoderCostByFraction));
  }
}
