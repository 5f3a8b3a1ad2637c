package io.sparklm.data.corpus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The files a corpus URI names, on any Hadoop FileSystem: a file, a directory (all files under it,
 * recursively), or a glob ({@code hdfs://nn/corpus/part-*.txt}) of files and directories. A plain
 * path is on the default FileSystem ({@code fs.defaultFS}). Names starting with {@code _} or
 * {@code .} ({@code _SUCCESS}, {@code .crc} files) are skipped, as Hadoop and Spark skip them,
 * unless the URI names them literally.
 */
final class CorpusFiles {
    private CorpusFiles() {
    }

    /**
     * The directory that records' ids are relative to: {@code uri} itself when it is a directory,
     * else (a file, a glob) the directory above it; as a path without scheme or authority.
     */
    static String root(String uri, Configuration conf) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = path.getFileSystem(conf);
        String text = path.toString();
        int glob = firstGlobCharacter(text);
        String aboveGlob = glob >= 0 ? text.substring(0, text.lastIndexOf('/', glob) + 1) : null;
        Path base = aboveGlob != null ? new Path(aboveGlob.isEmpty() ? "." : aboveGlob)
                : fs.getFileStatus(path).isDirectory() ? path : path.getParent();
        return fs.makeQualified(base).toUri().getPath();
    }

    /**
     * A record's file as its id names it: relative to the input's {@link #root}, so that the same
     * corpus gives the same ids, and so the same train/validation split, wherever it is stored.
     */
    static String relative(String root, String file) {
        String path = new Path(file).toUri().getPath();
        String prefix = root.endsWith("/") ? root : root + "/";
        return path.startsWith(prefix) ? path.substring(prefix.length()) : new Path(file).getName();
    }

    private static int firstGlobCharacter(String text) {
        int first = -1;
        for (char c : new char[] {'*', '?', '[', '{'}) {
            int at = text.indexOf(c);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /**
     * The fully qualified URIs of the corpus's files, sorted.
     *
     * @throws CorpusException when nothing exists at {@code uri}, a glob matches nothing, or there
     *     are no files under it
     */
    static List<String> list(String uri, Configuration conf) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = path.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(path);
        if (matches == null) {
            throw new CorpusException("corpus " + uri + " does not exist");
        }
        List<String> files = new ArrayList<>();
        for (FileStatus match : matches) {
            String name = match.getPath().getName();
            if (isHidden(name) && !name.equals(path.getName())) {
                continue;
            }
            if (match.isFile()) {
                files.add(match.getPath().toString());
                continue;
            }
            RemoteIterator<? extends FileStatus> under = fs.listFiles(match.getPath(), true);
            while (under.hasNext()) {
                Path file = under.next().getPath();
                if (!isHiddenBelow(file, match.getPath())) {
                    files.add(file.toString());
                }
            }
        }
        if (files.isEmpty()) {
            throw new CorpusException("corpus " + uri + (matches.length == 0 ? " matches no files" : " holds no files"));
        }
        files.sort(null);
        return files;
    }

    private static boolean isHidden(String name) {
        return name.startsWith("_") || name.startsWith(".");
    }

    /** Whether {@code file}, or a directory between {@code root} and it, has a hidden name. */
    private static boolean isHiddenBelow(Path file, Path root) {
        for (Path p = file; p != null && p.depth() > root.depth(); p = p.getParent()) {
            if (isHidden(p.getName())) {
                return true;
            }
        }
        return false;
    }
}
