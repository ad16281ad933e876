/**
 * The reactive platform: the stages as Vert.x verticles over the event bus and Kafka topics
 * ({@code pipeline}), the event bus addresses ({@code bus}) and the Prometheus metrics ({@code
 * metrics}). The Kafka transport is in reffakd-kafka, the study in reffakd-study, the dashboard
 * in reffakd-dashboard.
 */
package org.reffakd.platform;
