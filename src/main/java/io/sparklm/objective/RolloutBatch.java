package io.sparklm.objective;

import io.sparklm.model.PaddedSequences;
import java.util.Arrays;

/**
 * B rollouts as the policy reads them: inputs prompt · response without its last token,
 * right-padded to T, and per position (B·T, row-major) the action taken there (the next token
 * where it is a response token, else the ignore index −100) with the rollout's old log-probability,
 * advantage, return and old value of that action (0 where there is none).
 */
public record RolloutBatch(PaddedSequences inputs, int[] actions, float[] oldLogProb, float[] advantage, float[] returns,
                           float[] oldValue) implements Batch {
    public RolloutBatch {
        int n = inputs.ids().length;
        if (actions.length != n || oldLogProb.length != n || advantage.length != n || returns.length != n || oldValue.length != n) {
            throw new IllegalArgumentException("a batch of " + inputs.size() + "×" + inputs.time() + " needs that many actions, "
                    + "log-probs, advantages, returns and values");
        }
    }

    @Override
    public int size() {
        return inputs.size();
    }

    @Override
    public long positions() {
        return inputs.ids().length;
    }

    @Override
    public RolloutBatch slice(int from, int to) {
        int t = inputs.time();
        return new RolloutBatch(inputs.slice(from, to), Arrays.copyOfRange(actions, from * t, to * t),
                Arrays.copyOfRange(oldLogProb, from * t, to * t), Arrays.copyOfRange(advantage, from * t, to * t),
                Arrays.copyOfRange(returns, from * t, to * t), Arrays.copyOfRange(oldValue, from * t, to * t));
    }
}
