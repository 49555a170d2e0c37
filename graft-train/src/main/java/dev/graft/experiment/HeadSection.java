package dev.graft.experiment;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/**
 * A classical head fitted on features of the transferred network (the frozen-prefix activations
 * at {@code layer}), with its hyperparameters chosen on the validation split. Each list is the
 * grid searched; a single value fixes it.
 *
 * @param type logistic_regression, linear_svm, random_forest or knn
 * @param layer the layer whose input is the feature vector (default: the model's head)
 * @param c the inverse L2 strength of logistic_regression and linear_svm
 * @param trees the random forest's number of trees
 * @param depth the random forest's maximum tree depth
 * @param k the number of neighbours of knn
 * @param distance knn's distance: cosine (the default), l2 or l1
 */
public record HeadSection(String type, String layer,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Double> c,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> trees,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> depth,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> k,
        String distance) {}
