package dev.edgeq.converter.dataset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which model class each class of a labeled set stands for. A folder set numbers its classes by sorted
 * folder name, which is the model's order only if the model was trained on folders with the same names;
 * so when every folder name is one of the model's labels (compared ignoring case, spaces and punctuation:
 * {@code ankle-boot} is {@code Ankle boot}, {@code t-shirt_top} is {@code T-shirt/top}), classes are
 * matched by name. Otherwise, and for sets whose label numbers are the truth (IDX), by number, with a
 * warning for folder sets.
 *
 * @param toModel model class of each dataset class
 * @param byName  whether the classes were matched by name
 * @param warning why the names could not be used (null when there is nothing to warn about)
 */
public record ClassMapping(int[] toModel, boolean byName, String warning) {

    public static ClassMapping of(LabeledImages images, List<String> modelLabels, int modelClasses) {
        List<String> classes = images.classNames();
        int[] identity = new int[classes.size()];
        for (int i = 0; i < identity.length; i++) identity[i] = i;
        if (!images.labelsFromNames()) return new ClassMapping(identity, false, null);
        if (modelLabels.isEmpty()) {
            return new ClassMapping(identity, false, "the model has no labels: folder classes are taken in sorted order "
                    + "as model classes 0.." + (classes.size() - 1));
        }
        Map<String, Integer> byKey = new HashMap<>();
        for (int c = 0; c < modelLabels.size(); c++) byKey.putIfAbsent(key(modelLabels.get(c)), c);
        int[] toModel = new int[classes.size()];
        List<String> unmatched = new ArrayList<>();
        boolean[] used = new boolean[modelLabels.size()];
        for (int i = 0; i < classes.size(); i++) {
            Integer c = byKey.get(key(classes.get(i)));
            if (c == null || used[c]) {
                unmatched.add(classes.get(i));
            } else {
                used[c] = true;
                toModel[i] = c;
            }
        }
        if (unmatched.isEmpty()) return new ClassMapping(toModel, true, null);
        StringBuilder w = new StringBuilder("folder names ").append(unmatched).append(" match none of the model's labels ")
                .append(modelLabels).append("; taking folders in sorted order as model classes: ");
        for (int i = 0; i < classes.size(); i++) {
            w.append(i > 0 ? ", " : "").append(classes.get(i)).append(" -> ")
                    .append(i < modelLabels.size() ? modelLabels.get(i) : i < modelClasses ? "class " + i : "(no such class)");
        }
        return new ClassMapping(identity, false, w.toString());
    }

    /** The model class of dataset class {@code label}. */
    public int modelClass(int label) {
        return label < toModel.length ? toModel[label] : label;
    }

    /** One line for the user: which mapping was used. */
    public String describe() {
        return byName ? "classes matched to the model's labels by folder name" : "classes taken by number";
    }

    /** Lowercase letters and digits only: folder names cannot hold '/', and people write spaces as - or _. */
    static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "");
    }
}
