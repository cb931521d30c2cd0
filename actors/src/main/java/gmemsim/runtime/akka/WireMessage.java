package gmemsim.runtime.akka;

/**
 * Marker of every message that may cross a node. HOCON binds it to {@link KryoSerializer}; a
 * message without it cannot leave its JVM (Java serialization is off).
 */
public interface WireMessage {}
