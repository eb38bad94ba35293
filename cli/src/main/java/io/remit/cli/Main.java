package io.remit.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ./remit services|status|deploy|scale|restart|revisions|diff|rollback ...}: the operator's
 * verbs, each one or a few calls of the scheduler's REST API. Exit status: 0 done;
 * {@value CliException#FAILED} the scheduler refused or failed it (its reason printed);
 * {@value CliException#USAGE} a wrong command line; {@value CliException#UNREACHABLE} the
 * scheduler could not be reached. A verb is a {@link Verb} in {@link #VERBS}: later ones
 * (deployments, watch, pause, resume, abort, release) go there too.
 */
public final class Main {

    static final String USAGE = """
            Usage: ./remit <verb> [arguments] [--scheduler URL] [--token T] [--json]

            Verbs (the scheduler's REST API, as an operator):
              services                  every service: version, state, healthy of desired
              status SVC                one service: state, version, current revision, instances
              deploy FILE.yml [-m MSG]  create or change the service the spec in FILE describes (YAML or
                                        JSON); a change of anything but instances is a new revision, and
                                        a deployment replaces the instances (its spec's strategy)
              scale SVC N               run N instances (not a revision)
              restart SVC               replace every instance, one at a time
              revisions SVC             the service's revisions, newest first: who, when, why
              diff SVC [A [B]]          what changed from revision A to B, as a unified diff of the spec
                                        (default B: the current revision, A: the one before B)
              rollback SVC [REV] [-m MSG]
                                        back to revision REV's spec (default: the one before the
                                        current), keeping today's instance count: a new revision,
                                        deployed like any change

            Options:
              --scheduler URL  the scheduler (default: the running ./remit local's, else http://127.0.0.1:8080)
              --token T        an operator's (or, to read, a viewer's) token (default: var/credentials)
              --var DIR        the ./remit local whose addresses and credentials to use (default ./var)
              -m, --message M  the change message kept in the revision (deploy, rollback)
              --json           print the API's JSON answer instead of text

            Exit status: 0 done; 1 the scheduler refused or failed it (the reason is printed); 2 a wrong
            command line; 3 the scheduler could not be reached.
            """;

    /** The verbs, in the order the usage lists them. */
    static final Map<String, Verb> VERBS = new LinkedHashMap<>();

    static {
        VERBS.put("services", ServiceVerbs::services);
        VERBS.put("status", ServiceVerbs::status);
        VERBS.put("deploy", ServiceVerbs::deploy);
        VERBS.put("scale", ServiceVerbs::scale);
        VERBS.put("restart", ServiceVerbs::restart);
        VERBS.put("revisions", RevisionVerbs::revisions);
        VERBS.put("diff", RevisionVerbs::diff);
        VERBS.put("rollback", RevisionVerbs::rollback);
        VERBS.put("deployments", DeploymentVerbs::deployments);
        VERBS.put("watch", DeploymentVerbs::watch);
        VERBS.put("pause", DeploymentVerbs::pause);
        VERBS.put("resume", DeploymentVerbs::resume);
        VERBS.put("abort", DeploymentVerbs::abort);
        VERBS.put("release", DeploymentVerbs::release);
        VERBS.put("releases", DeploymentVerbs::releases);
    }

    private Main() {
    }

    public static void main(String[] argv) {
        int status = run(argv, System.getenv(), System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /** Does what {@link #main} does, with the environment given and writing to {@code out} and {@code err}. */
    static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            Args args = Args.parse(argv, env);
            if (args.verb().equals("help")) {
                out.print(USAGE);
                return 0;
            }
            Verb verb = VERBS.get(args.verb());
            if (verb == null) {
                throw CliException.usage("unknown verb '" + args.verb() + "'; ./remit help lists them");
            }
            return verb.run(args, new Api(args.scheduler(), args.token()), out);
        } catch (CliException e) {
            err.println("remit: " + e.getMessage());
            return e.status();
        }
    }
}
