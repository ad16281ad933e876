package org.reffakd.dashboard;

/**
 * A request the dashboard answers with an HTTP error status and a JSON body
 * {@code {"error": message}}; the message names what was wrong and where.
 */
final class ApiException extends RuntimeException {

  private final int status;

  ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }
}
