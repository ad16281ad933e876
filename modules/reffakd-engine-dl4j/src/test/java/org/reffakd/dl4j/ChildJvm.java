package org.reffakd.dl4j;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * The class path of a child JVM that has Deeplearning4j and its dependencies, and of this
 * project only this module's test classes ({@link Dl4jZipPredict}): what proves that a model
 * zip loads without the project. Used here and by the CLI's export test (test-jar).
 */
public final class ChildJvm {

  private ChildJvm() {}

  public static String dl4jOnlyClassPath() {
    String cp = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    List<String> keep = new ArrayList<>();
    for (String e : cp.split(File.pathSeparator)) {
      String norm = e.replace('\\', '/');
      if (norm.endsWith("/")) {
        norm = norm.substring(0, norm.length() - 1);
      }
      String name = norm.substring(norm.lastIndexOf('/') + 1);
      boolean dl4jTests = norm.endsWith("reffakd-engine-dl4j/target/test-classes")
          || (name.startsWith("reffakd-engine-dl4j") && name.endsWith("-tests.jar"));
      if (dl4jTests || !(norm.contains("/target/") || name.startsWith("reffakd-"))) {
        keep.add(e);
      }
    }
    return String.join(File.pathSeparator, keep);
  }
}
