package dev.groundwork.djl;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.weights.Tensor;
import dev.groundwork.core.weights.WeightReader;
import java.util.List;

/**
 * The {@link WeightReader} of Groundwork DJL parameter files ({@code TrainableModel.save} on a DJL
 * model). DJL's parameter payload is not self-describing, so the target must be a DJL model of the
 * architecture that saved the file.
 */
public final class DjlParameterReader implements WeightReader {

  @Override
  public String format() {
    return "djl-parameters";
  }

  @Override
  public boolean accepts(String fileName, byte[] head) {
    return DjlTrainableModel.isParameterFile(head);
  }

  @Override
  public List<Tensor> read(byte[] bytes, String source, TrainableModel target) {
    if (!(target instanceof DjlTrainableModel djl)) {
      throw new InvalidParameterException("DJL parameter file " + source + " can only be decoded "
          + "into a DJL model of the architecture that saved it, not into " + target.name()
          + "; save the weights as safetensors (Pretrained.save) to move them across backends");
    }
    return djl.readParameterFile(bytes, source);
  }
}
