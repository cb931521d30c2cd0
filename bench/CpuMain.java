/**
 * Runs the gmemsim command line in this thread and prints this thread's CPU time ("CPUNS n") on
 * stderr: the controlled runtime hunts in the calling thread, so the figure is the hunt's own,
 * whatever else the machine runs. Launched as a single source file: java -cp gmemsim.jar CpuMain.java run ...
 */
public class CpuMain {
  public static void main(String[] args) throws Exception {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long t0 = threads.getCurrentThreadCpuTime();
    int rc = (int) Class.forName("gmemsim.cli.Main").getMethod("execute", String[].class).invoke(null, (Object) args);
    long t1 = threads.getCurrentThreadCpuTime();
    System.err.println("CPUNS " + (t1 - t0));
    System.exit(rc);
  }
}
