package dev.graft.model.family;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The deterministic test weights of tools/make_family_fixtures.py, computed identically: element
 * {@code i} of tensor {@code name} comes from {@code u}, splitmix64's {@code i}-th output seeded
 * with fnv1a64 of the name (top 53 bits, in [0, 1)), scaled by the tensor's role.
 */
final class FamilyWeights {
    private FamilyWeights() {}

    static long fnv1a64(String name) {
        long h = 0xCBF29CE484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001B3L;
        }
        return h;
    }

    /** The {@code i}-th uniform (0-based) of the stream named {@code name}. */
    static double uniform(long seed, long i) {
        long z = seed + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }

    /**
     * Every element of tensor {@code name} of shape {@code shape}, given all names and shapes of the
     * state dict (a bias or weight is a BatchNorm's when its layer has a {@code running_mean}).
     */
    static float[] values(String name, long[] shape, Map<String, long[]> shapes) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        String prefix = name.substring(0, name.lastIndexOf('.') + 1);
        String leaf = name.substring(prefix.length());
        boolean norm = shapes.containsKey(prefix + "running_mean");
        long seed = fnv1a64(name);
        float[] out = new float[Math.toIntExact(n)];
        double fan = 0;
        if (leaf.equals("weight") && !norm) {
            fan = fanIn(shape);
        } else if (leaf.equals("bias") && !norm) {
            fan = fanIn(shapes.get(prefix + "weight"));
        }
        for (int i = 0; i < out.length; i++) {
            double u = uniform(seed, i);
            double v;
            if (leaf.equals("running_mean")) {
                v = 0.2 * (2.0 * u - 1.0);
            } else if (leaf.equals("running_var")) {
                v = 0.5 + u;
            } else if (leaf.equals("weight") && norm) {
                v = 0.75 + 0.5 * u;
            } else if (leaf.equals("bias") && norm) {
                v = 3.0 * u - 1.0;
            } else if (leaf.equals("weight") && shape.length == 2) {
                v = (2.0 * u - 1.0) / Math.sqrt(fan);
            } else if (leaf.equals("weight")) {
                v = (2.0 * u - 1.0) * Math.sqrt(4.5 / fan);
            } else if (leaf.equals("bias")) {
                v = (2.0 * u - 1.0) / Math.sqrt(fan);
            } else if (name.equals("input")) {
                v = (2.0 * u - 1.0) * Math.sqrt(3.0);
            } else {
                throw new IllegalArgumentException("no formula for " + name);
            }
            out[i] = (float) v;
        }
        return out;
    }

    private static long fanIn(long[] shape) {
        long f = 1;
        for (int i = 1; i < shape.length; i++) {
            f *= shape[i];
        }
        return f;
    }
}
