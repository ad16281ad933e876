package org.reffakd.kafka;

/**
 * A Kafka record that cannot be decoded; the message is the dead-letter {@code reason}.
 *
 * <p>Why a type of its own: consumers catch exactly this to route a poison record to
 * {@link Topics#DEADLETTER} and go on, while any other exception is a real fault.
 */
public final class MalformedRecordException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A record rejected for {@code reason} (one line naming what is wrong). */
  public MalformedRecordException(String reason) {
    super(reason);
  }

  /** A record rejected for {@code reason}, caused by {@code cause}. */
  public MalformedRecordException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
