package dev.edgeq.converter.dataset;

import java.nio.file.Path;
import java.util.List;

/**
 * Parses dataset specifications as the CLI takes them:
 * <ul>
 *   <li>{@code fashion-mnist:test}, {@code fashion-mnist:train} (Debian's dataset-fashion-mnist
 *       files in /usr/share/datasets/fashion-mnist), with an optional {@code :N} for the first N;
 *   <li>{@code idx:IMAGES.gz,LABELS.gz[:N]};
 *   <li>{@code folder:DIR[:N]} (one subfolder of PNG/JPEG images per class).
 * </ul>
 */
public final class DatasetSpec {
    public static final Path FASHION_MNIST_DIR = Path.of(
            System.getProperty("edgeq.fashionMnistDir", "/usr/share/datasets/fashion-mnist"));
    public static final List<String> FASHION_MNIST_LABELS = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final String FORMS = "fashion-mnist:test|train[:N], idx:IMAGES,LABELS[:N], folder:DIR[:N]";

    private DatasetSpec() {}

    /** Opens the dataset with every image resized to height x width x channels. */
    public static LabeledImages open(String spec, int height, int width, int channels) throws DatasetException {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new DatasetException("dataset '" + spec + "': expected one of " + FORMS);
        }
        String kind = spec.substring(0, colon);
        String rest = spec.substring(colon + 1);
        int limit = 0;
        int last = rest.lastIndexOf(':');
        if (last >= 0 && rest.substring(last + 1).matches("\\d+")) {
            limit = Integer.parseInt(rest.substring(last + 1));
            rest = rest.substring(0, last);
        }
        switch (kind) {
            case "fashion-mnist": {
                String prefix;
                if (rest.equals("test")) {
                    prefix = "t10k";
                } else if (rest.equals("train")) {
                    prefix = "train";
                } else {
                    throw new DatasetException("dataset '" + spec + "': split must be 'test' or 'train'");
                }
                return IdxImages.read(FASHION_MNIST_DIR.resolve(prefix + "-images-idx3-ubyte.gz"),
                        FASHION_MNIST_DIR.resolve(prefix + "-labels-idx1-ubyte.gz"), limit, FASHION_MNIST_LABELS,
                        height, width, channels);
            }
            case "idx": {
                String[] parts = rest.split(",");
                if (parts.length != 2) {
                    throw new DatasetException("dataset '" + spec + "': expected idx:IMAGES,LABELS");
                }
                return IdxImages.read(Path.of(parts[0]), Path.of(parts[1]), limit, List.of(), height, width, channels);
            }
            case "folder":
                return FolderImages.read(Path.of(rest), limit, height, width, channels);
            default:
                throw new DatasetException("dataset '" + spec + "': unknown kind '" + kind + "', expected one of " + FORMS);
        }
    }
}
