/**
 * The web dashboard ({@link org.reffakd.dashboard.DashboardServer}): a static page with
 * Chart.js from its WebJar, a JSON API over the runs folder, server-sent events relaying the
 * event bus, and the Prometheus endpoint. Options in
 * {@link org.reffakd.dashboard.DashboardOptions}.
 */
package org.reffakd.dashboard;
