package dev.groundwork.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A basic residual unit: {@code relu(bn(conv(relu(bn(conv(x))))) + shortcut(x))}, with a strided
 * 1×1 convolution on the shortcut when the shape changes.
 */
final class ResidualUnit extends AbstractBlock {

  private final Block main;
  private final Block shortcut;

  ResidualUnit(int filters, int stride, boolean project) {
    super((byte) 1);
    main = addChildBlock("main", new NamedSequential()
        .add("conv1", conv(filters, 3, stride))
        .add("bn1", BatchNorm.builder().build())
        .addFunction("relu", Activation::relu)
        .add("conv2", conv(filters, 3, 1))
        .add("bn2", BatchNorm.builder().build()));
    shortcut = project
        ? addChildBlock("shortcut", new NamedSequential()
            .add("conv", conv(filters, 1, stride))
            .add("bn", BatchNorm.builder().build()))
        : null;
  }

  static Conv2d conv(int filters, int kernel, int stride) {
    return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride)).optPadding(new Shape(kernel / 2, kernel / 2))
        .optBias(false).build();
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray y = main.forward(store, inputs, training, params).singletonOrThrow();
    NDArray s = shortcut == null ? x : shortcut.forward(store, inputs, training, params)
        .singletonOrThrow();
    return new NDList(Activation.relu(y.add(s)));
  }

  @Override
  public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    main.initialize(manager, dataType, inputShapes);
    if (shortcut != null) {
      shortcut.initialize(manager, dataType, inputShapes);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return main.getOutputShapes(inputShapes);
  }
}
