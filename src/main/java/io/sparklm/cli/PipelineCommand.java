package io.sparklm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklm.train.RunFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * {@code sparklm pipeline --config FILE.yaml}: runs a chain of sparklm commands in one run
 * directory, as a scheduler (Airflow, cron, Oozie) calls one job. The file holds
 * <pre>
 *   pipeline: {dir: runs/rlhf}
 *   stages:
 *     - {name: pretrain, command: pretrain, settings: {data.shards: "${dir}/corpus", run.dir: "${dir}/pretrain", …}}
 *     - …
 * </pre>
 * with {@code ${dir}} replaced by pipeline.dir in every setting. Each stage is idempotent: a stage
 * that finished wrote {@code DIR/stages/NAME.done} and is skipped on a rerun; a training stage
 * whose run.dir already holds checkpoints resumes ({@code run.resume=true}); a stage that fails
 * ends the pipeline with its exit status, naming the stage. Stages after a rerun stage run again
 * only if they have no marker, so a changed stage is rerun by deleting its marker.
 */
final class PipelineCommand implements Main.Command {
    @Override
    public String summary() {
        return "run the stages of --config FILE.yaml (tokenize → pretrain → finetune → … ) in one directory, skipping finished ones";
    }

    @Override
    public Map<String, String> defaults() {
        return Map.of("pipeline.config", "");
    }

    /**
     * The command line with {@code --config FILE} read as {@code pipeline.config=FILE}: the pipeline's
     * file lists stages, which are not settings of the pipeline command itself.
     */
    static String[] withConfigSetting(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                out.add("pipeline.config=" + args[++i]);
            } else {
                out.add(args[i]);
            }
        }
        return out.toArray(String[]::new);
    }

    /** A stage: its name, the command and its settings as key=value arguments. */
    record Stage(String name, String command, List<String> settings) {
    }

    @Override
    public void run(Options o) throws Exception {
        if (!o.isSet("pipeline.config")) {
            throw new IllegalArgumentException("sparklm pipeline needs --config FILE.yaml listing its stages");
        }
        int status = run(ConfigFile.read(o.string("pipeline.config")), o.string("pipeline.config"));
        if (status != 0) {
            throw new StageFailure(status);
        }
    }

    /** A stage's failure: the pipeline exits with the stage's status, which it has already reported. */
    static final class StageFailure extends RuntimeException {
        final int status;

        StageFailure(int status) {
            super("a pipeline stage failed with exit status " + status);
            this.status = status;
        }
    }

    /** Runs the pipeline of {@code config}; returns the exit status (that of the first failed stage). */
    static int run(JsonNode config, String source) throws IOException {
        String dir = config.path("pipeline").path("dir").asText("");
        if (dir.isEmpty() || !config.path("stages").isArray() || config.get("stages").isEmpty()) {
            throw new IllegalArgumentException(source + " needs pipeline.dir and a list of stages {name, command, settings}");
        }
        List<Stage> stages = new ArrayList<>();
        for (JsonNode s : config.get("stages")) {
            String name = s.path("name").asText("");
            String command = s.path("command").asText("");
            if (name.isEmpty() || command.isEmpty() || command.equals("pipeline")) {
                throw new IllegalArgumentException(source + ": every stage needs a name and a command other than pipeline, got " + s);
            }
            List<String> settings = new ArrayList<>();
            s.path("settings").fields().forEachRemaining(e -> settings.add(e.getKey() + "=" + e.getValue().asText().replace("${dir}", dir)));
            stages.add(new Stage(name, command, settings));
        }
        RunFiles files = RunFiles.forUri(dir, new org.apache.hadoop.conf.Configuration());
        Path markers = new Path(files.qualify(dir), "stages");
        files.fs().mkdirs(markers);
        for (Stage stage : stages) {
            Path done = new Path(markers, stage.name() + ".done");
            if (files.fs().exists(done)) {
                System.out.println("pipeline: stage " + stage.name() + " is done (" + done + "); skipped");
                continue;
            }
            List<String> args = new ArrayList<>(List.of(stage.command()));
            args.addAll(stage.settings());
            if (hasCheckpoints(files, stage)) {
                args.add("run.resume=true");
                System.out.println("pipeline: stage " + stage.name() + " resumes from its checkpoints");
            }
            System.out.println("pipeline: stage " + stage.name() + ": sparklm " + String.join(" ", args));
            int status = Main.run(args.toArray(String[]::new));
            if (status != 0) {
                System.err.println("sparklm pipeline: stage " + stage.name() + " (" + stage.command() + ") failed with exit status " + status);
                return status;
            }
            files.writeStringAtomically(done, String.join(" ", args) + "\n");
        }
        System.out.println("pipeline: " + stages.size() + " stages done in " + dir);
        return 0;
    }

    private static boolean hasCheckpoints(RunFiles files, Stage stage) throws IOException {
        for (String s : stage.settings()) {
            if (s.startsWith("run.dir=")) {
                Path latest = new Path(files.qualify(s.substring("run.dir=".length())), "checkpoints/LATEST");
                return files.fs().exists(latest);
            }
        }
        return false;
    }
}
