import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import org.reffakd.engine.java.Parallel;
import org.reffakd.engine.java.Tensor;
import org.reffakd.engine.java.model.Autoencoder;
import org.reffakd.engine.java.model.Models;
import org.reffakd.engine.java.model.Network;

/** CPU time per training step (forward+backward, no optimizer) on synthetic batches. */
public class EngineBench {
  public static void main(String[] args) {
    String what = args[0];
    int steps = Integer.parseInt(args[1]);
    int th = args.length > 2 ? Integer.parseInt(args[2]) : 1; Parallel.setThreads(th);
    ThreadMXBean tb = ManagementFactory.getThreadMXBean();
    Random r = new Random(1);
    float[] x = new float[128 * 32 * 32];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    Tensor xt = new Tensor(x, 1, 128, 32, 32);
    Network net = Models.lenet5bn(1, 32, 10, 1);
    Autoencoder ae = new Autoencoder(1, 1);
    double best = 1e9; double sum = 0; int cnt = 0;
    for (int round = 0; round < 6; round++) {
      long t0 = th == 1 ? tb.getCurrentThreadCpuTime() : System.nanoTime();
      for (int s = 0; s < steps; s++) {
        if (what.equals("student")) {
          Tensor z = net.forward(xt, true);
          float[] g = new float[z.size()];
          for (int i = 0; i < g.length; i++) g[i] = 0.01f * ((i % 7) - 3);
          net.backward(new Tensor(g, z.shape));
        } else {
          Tensor y = ae.forward(xt, true);
          float[] g = new float[y.size()];
          for (int i = 0; i < g.length; i++) g[i] = 0.01f * ((i % 7) - 3);
          ae.backward(new Tensor(g, y.shape));
        }
      }
      double ms = ((th == 1 ? tb.getCurrentThreadCpuTime() : System.nanoTime()) - t0) / 1e6 / steps;
      if (round >= 2) { best = Math.min(best, ms); sum += ms; cnt++; }
      System.out.printf("%s round %d: %.2f ms cpu/step%n", what, round, ms);
    }
    System.out.printf("RESULT %s best %.2f mean %.2f ms cpu/step (x469 = %.2f s/epoch)%n", what, best, sum / cnt, best * 469 / 1000);
  }
}
