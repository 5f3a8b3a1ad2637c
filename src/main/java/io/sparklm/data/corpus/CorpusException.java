package io.sparklm.data.corpus;

import java.io.IOException;

/**
 * A corpus or shard set that cannot be used as it is: the message names the input (file, line,
 * byte, document or URI) and the fix. Thrown on the driver, and on executors inside Spark tasks,
 * from where {@link #thrownBy} brings it back out of Spark's job failure.
 */
public final class CorpusException extends IOException {
    public CorpusException(String message) {
        super(message);
    }

    public CorpusException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * What to throw on the driver for an exception out of a Spark action: the CorpusException a
     * task failed with (found among the causes, with the job failure as its cause), else the
     * failure itself, a Spark job failure wrapped in an IOException.
     */
    public static IOException thrownBy(Exception jobFailure) {
        for (Throwable t = jobFailure; t != null; t = t.getCause()) {
            if (t instanceof CorpusException corpusError) {
                return t == jobFailure ? corpusError : new CorpusException(corpusError.getMessage(), jobFailure);
            }
        }
        if (jobFailure instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        return jobFailure instanceof IOException io ? io : new IOException(jobFailure.getMessage(), jobFailure);
    }
}
