package dev.groundwork.djl;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.ndarray.types.Shape;
import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.InputKind;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Ready-made trainable models on DJL's PyTorch engine, sized from a dataset spec.
 *
 * <p>Every model is a {@code backbone} followed by a {@code head}, so {@code freeze("backbone")}
 * keeps the features and trains the classifier.
 *
 * <pre>{@code
 * Split fm = Datasets.fashionMnistSubset();
 * try (TrainableModel cnn = DjlModels.smallCnn(fm.spec())) {
 *   System.out.println(cnn.summary());
 * }
 * }</pre>
 */
public final class DjlModels {

  private DjlModels() {}

  /** A multilayer perceptron with one hidden layer of 256 units (Adam, lr 1e-3). */
  public static TrainableModel mlp(DatasetSpec spec) {
    return mlp(spec, TrainConfig.defaults(), 256);
  }

  /**
   * A multilayer perceptron: flatten, then for each width a linear layer and ReLU, then the head.
   *
   * @param hidden the width of each hidden layer, e.g. {@code 256} or {@code 512, 128}
   */
  public static TrainableModel mlp(DatasetSpec spec, TrainConfig config, int... hidden) {
    requireTensor(spec);
    int[] widths = hidden.clone();
    for (int w : widths) {
      InvalidParameterException.check(w >= 1, "hidden width must be ≥ 1, got %d", w);
    }
    int classes = spec.numClasses();
    return custom("mlp" + java.util.Arrays.toString(widths).replace(" ", ""), () -> {
      NamedSequential backbone = new NamedSequential()
          .add("flatten", Blocks.batchFlattenBlock());
      for (int i = 0; i < widths.length; i++) {
        backbone.add("fc" + (i + 1), Linear.builder().setUnits(widths[i]).build())
            .addFunction("relu" + (i + 1), Activation::relu);
      }
      return new NamedSequential().add("backbone", backbone)
          .add("head", Linear.builder().setUnits(classes).build());
    }, spec, config);
  }

  /** The small CNN (Adam, lr 1e-3): two 3×3 conv–ReLU–pool stages (32, 64), a 128-unit layer. */
  public static TrainableModel smallCnn(DatasetSpec spec) {
    return smallCnn(spec, TrainConfig.defaults());
  }

  /**
   * A small CNN for 28×28 or 32×32 images: conv 3×3 (32) – ReLU – max-pool 2, conv 3×3 (64) –
   * ReLU – max-pool 2, flatten, linear 128 – ReLU, then the head.
   */
  public static TrainableModel smallCnn(DatasetSpec spec, TrainConfig config) {
    requireImage(spec);
    return custom("small-cnn", () -> smallCnnBlock(spec), spec, config);
  }

  /**
   * The small CNN's block, uninitialised, for use with plain DJL (e.g. to compare against
   * Groundwork's adapter).
   */
  public static Block smallCnnBlock(DatasetSpec spec) {
    requireImage(spec);
    int classes = spec.numClasses();
    return new NamedSequential()
        .add("backbone", new NamedSequential()
            .add("conv1", ResidualUnit.conv(32, 3, 1))
            .addFunction("relu1", Activation::relu)
            .add("pool1", Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
            .add("conv2", ResidualUnit.conv(64, 3, 1))
            .addFunction("relu2", Activation::relu)
            .add("pool2", Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
            .add("flatten", Blocks.batchFlattenBlock())
            .add("fc1", Linear.builder().setUnits(128).build())
            .addFunction("relu3", Activation::relu))
        .add("head", Linear.builder().setUnits(classes).build());
  }

  /** A ResNet-style CNN (Adam, lr 1e-3); see {@link #resnet(DatasetSpec, TrainConfig)}. */
  public static TrainableModel resnet(DatasetSpec spec) {
    return resnet(spec, TrainConfig.defaults());
  }

  /**
   * A ResNet-style CNN for 28×28 gray or 32×32 color images: a 3×3 stem (32) with batch norm, three
   * residual units (32, 64 stride 2, 128 stride 2), global average pooling, then the head.
   */
  public static TrainableModel resnet(DatasetSpec spec, TrainConfig config) {
    requireImage(spec);
    int classes = spec.numClasses();
    return custom("resnet-s", () -> new NamedSequential()
        .add("backbone", new NamedSequential()
            .add("stem", ResidualUnit.conv(32, 3, 1))
            .add("stembn", BatchNorm.builder().build())
            .addFunction("relu", Activation::relu)
            .add("stage1", new ResidualUnit(32, 1, false))
            .add("stage2", new ResidualUnit(64, 2, true))
            .add("stage3", new ResidualUnit(128, 2, true))
            .add("pool", Pool.globalAvgPool2dBlock()))
        .add("head", Linear.builder().setUnits(classes).build()), spec, config);
  }

  /**
   * A trainable model from any DJL block whose output is one logit per class.
   *
   * @param name the model's name
   * @param blockFactory makes a fresh, uninitialised block; called again by {@link
   *     TrainableModel#newInstance(TrainConfig)}
   */
  public static TrainableModel custom(String name, Supplier<Block> blockFactory, DatasetSpec spec,
      TrainConfig config) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(blockFactory, "blockFactory");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(config, "config");
    requireTensor(spec);
    return new DjlTrainableModel(name, blockFactory, spec, config);
  }

  private static void requireTensor(DatasetSpec spec) {
    InvalidParameterException.check(spec.inputKind() == InputKind.TENSOR,
        "the DJL models take tensor inputs; this spec is %s (use the ONNX backend's text models)",
        spec);
  }

  private static void requireImage(DatasetSpec spec) {
    requireTensor(spec);
    int[] s = spec.inputShape();
    InvalidParameterException.check(s.length == 3 && s[1] >= 8 && s[2] >= 8,
        "a CNN needs images of channels × height × width (at least 8×8), got %s",
        java.util.Arrays.toString(s));
  }
}
