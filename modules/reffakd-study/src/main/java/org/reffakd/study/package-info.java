/**
 * The report of {@code reffakd study}: a multi-seed comparison of distillation losses. Pure
 * reporting (plain Java, Jackson, JFreeChart; no Kafka, no Vert.x): the runner builds a
 * {@link org.reffakd.study.StudyData} and calls
 * {@link org.reffakd.study.StudyReport#write}, again after every finished job if it
 * likes; every file is replaced atomically.
 */
package org.reffakd.study;
