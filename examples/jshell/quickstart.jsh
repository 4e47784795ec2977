// Groundwork in JShell: the research loop on the embedded Fashion-MNIST subset.
// The script ends by itself (/exit); drop that line to keep the session open and explore.
// Start from the repository root (see README.md):
//   mvn -q -ntp install -DskipTests
//   mvn -q -ntp -pl examples dependency:build-classpath -Dmdep.outputFile=target/cp.txt
//   jshell --class-path "$(cat examples/target/cp.txt):examples/target/classes" examples/jshell/quickstart.jsh
import dev.groundwork.core.data.*;
import dev.groundwork.core.model.*;
import dev.groundwork.core.train.*;
import dev.groundwork.core.analysis.*;
import dev.groundwork.djl.*;

var data  = Datasets.fashionMnistSubset();
var split = data.train().split(0.8, 42);
var model = DjlModels.smallCnn(data.spec());
var check = OverfitCheck.of(model).on(split.train().stratifiedSample(100, 42)).run();
System.out.println(check);
var lr = LrFinder.of(model).on(split.train()).run();
System.out.println(lr);
model.close();
/exit
