package org.reffakd.platform.bus;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.reffakd.nn.train.Progress;

/**
 * Training progress of one run published on the event bus ({@link Addresses#PROGRESS},
 * {@link Addresses#EPOCH}), and passed on to another {@link Progress} (the console).
 * Called on the training (worker) thread; publishing on the bus is thread-safe.
 */
public record BusProgress(EventBus bus, String run, Progress next) implements Progress {

  @Override
  public void batch(String stage, int epoch, int epochs, int done, int total, double loss,
                    double imagesPerS) {
    bus.publish(Addresses.PROGRESS, event(stage, epoch, epochs).put("done", done)
        .put("total", total).put("loss", loss).put("images_per_s", imagesPerS));
    next.batch(stage, epoch, epochs, done, total, loss, imagesPerS);
  }

  @Override
  public void epoch(String stage, int epoch, int epochs, String summary,
                    Progress.Row row) {
    bus.publish(Addresses.EPOCH, event(stage, epoch, epochs).put("summary", summary)
        .put("row", new JsonObject(Map.copyOf(row.columns()))));
    next.epoch(stage, epoch, epochs, summary, row);
  }

  /** What every event of this run starts with: the run, the stage and where it is. */
  private JsonObject event(String stage, int epoch, int epochs) {
    return new JsonObject().put("run", run).put("stage", stage).put("epoch", epoch)
        .put("epochs", epochs);
  }
}
