package dev.groundwork.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.Function;

/**
 * A sequence of blocks with names of your choosing, so parameters read {@code backbone_conv1_weight}
 * and can be frozen by prefix.
 *
 * <pre>{@code
 * Block net = new NamedSequential()
 *     .add("backbone", new NamedSequential().add("fc1", Linear.builder().setUnits(64).build())
 *         .add("relu", Activation::relu))
 *     .add("head", Linear.builder().setUnits(10).build());
 * }</pre>
 */
public final class NamedSequential extends AbstractBlock {

  private static final byte VERSION = 1;

  /** An empty sequence. */
  public NamedSequential() {
    super(VERSION);
  }

  /** Appends a block under a name (letters, digits and dashes; no underscore). */
  public NamedSequential add(String name, Block block) {
    if (!name.matches("[A-Za-z][A-Za-z0-9-]*")) {
      throw new IllegalArgumentException("block name must be letters, digits and dashes: " + name);
    }
    addChildBlock(name, block);
    return this;
  }

  /** Appends a parameter-free function of the whole input list under a name. */
  public NamedSequential addFunction(String name, Function<NDList, NDList> function) {
    addChildBlock(name, function);
    return this;
  }

  @Override
  protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDList current = inputs;
    for (Block child : children.values()) {
      current = child.forward(parameterStore, current, training, params);
    }
    return current;
  }

  @Override
  public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape[] shapes = inputShapes;
    for (Block child : children.values()) {
      child.initialize(manager, dataType, shapes);
      shapes = child.getOutputShapes(shapes);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] shapes = inputShapes;
    for (Block child : children.values()) {
      shapes = child.getOutputShapes(shapes);
    }
    return shapes;
  }
}
