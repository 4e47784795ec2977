package dev.groundwork.examples.tools;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the balanced Fashion-MNIST subset that ships inside {@code groundwork-core}.
 *
 * <p>How the shipped subset was made: from Debian's {@code dataset-fashion-mnist} files, take the
 * first {@code perClass} images of each class in file order (200 per class from the training file,
 * 100 per class from the test file), and write them as gzipped IDX files with a text file listing
 * each image's index in the published file (so ids match the full dataset's ids).
 *
 * <pre>
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.groundwork.examples.tools.MakeFashionMnistSubset \
 *     -Dexec.args="/usr/share/datasets/fashion-mnist core/src/main/resources/dev/groundwork/core/data/fashion-mnist-subset"
 * </pre>
 */
public final class MakeFashionMnistSubset {

  private MakeFashionMnistSubset() {}

  /** Arguments: the Fashion-MNIST directory and the output directory. */
  public static void main(String[] args) throws IOException {
    Path in = Path.of(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist");
    Path out = Path.of(args.length > 1 ? args[1]
        : "core/src/main/resources/dev/groundwork/core/data/fashion-mnist-subset");
    Files.createDirectories(out);
    write(in, out, "train", 200);
    write(in, out, "t10k", 100);
  }

  private static void write(Path in, Path out, String part, int perClass) throws IOException {
    byte[] images = gunzip(in.resolve(part + "-images-idx3-ubyte.gz"));
    byte[] labels = gunzip(in.resolve(part + "-labels-idx1-ubyte.gz"));
    int n = readInt(labels, 4);
    int rows = readInt(images, 8);
    int cols = readInt(images, 12);
    int size = rows * cols;
    int[] taken = new int[10];
    ByteArrayOutputStream pixels = new ByteArrayOutputStream();
    ByteArrayOutputStream picked = new ByteArrayOutputStream();
    StringBuilder index = new StringBuilder();
    int count = 0;
    for (int i = 0; i < n && count < perClass * 10; i++) {
      int label = labels[8 + i] & 0xff;
      if (taken[label] < perClass) {
        taken[label]++;
        count++;
        pixels.write(images, 16 + i * size, size);
        picked.write(label);
        index.append(i).append('\n');
      }
    }
    try (DataOutputStream o = gzip(out.resolve(part + "-images-idx3-ubyte.gz"))) {
      o.writeInt(0x00000803);
      o.writeInt(count);
      o.writeInt(rows);
      o.writeInt(cols);
      pixels.writeTo(o);
    }
    try (DataOutputStream o = gzip(out.resolve(part + "-labels-idx1-ubyte.gz"))) {
      o.writeInt(0x00000801);
      o.writeInt(count);
      picked.writeTo(o);
    }
    Files.writeString(out.resolve(part + "-index.txt"), index, StandardCharsets.US_ASCII);
    System.out.println(part + ": " + count + " images written to " + out);
  }

  private static DataOutputStream gzip(Path p) throws IOException {
    OutputStream o = Files.newOutputStream(p);
    return new DataOutputStream(new GZIPOutputStream(o, 1 << 16));
  }

  private static byte[] gunzip(Path p) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(p), 1 << 16)) {
      return in.readAllBytes();
    }
  }

  private static int readInt(byte[] b, int at) throws IOException {
    return new DataInputStream(new java.io.ByteArrayInputStream(b, at, 4)).readInt();
  }
}
