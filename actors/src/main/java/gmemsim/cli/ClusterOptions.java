package gmemsim.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import gmemsim.scenario.ScenarioException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** Where this node is and whom it joins (akka runtime). */
final class ClusterOptions {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "this node's address")
  String host;

  @Option(names = "--port", defaultValue = "0", description = "this node's port (0: any free)")
  int port;

  @Option(names = "--seeds", split = ",", paramLabel = "host:port", description = "seed nodes to join")
  List<String> seeds = List.of();

  @Option(names = "--roles", split = ",", description = "this node's roles: coordinator, memory, cpu, kvm")
  List<String> roles;

  @Option(names = "--cluster-config", paramLabel = "FILE", description = "HOCON overlay (cluster-config/*.conf)")
  Path clusterConfig;

  /** Whether any of these options was given (they mean nothing to the controlled runtime). */
  boolean given() {
    return !seeds.isEmpty() || roles != null || clusterConfig != null || port != 0 || !host.equals("127.0.0.1");
  }

  Config overlay() {
    if (clusterConfig == null) return ConfigFactory.empty();
    if (!Files.isRegularFile(clusterConfig)) {
      throw new ScenarioException("--cluster-config " + clusterConfig + ": no such file");
    }
    try {
      return ConfigFactory.parseFile(clusterConfig.toFile());
    } catch (ConfigException e) {
      throw new ScenarioException(e.getMessage(), e);
    }
  }

  List<String> roles(List<String> dflt) {
    List<String> r = roles == null ? dflt : roles;
    for (String x : r) {
      if (!Arrays.asList("coordinator", "memory", "cpu", "kvm").contains(x)) {
        throw new ScenarioException("--roles: unknown role '" + x + "' (coordinator, memory, cpu, kvm)");
      }
    }
    return r;
  }
}
