package dev.edgeq.device.region;

import dev.edgeq.imaging.CropWindow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A named part of the frame that is classified on its own ({@code --region NAME:x,y,w,h}) and published on
 * {@code classification/NAME} and {@code state/NAME}. The unnamed {@link #CENTER} region is the center crop,
 * published on {@code classification} and {@code state} as before regions existed.
 */
public record Region(String name, CropWindow window) {
    /** The center crop to the model's aspect ratio, under the plain topics. */
    public static final Region CENTER = new Region(null, null);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** "" for the center region, else "/NAME": appended to the classification, state and snapshot topics. */
    public String topicSuffix() {
        return name == null ? "" : "/" + name;
    }

    /**
     * Parses {@code NAME:x,y,w,h}. All four numbers in 0..1: fractions of the frame (normalized); otherwise
     * whole pixels. NAME: letters, digits, '_' and '-' (it becomes an MQTT topic level and a Home Assistant id).
     */
    public static Region parse(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException("region '" + spec + "': expected NAME:x,y,w,h");
        String name = spec.substring(0, colon).trim();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("region '" + spec + "': the name must be 1 to 64 letters, digits, '_' or '-'");
        }
        String[] parts = spec.substring(colon + 1).split(",");
        if (parts.length != 4) throw new IllegalArgumentException("region '" + spec + "': expected 4 numbers x,y,w,h after the name");
        double[] v = new double[4];
        boolean allFractions = true;
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("region '" + spec + "': '" + parts[i].trim() + "' is not a number");
            }
            if (!(v[i] >= 0) || Double.isInfinite(v[i])) {
                throw new IllegalArgumentException("region '" + spec + "': " + parts[i].trim() + " must be >= 0");
            }
            allFractions &= v[i] <= 1;
        }
        if (!allFractions) {
            for (int i = 0; i < 4; i++) {
                if (v[i] != Math.rint(v[i])) {
                    throw new IllegalArgumentException("region '" + spec + "': mixes fractions and pixels; use all"
                            + " numbers in 0..1 (fractions of the frame) or whole pixels");
                }
            }
        }
        try {
            return new Region(name, new CropWindow(v[0], v[1], v[2], v[3], allFractions));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("region '" + spec + "': " + e.getMessage());
        }
    }

    /** The regions of the settings: none given means the center region alone. Names must be unique. */
    public static List<Region> parseAll(List<String> specs) {
        if (specs == null || specs.isEmpty()) return List.of(CENTER);
        List<Region> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String s : specs) {
            Region r = parse(s);
            if (!names.add(r.name())) throw new IllegalArgumentException("region name '" + r.name() + "' is used twice");
            out.add(r);
        }
        return out;
    }
}
