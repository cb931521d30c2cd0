package gmemsim.runtime.akka;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.ByteBufferSerializer;
import akka.serialization.SerializerWithStringManifest;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.ByteBufferInput;
import com.esotericsoftware.kryo.io.ByteBufferOutput;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.util.Pool;
import java.nio.ByteBuffer;

/**
 * The Akka serializer of every {@link WireMessage}: Kryo 5 with registration required (an
 * unregistered class fails loudly instead of travelling by reflection), stable ids from {@link
 * WireRegistry}, and typed ActorRefs written as their serialization format and resolved on
 * arrival. Kryo instances are not thread-safe; Artery calls this from several lanes, so they are
 * pooled.
 */
public final class KryoSerializer extends SerializerWithStringManifest implements ByteBufferSerializer {
  private final ExtendedActorSystem system;
  private volatile ActorRefResolver resolver;

  private final Pool<Kryo> kryos =
      new Pool<>(true, false, 64) {
        @Override
        protected Kryo create() {
          return newKryo();
        }
      };

  private final Pool<Output> outputs =
      new Pool<>(true, false, 64) {
        @Override
        protected Output create() {
          return new Output(4096, 16 << 20);
        }
      };

  public KryoSerializer(ExtendedActorSystem system) {
    this.system = system;
  }

  private ActorRefResolver resolver() {
    ActorRefResolver r = resolver;
    if (r == null) {
      // Resolved lazily: serializers are built while the system is still starting.
      r = ActorRefResolver.get(Adapter.toTyped(system));
      resolver = r;
    }
    return r;
  }

  Kryo newKryo() {
    Kryo k = new Kryo();
    k.setRegistrationRequired(true);
    k.setReferences(false);
    ImmutableCollectionsSerializers.addDefaultSerializers(k);
    ImmutableCollectionsSerializers.registerSerializers(k);
    k.addDefaultSerializer(ActorRef.class, new TypedActorRefSerializer());
    WireRegistry.register(k);
    return k;
  }

  private final class TypedActorRefSerializer extends Serializer<ActorRef<?>> {
    @Override
    public void write(Kryo kryo, Output output, ActorRef<?> ref) {
      output.writeString(resolver().toSerializationFormat(ref));
    }

    @Override
    public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
      return resolver().resolveActorRef(input.readString());
    }
  }

  @Override
  public int identifier() {
    return 74_001;
  }

  @Override
  public String manifest(Object o) {
    return ""; // the class id travels inside the Kryo bytes
  }

  @Override
  public byte[] toBinary(Object o) {
    Kryo k = kryos.obtain();
    Output out = outputs.obtain();
    try {
      out.reset();
      k.writeClassAndObject(out, o);
      return out.toBytes();
    } finally {
      outputs.free(out);
      kryos.free(k);
    }
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) {
    Kryo k = kryos.obtain();
    try {
      return k.readClassAndObject(new Input(bytes));
    } finally {
      kryos.free(k);
    }
  }

  @Override
  public void toBinary(Object o, ByteBuffer buf) {
    Kryo k = kryos.obtain();
    try {
      ByteBufferOutput out = new ByteBufferOutput(buf);
      k.writeClassAndObject(out, o);
      out.flush();
    } finally {
      kryos.free(k);
    }
  }

  @Override
  public Object fromBinary(ByteBuffer buf, String manifest) {
    Kryo k = kryos.obtain();
    try {
      return k.readClassAndObject(new ByteBufferInput(buf));
    } finally {
      kryos.free(k);
    }
  }
}
