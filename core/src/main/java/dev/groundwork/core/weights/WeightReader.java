package dev.groundwork.core.weights;

import dev.groundwork.core.model.TrainableModel;
import java.util.List;

/**
 * Reads one weights format into named float32 tensors; found with {@link java.util.ServiceLoader}
 * (core ships safetensors; the DJL backend its parameter files; the ONNX backend ONNX
 * initializers). {@link Pretrained} picks the reader and turns the tensors into a load.
 */
public interface WeightReader {

  /** The format's name, e.g. {@code safetensors}. */
  String format();

  /** Whether the bytes look like this format ({@code head} is at most the first 64 bytes). */
  boolean accepts(String fileName, byte[] head);

  /**
   * The tensors in the file, in file order.
   *
   * @param bytes the whole file
   * @param source the file or resource, for messages
   * @param target the model the weights will be loaded into, for formats that are not
   *     self-describing (a DJL parameter file needs the architecture to decode)
   * @throws dev.groundwork.core.data.DataFormatException naming the source if the bytes are not
   *     a valid file of this format
   */
  List<Tensor> read(byte[] bytes, String source, TrainableModel target);
}
