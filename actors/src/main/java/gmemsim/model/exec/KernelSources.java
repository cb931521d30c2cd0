package gmemsim.model.exec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import gmemsim.lang.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The kernel source files gmemsim is built with ({@code kernel/} at the top of the project, packed
 * into the jar): the built-in functions (every {@code .c} file outside {@code variants/}) and, per
 * design knob, the files each of its values lays over them ({@code kernel/variants.conf}). Read
 * once per JVM.
 */
public final class KernelSources {
  private static final String ROOT = "kernel";
  private static volatile KernelSources instance;

  private final List<SourceFile> builtIn;
  /** A digest of every file (built in and variants): a replay names the sources it ran on. */
  private final String digest;
  /** knob -> value -> the files that value lays over the built-in ones. */
  private final Map<String, Map<String, List<SourceFile>>> variants;

  private KernelSources(List<SourceFile> builtIn, Map<String, Map<String, List<SourceFile>>> variants, String digest) {
    this.builtIn = List.copyOf(builtIn);
    this.variants = variants;
    this.digest = digest;
  }

  /** The first 12 hex digits of the SHA-256 of every kernel source file's name and text. */
  public String digest() {
    return digest;
  }

  public static KernelSources get() {
    KernelSources k = instance;
    if (k == null) {
      synchronized (KernelSources.class) {
        if (instance == null) instance = load();
        k = instance;
      }
    }
    return k;
  }

  public List<SourceFile> builtIn() {
    return builtIn;
  }

  /** Knob -> value -> files; a value mapped to no file is the built-in (mainline) functions. */
  public Map<String, Map<String, List<SourceFile>>> variants() {
    return variants;
  }

  private static KernelSources load() {
    URL url = KernelSources.class.getClassLoader().getResource(ROOT + "/variants.conf");
    if (url == null) throw new IllegalStateException(ROOT + "/variants.conf is missing from the classpath");
    try {
      URI uri = url.toURI();
      if (uri.getScheme().equals("jar")) {
        FileSystem fs;
        try {
          fs = FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
          fs = FileSystems.getFileSystem(uri);
        }
        return read(fs.getPath("/" + ROOT));
      }
      return read(Path.of(uri).getParent());
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot read the kernel sources at " + url + ": " + e, e);
    }
  }

  private static KernelSources read(Path root) throws IOException {
    List<SourceFile> builtIn = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(p -> p.toString().endsWith(".c") || p.toString().endsWith(".h")).sorted().toList();
    }
    Map<String, SourceFile> byName = new LinkedHashMap<>();
    java.security.MessageDigest sha;
    try {
      sha = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (Path p : files) {
      String name = root.relativize(p).toString().replace('\\', '/');
      String text = Files.readString(p, StandardCharsets.UTF_8);
      byName.put(name, new SourceFile(name, SourceFile.Origin.BUILT_IN, text));
      if (!name.startsWith("variants/")) builtIn.add(byName.get(name));
      sha.update((name + "\0" + text + "\0").getBytes(StandardCharsets.UTF_8));
    }
    String confText = Files.readString(root.resolve("variants.conf"), StandardCharsets.UTF_8);
    sha.update(confText.getBytes(StandardCharsets.UTF_8));
    String digest = java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    Config conf = ConfigFactory.parseString(confText);
    Map<String, Map<String, List<SourceFile>>> variants = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : conf.entrySet()) {
      String path = e.getKey();
      int dot = path.lastIndexOf('.');
      String knob = path.substring(0, dot).replace("\"", "");
      String value = path.substring(dot + 1).replace("\"", "");
      List<SourceFile> fs = new ArrayList<>();
      for (Object o : (List<?>) e.getValue().unwrapped()) {
        SourceFile f = byName.get(o.toString());
        if (f == null) throw new UncheckedIOException(new IOException(ROOT + "/variants.conf: " + knob + " = " + value + " names "
            + o + ", which is not under " + ROOT + "/"));
        fs.add(new SourceFile(f.name(), SourceFile.Origin.variant(knob, value), f.text()));
      }
      variants.computeIfAbsent(knob, k -> new LinkedHashMap<>()).put(value, List.copyOf(fs));
    }
    variants.replaceAll((k, v) -> Collections.unmodifiableMap(v));
    return new KernelSources(builtIn, Collections.unmodifiableMap(variants), digest);
  }
}
