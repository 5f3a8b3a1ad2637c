package io.sparklm.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code sparklm <command> [--key value …]}: the entry point of every sparklm job.
 *
 * <p>Commands: {@code train-local} (train a GPT on one machine and save it), {@code eval}
 * (mean loss of a saved model on a text), {@code generate} (sample text from a saved model),
 * {@code score} (append a reward model's rewards to a table).
 * Exit status 0 on success, 2 on bad input (with the reason on stderr), 1 on other failures.
 */
public final class Main {
    /** One subcommand: its option defaults and what it does with parsed options. */
    interface Command {
        Map<String, String> defaults();

        void run(Options options) throws Exception;

        String summary();
    }

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("tokenize", new TokenizeCommand());
        COMMANDS.put("pretrain", new PretrainCommand());
        COMMANDS.put("finetune", new PretrainCommand(io.sparklm.objective.SupervisedFineTuning.NAME,
                "supervised fine-tuning of a GPT on (prompt, response) records, prompt masked out of the loss; start it with init.model=DIR"));
        COMMANDS.put("reward-train", new PretrainCommand(io.sparklm.objective.RewardObjective.NAME,
                "train a reward model on (prompt, chosen, rejected) records: −log σ(r_chosen − r_rejected); init.model=DIR starts its body"));
        COMMANDS.put("dpo", new PretrainCommand(io.sparklm.objective.DirectPreferenceOptimization.NAME,
                "direct preference optimisation of a GPT on (prompt, chosen, rejected) records against the frozen reference init.model=DIR "
                        + "(required; the policy starts from it): −log σ(β[(log π − log π_ref)(chosen) − (log π − log π_ref)(rejected)])"));
        COMMANDS.put("ppo", new PpoCommand());
        COMMANDS.put("preferences", new PreferencesCommand());
        COMMANDS.put("compare", new CompareCommand());
        COMMANDS.put("pipeline", new PipelineCommand());
        COMMANDS.put("train-local", new TrainLocalCommand());
        COMMANDS.put("eval", new EvalCommand());
        COMMANDS.put("generate", new GenerateCommand());
        COMMANDS.put("score", new ScoreCommand());
    }

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args);
        if (insideYarnApplicationMaster()) {
            // The ApplicationMaster runs main in a thread of its own and reports the application's final
            // status when main returns or throws; System.exit would end the container first, as a failure.
            if (status != 0) {
                throw new IllegalStateException("sparklm " + String.join(" ", args) + " failed with exit status " + status
                        + (lastError == null ? "" : ": " + lastError));
            }
            return;
        }
        System.exit(status);
    }

    /** The last error reported to the user, for the YARN diagnostics of a cluster-mode driver. */
    private static volatile String lastError;

    private static boolean insideYarnApplicationMaster() {
        return "yarn".equals(System.getProperty("spark.master")) && "cluster".equals(System.getProperty("spark.submit.deployMode"));
    }

    /** Runs a command line and returns its exit status. */
    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            System.out.println(usage());
            return args.length == 0 ? 2 : 0;
        }
        Command command = COMMANDS.get(args[0]);
        if (command == null) {
            System.err.println("sparklm: unknown command '" + args[0] + "'\n" + usage());
            return 2;
        }
        if (Arrays.asList(args).contains("--help")) {
            System.out.println("sparklm " + args[0] + ": " + command.summary() + "\n" + Options.usage(command.defaults()));
            return 0;
        }
        try {
            command.run(new Options(args[0], command.defaults(), command instanceof PipelineCommand ? PipelineCommand.withConfigSetting(args) : args, 1));
            return 0;
        } catch (PipelineCommand.StageFailure e) {
            return e.status;
        } catch (Exception e) {
            String unreadable = unreadableFile(e);
            if (unreadable != null) {
                lastError = unreadable;
                System.err.println("sparklm " + args[0] + ": " + unreadable);
                return 2;
            }
            Throwable input = inputError(e);
            if (input != null) {
                lastError = input.getMessage();
                System.err.println("sparklm " + args[0] + ": " + input.getMessage());
                return 2;
            }
            lastError = e.toString();
            e.printStackTrace();
            return 1;
        }
    }

    /**
     * The bad-input error behind a failure, also when a Spark job wraps one thrown in a task:
     * the first {@link IllegalArgumentException} or {@link java.io.IOException} in the cause chain.
     */
    private static Throwable inputError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException || t instanceof java.io.IOException) {
                return t;
            }
        }
        return null;
    }

    private static final java.util.regex.Pattern FAILED_READ = java.util.regex.Pattern.compile(
            "\\[FAILED_READ_FILE[.A-Z_]*\\][^\\n]*?reading file (\\S+?)\\.?(\\s|$)");

    /**
     * Spark's {@code [FAILED_READ_FILE…]} (a shard or corpus file that is truncated, or is not what
     * its name says), restated with the file and the fix; null for any other failure.
     */
    static String unreadableFile(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            java.util.regex.Matcher m = FAILED_READ.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                Throwable root = t;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                return "cannot read " + m.group(1) + ": it is truncated or damaged (" + root.getClass().getSimpleName() + ": "
                        + String.valueOf(root.getMessage()).lines().findFirst().orElse("") + "); write it again (tokenize with"
                        + " data.overwrite=true rewrites the shards) or remove it";
            }
        }
        return null;
    }

    private static String usage() {
        StringBuilder sb = new StringBuilder("usage: sparklm <command> [--config FILE.yaml] [key=value ...]\ncommands:\n");
        COMMANDS.forEach((name, c) -> sb.append("  ").append(name).append(": ").append(c.summary()).append('\n'));
        sb.append("sparklm <command> --help lists a command's options");
        return sb.toString();
    }
}
