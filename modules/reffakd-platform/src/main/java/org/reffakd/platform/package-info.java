/** The reactive platform: Vert.x verticles over the event bus and Kafka topics. */
package org.reffakd.platform;
