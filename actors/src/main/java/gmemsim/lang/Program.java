package gmemsim.lang;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel functions of one scenario, compiled: the built-in files with the variants its knobs
 * choose and its own patch files laid over them, a later layer replacing a function of the same
 * name. Immutable; every run of the scenario shares it.
 */
public final class Program {
  private final List<Fn> fns;
  private final Fn[] fnArray;
  private final Map<String, Fn> byName = new LinkedHashMap<>();
  private final List<Site> sites;
  private final List<Site> blocks;
  private final List<String> strings;
  private final Map<String, String> replaced;

  Program(List<Fn> fns, List<Site> sites, List<Site> blocks, List<String> strings, Map<String, String> replaced) {
    this.fns = List.copyOf(fns);
    this.fnArray = this.fns.toArray(new Fn[0]);
    for (int i = 0; i < this.fns.size(); i++) {
      Fn f = this.fns.get(i);
      f.index = i;
      byName.put(f.name, f);
    }
    byte[] state = new byte[fnArray.length];
    for (Fn f : fnArray) sizeStack(f, state);
    this.sites = List.copyOf(sites);
    this.blocks = List.copyOf(blocks);
    this.strings = List.copyOf(strings);
    this.replaced = Collections.unmodifiableMap(new LinkedHashMap<>(replaced));
  }

  /** Fills f's stackNeed and depthNeed from its CALLs (state: 0 new, 1 on the DFS path, 2 done). */
  private void sizeStack(Fn f, byte[] state) {
    if (state[f.index] != 0) return;
    state[f.index] = 1;
    int deepestStack = 0;
    int deepestFrames = 0;
    int[] code = f.code;
    for (int pc = 0; pc < code.length; pc += 1 + Op.operands(code[pc])) {
      if (code[pc] != Op.CALL) continue;
      Fn callee = fnArray[code[pc + 1]];
      sizeStack(callee, state);
      deepestStack = Math.max(deepestStack, callee.stackNeed);
      deepestFrames = Math.max(deepestFrames, callee.depthNeed);
    }
    f.stackNeed = f.slots + f.maxStack + 1 + deepestStack;
    f.depthNeed = 1 + deepestFrames;
    state[f.index] = 2;
  }

  public List<Fn> functions() {
    return fns;
  }

  /** The functions by index, shared: an interpreter's call table (never modify it). */
  public Fn[] functionTable() {
    return fnArray;
  }

  /** The function of this name, or null. */
  public Fn fn(String name) {
    return byName.get(name);
  }

  public Fn fn(int index) {
    return fns.get(index);
  }

  /** Call sites of externals, by id (a step carries its site's id). */
  public Site site(int id) {
    return sites.get(id);
  }

  public int sites() {
    return sites.size();
  }

  /** Basic blocks, by id: what coverage counts. */
  public Site block(int id) {
    return blocks.get(id);
  }

  public int blocks() {
    return blocks.size();
  }

  public String string(int id) {
    return strings.get(id);
  }

  /** Function name -> "file:line" of the definition a later layer replaced. */
  public Map<String, String> replaced() {
    return replaced;
  }
}
