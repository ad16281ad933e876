/**
 * The platform's metrics ({@link org.reffakd.platform.metrics.PlatformMetrics}): Micrometer with
 * a Prometheus registry; JVM, Vert.x and ReffAKD meters, dot case under {@code reffakd.} with
 * bounded tags.
 */
package org.reffakd.platform.metrics;
