package dev.graft.transfer;

/** What happens to a target tensor during fine-tuning. */
public sealed interface Mode {

    /** The keyword used in plan files. */
    String keyword();

    /** The learning-rate multiplier; 0 for tensors that do not train. */
    double lrMultiplier();

    /** Transferred and never updated. */
    record Frozen() implements Mode {
        public String keyword() {
            return "frozen";
        }

        public double lrMultiplier() {
            return 0;
        }
    }

    /** Transferred, then trained at {@code lrMultiplier} × the base learning rate. */
    record FineTune(double lrMultiplier) implements Mode {
        public FineTune {
            if (!(lrMultiplier > 0) || Double.isInfinite(lrMultiplier)) {
                throw new TransferException("lr multiplier must be a positive number, got " + lrMultiplier);
            }
        }

        public String keyword() {
            return "finetune";
        }
    }

    /** Not transferred: initialized afresh and trained at the base learning rate. */
    record Reinit(Initializer initializer) implements Mode {
        public String keyword() {
            return "reinit";
        }

        public double lrMultiplier() {
            return 1;
        }
    }
}
