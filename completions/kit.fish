# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kit_global_optspecs
    string join \n h/help V/version
end

function __fish_kit_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kit_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kit_using_subcommand
    set -l cmd (__fish_kit_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kit -n "__fish_kit_needs_command" -s h -l help -d 'Print help'
complete -c kit -n "__fish_kit_needs_command" -s V -l version -d 'Print version'
complete -c kit -n "__fish_kit_needs_command" -f -a "build" -d 'Render kustomizations exactly like `kubectl kustomize` (directories, files or `-`)'
complete -c kit -n "__fish_kit_needs_command" -f -a "template" -d 'Render a chart (Helm\'s chart layout, Jinja templates), like `helm template`'
complete -c kit -n "__fish_kit_needs_command" -f -a "chart" -d 'Chart tools: `kit chart lint`'
complete -c kit -n "__fish_kit_needs_command" -f -a "create" -d 'Create things: `kit create chart NAME`'
complete -c kit -n "__fish_kit_needs_command" -f -a "validate" -d 'Validate manifests against the Kubernetes API schemas and the API server\'s field rules, offline'
complete -c kit -n "__fish_kit_needs_command" -f -a "lint" -d 'Check rendered manifests against best-practice and security rules'
complete -c kit -n "__fish_kit_needs_command" -f -a "apply" -d 'Server-side apply rendered manifests to a cluster: ordered, optionally pruned (ApplySet) and waited for'
complete -c kit -n "__fish_kit_needs_command" -f -a "diff" -d 'Show changes: `kit diff PATH` against the live cluster (server-side dry run), or two renders offline (`kit diff OLD NEW`, `kit diff PATH --git-ref REF`). A unified diff per object, Secret values masked. Exit 0 no change, 1 changes, 3 error'
complete -c kit -n "__fish_kit_needs_command" -f -a "rules" -d 'List the lint rules (id, name, severity, category, on by default)'
complete -c kit -n "__fish_kit_needs_command" -f -a "explain" -d 'Print the documentation of a lint rule or validation check (by id or name)'
complete -c kit -n "__fish_kit_needs_command" -f -a "generate" -d 'Write shell completions and the man pages (kept in the repository\'s completions/)'
complete -c kit -n "__fish_kit_needs_command" -f -a "completion" -d 'Print the completion script for a shell (bash, zsh, fish, powershell, elvish), as `kubectl completion` does: `source <(kit completion bash)`'
complete -c kit -n "__fish_kit_needs_command" -f -a "update" -d 'Pin remote bases: resolve every remote base\'s ref on its remote again, fetch what changed, and write `kit.lock` beside each kustomization root'
complete -c kit -n "__fish_kit_needs_command" -f -a "vendor" -d 'Copy every remote input (git bases, HTTP files, charts) into a directory beside `kit.lock` (default `vendor/`) and name it in the lock: builds then read them there and use no network. The kustomizations are not changed. Commit the directory and the lock'
complete -c kit -n "__fish_kit_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kit -n "__fish_kit_using_subcommand build" -s o -l output-dir -d 'Write the output to this path instead of printing, as `kubectl kustomize -o` does: into an existing directory, one file per resource (one subdirectory per root when there are several roots); a path ending in `/` is created as such a directory; any other path is one file holding what would be printed' -r -F
complete -c kit -n "__fish_kit_using_subcommand build" -l output -d 'Output format' -r -f -a "yaml\t''
json\t''"
complete -c kit -n "__fish_kit_using_subcommand build" -l load-restrictor -d 'Which files a kustomization may read: only under its own directory (default), or any' -r -f -a "LoadRestrictionsRootOnly\t'Files only in or below the kustomization\'s directory (kustomize\'s default)'
LoadRestrictionsNone\t'Files anywhere (kustomize\'s spelling; `none` is accepted too)'"
complete -c kit -n "__fish_kit_using_subcommand build" -l helm-command -d 'Accepted; no effect: kit runs no helm binary, it renders charts in-process as `helm template` v3.17 does (v4.1 with --helm-version 4)' -r
complete -c kit -n "__fish_kit_using_subcommand build" -l helm-version -d 'Render helmCharts as this Helm major version does (kubectl kustomize runs whichever helm is on PATH): 3 (v3.17) or 4 (v4.1); see `kit template --help`' -r -f -a "3\t'Helm v3.17'
4\t'Helm v4.1'"
complete -c kit -n "__fish_kit_using_subcommand build" -l helm-api-versions -d 'Kubernetes API versions charts see in `Capabilities.APIVersions`, for helmCharts entries that list no `apiVersions` (repeatable), as in kubectl kustomize' -r
complete -c kit -n "__fish_kit_using_subcommand build" -l helm-kube-version -d 'The Kubernetes version charts see in `Capabilities.KubeVersion`, for helmCharts entries without a `kubeVersion`, as in kubectl kustomize' -r
complete -c kit -n "__fish_kit_using_subcommand build" -l reorder -d 'Deprecated in kustomize (use `sortOptions`): `legacy` (the default order) or `none` (the order of the input); a kustomization\'s `sortOptions` wins' -r
complete -c kit -n "__fish_kit_using_subcommand build" -l network-name -d 'Accepted; no effect: for KRM functions, which kit does not run' -r
complete -c kit -n "__fish_kit_using_subcommand build" -l mount -d 'Accepted; no effect: for KRM functions, which kit does not run' -r
complete -c kit -n "__fish_kit_using_subcommand build" -s e -l env -d 'Accepted; no effect: for KRM functions, which kit does not run' -r
complete -c kit -n "__fish_kit_using_subcommand build" -l explain-origin -d 'Annotate every value with the file, line and column it came from (`# from: ...`)'
complete -c kit -n "__fish_kit_using_subcommand build" -l locked -d 'Refuse remote inputs that `kit.lock` does not pin, and those that moved or changed on the remote since they were pinned (asks the remote: for CI)'
complete -c kit -n "__fish_kit_using_subcommand build" -l offline -d 'Use no network: remote inputs come from `kit.lock` and the cache alone (an error names the entry that is missing)'
complete -c kit -n "__fish_kit_using_subcommand build" -l quiet -d 'Do not announce on stderr what is fetched from the network'
complete -c kit -n "__fish_kit_using_subcommand build" -l enable-helm -d 'Accepted; no effect: kit renders `helmCharts` itself, always (kustomize needs this flag and a helm binary)'
complete -c kit -n "__fish_kit_using_subcommand build" -l helm-debug -d 'Accepted; no effect (kit\'s chart errors already name the template line)'
complete -c kit -n "__fish_kit_using_subcommand build" -l enable-managedby-label -d 'Deprecated in kustomize (use `buildMetadata: [managedByLabel]`): label every object `app.kubernetes.io/managed-by: kustomize-v5.8.1` (also with KUSTOMIZE_ENABLE_MANAGEDBY_LABEL=on)'
complete -c kit -n "__fish_kit_using_subcommand build" -l enable-alpha-plugins -d 'Accepted; kit never runs plugins or KRM functions: a kustomization that declares an exec, container or Go plugin is refused with its file and line, flag or not'
complete -c kit -n "__fish_kit_using_subcommand build" -l enable-exec -d 'Refused: kit never runs exec functions (kustomize\'s alpha flag; `kubectl kustomize` does not have it either)'
complete -c kit -n "__fish_kit_using_subcommand build" -l network -d 'Accepted; no effect: for KRM functions, which kit does not run'
complete -c kit -n "__fish_kit_using_subcommand build" -l as-current-user -d 'Accepted; no effect: for KRM functions, which kit does not run'
complete -c kit -n "__fish_kit_using_subcommand build" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kit -n "__fish_kit_using_subcommand template" -l name-template -d 'Make the release name with this Go template (Sprig\'s functions), e.g. `{{ randAlpha 6 | lower }}`; then CHART is the only argument' -r
complete -c kit -n "__fish_kit_using_subcommand template" -s f -l values -d 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does' -r -F
complete -c kit -n "__fish_kit_using_subcommand template" -l set -d 'Set values: `a.b=c,list[0]=x,l={a,b}` (numbers, booleans and null are typed)' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l set-string -d 'Set values as strings (no typing)' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l set-file -d 'Set values from files: `key=path` takes the file\'s text as the value' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l set-json -d 'Set values as JSON: `key={"a":1}`, `key=[1,2]`, or a whole JSON object' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l set-literal -d 'Set one value as a literal string: everything after the first `=` (commas, braces, backslashes included), never typed. Applied last' -r
complete -c kit -n "__fish_kit_using_subcommand template" -s n -l namespace -d 'The release namespace (`release.namespace`); as in Helm, without it $HELM_NAMESPACE, else the kubeconfig context\'s namespace, else `default`' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l kubeconfig -d 'The kubeconfig whose context gives the release namespace when -n and $HELM_NAMESPACE give none (default: $KUBECONFIG, else ~/.kube/config); nothing else is read from it' -r -F
complete -c kit -n "__fish_kit_using_subcommand template" -l kube-context -d 'The kubeconfig context for the release namespace (default: $HELM_KUBECONTEXT, else the current context)' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l kube-version -d 'Kubernetes version for `capabilities.kubeVersion` and Chart.yaml\'s kubeVersion check' -r
complete -c kit -n "__fish_kit_using_subcommand template" -s a -l api-versions -d 'Extra API versions for `capabilities.apiVersions` (`group/version` or `group/version/Kind`; repeated or comma-separated)' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l helm-version -d 'Print what this Helm major version prints: 3 (v3.17.2) or 4 (v4.1.4: Kubernetes v1.35.0 by default, --kube-version kept as given, webhook configurations in the install order, `.Chart` as a map, each alias of a dependency with its own subcharts)' -r -f -a "3\t'Helm v3.17'
4\t'Helm v4.1'"
complete -c kit -n "__fish_kit_using_subcommand template" -s s -l show-only -d 'Only print the manifests of these templates (`templates/x.yaml`, globs allowed)' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l output-dir -d 'Write each template\'s manifests to DIR/chart/templates/... instead of printing (and print `wrote PATH` for each write, as Helm does)' -r -F
complete -c kit -n "__fish_kit_using_subcommand template" -l post-renderer -d 'Pipe the rendered manifests (CRDs and manifests; hooks are added after) through this program, as Helm does: it runs only when given, reads the whole render on stdin, and its stdout (at most 256 MiB) replaces it. A program name without `/` is looked up in PATH' -r -F
complete -c kit -n "__fish_kit_using_subcommand template" -l post-renderer-args -d 'An argument to the --post-renderer program (repeatable)' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l dry-run -d 'Only `client` (the default with the bare flag) and `true` are accepted: kit never contacts a cluster' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l repo -d 'The chart repository to take CHART from (its index.yaml is read, the version resolved and the archive\'s digest checked; kit\'s cache keeps it). Ignored for a chart on disk, as Helm ignores it' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l version -d 'The chart version or semver range (`1.2.3`, `^1.2`, `>=1 <2`) for a chart of a repository or a registry; the latest stable version when not given' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l keyring -d 'See --verify (has no effect without it)' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l username -d 'User name for the chart repository or registry (sent only to its host)' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l password -d 'Password for the chart repository or registry (sent only to its host)' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l ca-file -d 'Trust only the certificates in this PEM file for the repository\'s HTTPS' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l cert-file -d 'Client certificate (PEM) for the repository\'s HTTPS' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l key-file -d 'Client key (PEM) for the repository\'s HTTPS' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l repository-config -d 'Helm\'s repositories file, for REPO/CHART (default: $HELM_REPOSITORY_CONFIG, else ~/.config/helm/repositories.yaml)' -r -F
complete -c kit -n "__fish_kit_using_subcommand template" -l repository-cache -d 'Helm\'s repository cache, whose NAME-index.yaml `helm repo update` wrote (default: $HELM_REPOSITORY_CACHE, else ~/.cache/helm/repository); without it kit downloads the index' -r -F
complete -c kit -n "__fish_kit_using_subcommand template" -l registry-config -d 'Registry credentials (`helm registry login`\'s config.json; default: $HELM_REGISTRY_CONFIG, else ~/.config/helm/registry/config.json)' -r -F
complete -c kit -n "__fish_kit_using_subcommand template" -l wait -d 'No effect on the output (as with `helm template`); Helm v4\'s strategies are taken (`--wait=watcher`, `hookOnly`, `legacy`; `true` and `false` as v4 still takes them)' -r -f -a "watcher\t''
hookOnly\t''
legacy\t''
true\t''
false\t''"
complete -c kit -n "__fish_kit_using_subcommand template" -l server-side -d 'Helm v4\'s (`--server-side=false` too): no effect on the output' -r -f -a "1\t''
t\t''
T\t''
TRUE\t''
true\t''
True\t''
0\t''
f\t''
F\t''
FALSE\t''
false\t''
False\t''"
complete -c kit -n "__fish_kit_using_subcommand template" -l color -d 'Helm v4\'s colored output setting: no effect (kit colours its errors itself; see NO_COLOR)' -r -f -a "never\t''
auto\t''
always\t''"
complete -c kit -n "__fish_kit_using_subcommand template" -l content-cache -d 'Helm v4\'s content cache: no effect on a chart on disk (kit\'s cache holds what it downloads)' -r -F
complete -c kit -n "__fish_kit_using_subcommand template" -l timeout -d 'No effect on the output; a Go duration (`5m0s`), checked as Helm checks it' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l description -d 'No effect on the output (the release\'s description)' -r
complete -c kit -n "__fish_kit_using_subcommand template" -s l -l labels -d 'Release labels `k=v,k2=v2`: no effect on the output; checked as Helm checks them' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l kube-apiserver -d 'Helm\'s cluster connection flag: no effect (`helm template` contacts no cluster)' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l kube-as-group -d 'Helm\'s cluster connection flag: no effect (`helm template` contacts no cluster)' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l kube-as-user -d 'Helm\'s cluster connection flag: no effect (`helm template` contacts no cluster)' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l kube-ca-file -d 'Helm\'s cluster connection flag: no effect (`helm template` contacts no cluster)' -r -F
complete -c kit -n "__fish_kit_using_subcommand template" -l kube-tls-server-name -d 'Helm\'s cluster connection flag: no effect (`helm template` contacts no cluster)' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l kube-token -d 'Helm\'s cluster connection flag: no effect (`helm template` contacts no cluster)' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l burst-limit -d 'Helm\'s client throttling flag: no effect (`helm template` contacts no cluster)' -r
complete -c kit -n "__fish_kit_using_subcommand template" -l qps -d 'Helm\'s client throttling flag: no effect (`helm template` contacts no cluster)' -r
complete -c kit -n "__fish_kit_using_subcommand template" -s g -l generate-name -d 'Accepted as Helm accepts it: `helm template` names the release `release-name` all the same (with NAME given, this is an error)'
complete -c kit -n "__fish_kit_using_subcommand template" -l include-crds -d 'Print the chart\'s CRDs (crds/) first'
complete -c kit -n "__fish_kit_using_subcommand template" -l skip-crds -d 'No effect on the output, as with Helm (it only stops `helm install` from installing CRDs): --include-crds decides whether CRDs are printed'
complete -c kit -n "__fish_kit_using_subcommand template" -l skip-schema-validation -d 'Do not check the values against the charts\' values.schema.json'
complete -c kit -n "__fish_kit_using_subcommand template" -l release-name -d 'With --output-dir: write into DIR/NAME/ (the release name), as Helm does; the CRDs of --include-crds still go to DIR/'
complete -c kit -n "__fish_kit_using_subcommand template" -l debug -d 'When the render fails, print what Helm prints with --debug on stdout: after a rendered template that is not valid YAML, every rendered template (`# Source:` each, sorted by template name, where Helm\'s order is random), so the invalid YAML can be read. The error still names the template line, and the exit code is still 2'
complete -c kit -n "__fish_kit_using_subcommand template" -l validate -d 'Refused: kit cannot reach a cluster to validate against (use `kit validate` offline)'
complete -c kit -n "__fish_kit_using_subcommand template" -l enable-dns -d 'Refused: the template function getHostByName returns "" (kit does no DNS lookups)'
complete -c kit -n "__fish_kit_using_subcommand template" -l dependency-update -d 'When dependencies Chart.yaml lists are missing from charts/, fetch them (from the repository each names: URL, @NAME of repositories.yaml, oci://, file://) into kit\'s cache, pinned by ./kit.lock, and render with them. The chart\'s directory is not written to (Helm writes the archives into charts/ and a Chart.lock)'
complete -c kit -n "__fish_kit_using_subcommand template" -l devel -d 'With no --version, take pre-release versions too (`>0.0.0-0`)'
complete -c kit -n "__fish_kit_using_subcommand template" -l verify -d 'Refused: kit does not check provenance files; run `helm verify CHART.tgz` first'
complete -c kit -n "__fish_kit_using_subcommand template" -l insecure-skip-tls-verify -d 'Do not check the repository\'s TLS certificate'
complete -c kit -n "__fish_kit_using_subcommand template" -l plain-http -d 'Talk plain HTTP to an OCI registry'
complete -c kit -n "__fish_kit_using_subcommand template" -l pass-credentials -d 'Send --username/--password to every host the download reaches, not only the repository\'s own (Helm\'s rule; never on a redirect, in kit)'
complete -c kit -n "__fish_kit_using_subcommand template" -l create-namespace -d 'No effect on the output (as with `helm template`)'
complete -c kit -n "__fish_kit_using_subcommand template" -l wait-for-jobs -d 'No effect on the output (as with `helm template`)'
complete -c kit -n "__fish_kit_using_subcommand template" -l atomic -d 'No effect on the output (as with `helm template`)'
complete -c kit -n "__fish_kit_using_subcommand template" -l force -d 'No effect on the output (as with `helm template`)'
complete -c kit -n "__fish_kit_using_subcommand template" -l replace -d 'No effect on the output (as with `helm template`)'
complete -c kit -n "__fish_kit_using_subcommand template" -l take-ownership -d 'No effect on the output (as with `helm template`)'
complete -c kit -n "__fish_kit_using_subcommand template" -l force-conflicts -d 'Helm v4\'s: no effect on the output (as with `helm template`)'
complete -c kit -n "__fish_kit_using_subcommand template" -l force-replace -d 'Helm v4\'s: no effect on the output (as with `helm template`)'
complete -c kit -n "__fish_kit_using_subcommand template" -l rollback-on-failure -d 'Helm v4\'s: no effect on the output (as with `helm template`)'
complete -c kit -n "__fish_kit_using_subcommand template" -l disable-openapi-validation -d 'No effect on the output (as with `helm template`)'
complete -c kit -n "__fish_kit_using_subcommand template" -l hide-notes -d 'No effect on the output (as with `helm template`)'
complete -c kit -n "__fish_kit_using_subcommand template" -l render-subchart-notes -d 'No effect on the output (as with `helm template`)'
complete -c kit -n "__fish_kit_using_subcommand template" -l kube-insecure-skip-tls-verify -d 'Helm\'s cluster connection flag: no effect (`helm template` contacts no cluster)'
complete -c kit -n "__fish_kit_using_subcommand template" -l notes -d 'Print the rendered templates/NOTES.txt after the manifests'
complete -c kit -n "__fish_kit_using_subcommand template" -l strict -d 'Undefined values are errors (otherwise they render as empty)'
complete -c kit -n "__fish_kit_using_subcommand template" -l is-upgrade -d 'Set `release.isUpgrade` instead of `release.isInstall`'
complete -c kit -n "__fish_kit_using_subcommand template" -l no-hooks -d 'Leave out hooks (documents annotated `helm.sh/hook`)'
complete -c kit -n "__fish_kit_using_subcommand template" -l skip-tests -d 'Leave out test hooks (`helm.sh/hook: test`)'
complete -c kit -n "__fish_kit_using_subcommand template" -l locked -d 'Refuse remote inputs that `kit.lock` does not pin, and those that moved or changed on the remote since they were pinned (asks the remote: for CI)'
complete -c kit -n "__fish_kit_using_subcommand template" -l offline -d 'Use no network: remote inputs come from `kit.lock` and the cache alone (an error names the entry that is missing)'
complete -c kit -n "__fish_kit_using_subcommand template" -l quiet -d 'Do not announce on stderr what is fetched from the network'
complete -c kit -n "__fish_kit_using_subcommand template" -l update-lock -d 'Resolve the chart of a repository or registry (and, with --dependency-update, the chart\'s dependencies) on the repository again, whatever `./kit.lock` pins, and write their pins into `./kit.lock` (its other entries kept): `kit update` for the charts that only `kit template` names. Then `--locked` and `--offline` render them'
complete -c kit -n "__fish_kit_using_subcommand template" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kit -n "__fish_kit_using_subcommand chart; and not __fish_seen_subcommand_from lint help" -s h -l help -d 'Print help'
complete -c kit -n "__fish_kit_using_subcommand chart; and not __fish_seen_subcommand_from lint help" -f -a "lint" -d 'Check charts as `helm lint` does: Chart.yaml, values and schema, templates render, rendered objects are well formed'
complete -c kit -n "__fish_kit_using_subcommand chart; and not __fish_seen_subcommand_from lint help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kit -n "__fish_kit_using_subcommand chart; and __fish_seen_subcommand_from lint" -s f -l values -d 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does' -r -F
complete -c kit -n "__fish_kit_using_subcommand chart; and __fish_seen_subcommand_from lint" -l set -d 'Set values: `a.b=c,list[0]=x,l={a,b}` (numbers, booleans and null are typed)' -r
complete -c kit -n "__fish_kit_using_subcommand chart; and __fish_seen_subcommand_from lint" -l set-string -d 'Set values as strings (no typing)' -r
complete -c kit -n "__fish_kit_using_subcommand chart; and __fish_seen_subcommand_from lint" -l set-file -d 'Set values from files: `key=path` takes the file\'s text as the value' -r
complete -c kit -n "__fish_kit_using_subcommand chart; and __fish_seen_subcommand_from lint" -l set-json -d 'Set values as JSON: `key={"a":1}`, `key=[1,2]`, or a whole JSON object' -r
complete -c kit -n "__fish_kit_using_subcommand chart; and __fish_seen_subcommand_from lint" -l set-literal -d 'Set one value as a literal string: everything after the first `=` (commas, braces, backslashes included), never typed. Applied last' -r
complete -c kit -n "__fish_kit_using_subcommand chart; and __fish_seen_subcommand_from lint" -s n -l namespace -d 'The release namespace the templates see' -r
complete -c kit -n "__fish_kit_using_subcommand chart; and __fish_seen_subcommand_from lint" -l kube-version -d 'Kubernetes version for `capabilities.kubeVersion` and Chart.yaml\'s kubeVersion check' -r
complete -c kit -n "__fish_kit_using_subcommand chart; and __fish_seen_subcommand_from lint" -l strict -d 'Undefined values are errors'
complete -c kit -n "__fish_kit_using_subcommand chart; and __fish_seen_subcommand_from lint" -l fail-on-warning -d 'Exit with code 1 on warnings too (not only errors)'
complete -c kit -n "__fish_kit_using_subcommand chart; and __fish_seen_subcommand_from lint" -s h -l help -d 'Print help'
complete -c kit -n "__fish_kit_using_subcommand chart; and __fish_seen_subcommand_from help" -f -a "lint" -d 'Check charts as `helm lint` does: Chart.yaml, values and schema, templates render, rendered objects are well formed'
complete -c kit -n "__fish_kit_using_subcommand chart; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kit -n "__fish_kit_using_subcommand create; and not __fish_seen_subcommand_from chart help" -s h -l help -d 'Print help'
complete -c kit -n "__fish_kit_using_subcommand create; and not __fish_seen_subcommand_from chart help" -f -a "chart" -d 'A new chart in directory NAME, like `helm create`\'s: Go templates that render the same with `kit template` and `helm template`, or Jinja with `--dialect jinja`'
complete -c kit -n "__fish_kit_using_subcommand create; and not __fish_seen_subcommand_from chart help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kit -n "__fish_kit_using_subcommand create; and __fish_seen_subcommand_from chart" -l dialect -d 'The templates\' language' -r -f -a "go\t'Go templates with Sprig\'s and Helm\'s functions, as every Helm chart is'
jinja\t'Jinja (kit only): Chart.yaml declares it with `kit.dev/template-dialect: jinja`'"
complete -c kit -n "__fish_kit_using_subcommand create; and __fish_seen_subcommand_from chart" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kit -n "__fish_kit_using_subcommand create; and __fish_seen_subcommand_from help" -f -a "chart" -d 'A new chart in directory NAME, like `helm create`\'s: Go templates that render the same with `kit template` and `helm template`, or Jinja with `--dialect jinja`'
complete -c kit -n "__fish_kit_using_subcommand create; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kit -n "__fish_kit_using_subcommand validate" -l kubernetes-version -d 'The Kubernetes version whose schemas and rules apply (1.30 to 1.37; default: the newest)' -r
complete -c kit -n "__fish_kit_using_subcommand validate" -l crd -d 'CustomResourceDefinitions (files or directories) that validate custom resources, in addition to those found in the input. Repeatable' -r -F
complete -c kit -n "__fish_kit_using_subcommand validate" -l output -d 'Output format' -r -f -a "text\t'Diagnostics with the source snippet'
concise\t'One line per finding: `path:line:col: severity rule-id: message [name] (object)`'
json\t'One JSON document: findings and a summary'
sarif\t'SARIF 2.1.0 (GitHub code scanning and other CI tools)'
github\t'GitHub Actions workflow commands (annotations on the pull request)'
junit\t'JUnit XML: a test suite per file, a test case per object and per finding'
checkstyle\t'Checkstyle XML (reviewdog, Jenkins warnings, editors)'
tap\t'TAP version 13: one test point per object'"
complete -c kit -n "__fish_kit_using_subcommand validate" -l load-restrictor -d 'Which files a kustomization may read: only under its own directory (default), or any' -r -f -a "LoadRestrictionsRootOnly\t'Files only in or below the kustomization\'s directory (kustomize\'s default)'
LoadRestrictionsNone\t'Files anywhere (kustomize\'s spelling; `none` is accepted too)'"
complete -c kit -n "__fish_kit_using_subcommand validate" -l config -d 'Read settings from this file instead of the nearest `.kit.yaml` (found by walking up from the first PATH)' -r -F
complete -c kit -n "__fish_kit_using_subcommand validate" -l release -d 'The release name chart directories are rendered with' -r
complete -c kit -n "__fish_kit_using_subcommand validate" -s f -l values -d 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does' -r -F
complete -c kit -n "__fish_kit_using_subcommand validate" -l set -d 'Set values: `a.b=c,list[0]=x,l={a,b}` (numbers, booleans and null are typed)' -r
complete -c kit -n "__fish_kit_using_subcommand validate" -l set-string -d 'Set values as strings (no typing)' -r
complete -c kit -n "__fish_kit_using_subcommand validate" -l set-file -d 'Set values from files: `key=path` takes the file\'s text as the value' -r
complete -c kit -n "__fish_kit_using_subcommand validate" -l set-json -d 'Set values as JSON: `key={"a":1}`, `key=[1,2]`, or a whole JSON object' -r
complete -c kit -n "__fish_kit_using_subcommand validate" -l set-literal -d 'Set one value as a literal string: everything after the first `=` (commas, braces, backslashes included), never typed. Applied last' -r
complete -c kit -n "__fish_kit_using_subcommand validate" -l helm-version -d 'Render charts as this Helm major version does: 3 (v3.17) or 4 (v4.1); see `kit template --help`' -r -f -a "3\t'Helm v3.17'
4\t'Helm v4.1'"
complete -c kit -n "__fish_kit_using_subcommand validate" -l strict -d 'Reject unknown fields and duplicate keys, like `kubectl apply --validate=strict` (the default)'
complete -c kit -n "__fish_kit_using_subcommand validate" -l no-strict -d 'Accept unknown fields (the API server drops them) and duplicate keys (the last wins)'
complete -c kit -n "__fish_kit_using_subcommand validate" -l ignore-missing-schemas -d 'Skip custom resources whose CustomResourceDefinition is not known instead of reporting them'
complete -c kit -n "__fish_kit_using_subcommand validate" -l summary -d 'Print a summary line (resources, invalid, skipped, findings) after the findings'
complete -c kit -n "__fish_kit_using_subcommand validate" -l locked -d 'Refuse remote inputs that `kit.lock` does not pin, and those that moved or changed on the remote since they were pinned (asks the remote: for CI)'
complete -c kit -n "__fish_kit_using_subcommand validate" -l offline -d 'Use no network: remote inputs come from `kit.lock` and the cache alone (an error names the entry that is missing)'
complete -c kit -n "__fish_kit_using_subcommand validate" -l quiet -d 'Do not announce on stderr what is fetched from the network'
complete -c kit -n "__fish_kit_using_subcommand validate" -l no-config -d 'Ignore any `.kit.yaml`'
complete -c kit -n "__fish_kit_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kit -n "__fish_kit_using_subcommand lint" -l output -d 'Output format' -r -f -a "text\t'Diagnostics with the source snippet'
concise\t'One line per finding: `path:line:col: severity rule-id: message [name] (object)`'
json\t'One JSON document: findings and a summary'
sarif\t'SARIF 2.1.0 (GitHub code scanning and other CI tools)'
github\t'GitHub Actions workflow commands (annotations on the pull request)'
junit\t'JUnit XML: a test suite per file, a test case per object and per finding'
checkstyle\t'Checkstyle XML (reviewdog, Jenkins warnings, editors)'
tap\t'TAP version 13: one test point per object'"
complete -c kit -n "__fish_kit_using_subcommand lint" -l fail-on -d 'Exit with code 1 when a finding has this severity or a higher one (default: error, or `.kit.yaml`\'s `lint.failOn`)' -r -f -a "error\t''
warning\t''
info\t''"
complete -c kit -n "__fish_kit_using_subcommand lint" -l enable -d 'Run these rules too (ids or names, comma-separated or repeated; `all` for every rule)' -r -f -a "all\t'every rule'
KIT-IMG001\t'image-tag-latest'
image-tag-latest\t'KIT-IMG001'
KIT-IMG002\t'image-pull-policy-not-always'
image-pull-policy-not-always\t'KIT-IMG002'
KIT-RES001\t'cpu-request-missing'
cpu-request-missing\t'KIT-RES001'
KIT-RES002\t'memory-request-missing'
memory-request-missing\t'KIT-RES002'
KIT-RES003\t'cpu-limit-missing'
cpu-limit-missing\t'KIT-RES003'
KIT-RES004\t'memory-limit-missing'
memory-limit-missing\t'KIT-RES004'
KIT-RES005\t'ephemeral-storage-unset'
ephemeral-storage-unset\t'KIT-RES005'
KIT-RES006\t'requests-not-equal-limits'
requests-not-equal-limits\t'KIT-RES006'
KIT-RES007\t'ephemeral-storage-request-not-equal-limit'
ephemeral-storage-request-not-equal-limit\t'KIT-RES007'
KIT-PRB001\t'readiness-probe-missing'
readiness-probe-missing\t'KIT-PRB001'
KIT-PRB002\t'liveness-probe-missing'
liveness-probe-missing\t'KIT-PRB002'
KIT-PRB003\t'service-backend-without-readiness'
service-backend-without-readiness\t'KIT-PRB003'
KIT-PRB004\t'identical-liveness-readiness'
identical-liveness-readiness\t'KIT-PRB004'
KIT-PRB005\t'liveness-probe-port-not-exposed'
liveness-probe-port-not-exposed\t'KIT-PRB005'
KIT-PRB006\t'readiness-probe-port-not-exposed'
readiness-probe-port-not-exposed\t'KIT-PRB006'
KIT-PRB007\t'startup-probe-port-not-exposed'
startup-probe-port-not-exposed\t'KIT-PRB007'
KIT-REL001\t'duplicate-env-var'
duplicate-env-var\t'KIT-REL001'
KIT-REL002\t'invalid-container-port'
invalid-container-port\t'KIT-REL002'
KIT-SEC001\t'privileged-container'
privileged-container\t'KIT-SEC001'
KIT-SEC002\t'privilege-escalation-allowed'
privilege-escalation-allowed\t'KIT-SEC002'
KIT-SEC003\t'run-as-root'
run-as-root\t'KIT-SEC003'
KIT-SEC004\t'low-user-group-id'
low-user-group-id\t'KIT-SEC004'
KIT-SEC005\t'writable-root-filesystem'
writable-root-filesystem\t'KIT-SEC005'
KIT-SEC006\t'net-raw-not-dropped'
net-raw-not-dropped\t'KIT-SEC006'
KIT-SEC007\t'drop-all-capabilities-missing'
drop-all-capabilities-missing\t'KIT-SEC007'
KIT-SEC008\t'dangerous-capabilities-added'
dangerous-capabilities-added\t'KIT-SEC008'
KIT-SEC009\t'host-network'
host-network\t'KIT-SEC009'
KIT-SEC010\t'host-pid'
host-pid\t'KIT-SEC010'
KIT-SEC011\t'host-ipc'
host-ipc\t'KIT-SEC011'
KIT-SEC012\t'sensitive-host-path'
sensitive-host-path\t'KIT-SEC012'
KIT-SEC013\t'docker-socket-mounted'
docker-socket-mounted\t'KIT-SEC013'
KIT-SEC014\t'writable-host-path'
writable-host-path\t'KIT-SEC014'
KIT-SEC015\t'host-port'
host-port\t'KIT-SEC015'
KIT-SEC016\t'seccomp-profile-missing'
seccomp-profile-missing\t'KIT-SEC016'
KIT-SEC017\t'unsafe-proc-mount'
unsafe-proc-mount\t'KIT-SEC017'
KIT-SEC018\t'unsafe-sysctls'
unsafe-sysctls\t'KIT-SEC018'
KIT-SEC019\t'default-service-account'
default-service-account\t'KIT-SEC019'
KIT-SEC020\t'deprecated-service-account-field'
deprecated-service-account-field\t'KIT-SEC020'
KIT-SEC021\t'secret-in-env'
secret-in-env\t'KIT-SEC021'
KIT-SEC022\t'secret-from-env'
secret-from-env\t'KIT-SEC022'
KIT-SEC023\t'ssh-port'
ssh-port\t'KIT-SEC023'
KIT-SEC024\t'privileged-port'
privileged-port\t'KIT-SEC024'
KIT-SEC025\t'scc-privileged-container'
scc-privileged-container\t'KIT-SEC025'
KIT-SEC026\t'default-namespace'
default-namespace\t'KIT-SEC026'
KIT-RBAC001\t'rbac-wildcard'
rbac-wildcard\t'KIT-RBAC001'
KIT-RBAC002\t'cluster-admin-binding'
cluster-admin-binding\t'KIT-RBAC002'
KIT-RBAC003\t'rbac-create-pods'
rbac-create-pods\t'KIT-RBAC003'
KIT-RBAC004\t'rbac-secrets-access'
rbac-secrets-access\t'KIT-RBAC004'
KIT-NET001\t'service-selects-no-pods'
service-selects-no-pods\t'KIT-NET001'
KIT-NET002\t'network-policy-selects-no-pods'
network-policy-selects-no-pods\t'KIT-NET002'
KIT-NET003\t'pod-without-network-policy'
pod-without-network-policy\t'KIT-NET003'
KIT-NET004\t'service-type-nodeport'
service-type-nodeport\t'KIT-NET004'
KIT-NET005\t'ingress-backend-missing'
ingress-backend-missing\t'KIT-NET005'
KIT-NET006\t'hpa-target-missing'
hpa-target-missing\t'KIT-NET006'
KIT-REF001\t'missing-configmap'
missing-configmap\t'KIT-REF001'
KIT-REF002\t'missing-secret'
missing-secret\t'KIT-REF002'
KIT-REF003\t'missing-pvc'
missing-pvc\t'KIT-REF003'
KIT-REF004\t'missing-service-account'
missing-service-account\t'KIT-REF004'
KIT-AVL001\t'pdb-missing'
pdb-missing\t'KIT-AVL001'
KIT-AVL002\t'pdb-without-policy'
pdb-without-policy\t'KIT-AVL002'
KIT-AVL003\t'cronjob-deadline-missing'
cronjob-deadline-missing\t'KIT-AVL003'
KIT-AVL004\t'anti-affinity-missing'
anti-affinity-missing\t'KIT-AVL004'
KIT-AVL005\t'cronjob-restart-policy'
cronjob-restart-policy\t'KIT-AVL005'
KIT-AVL006\t'hpa-target-sets-replicas'
hpa-target-sets-replicas\t'KIT-AVL006'
KIT-AVL020\t'pdb-max-unavailable-zero'
pdb-max-unavailable-zero\t'KIT-AVL020'
KIT-AVL021\t'pdb-min-available-too-high'
pdb-min-available-too-high\t'KIT-AVL021'
KIT-REL003\t'selector-mismatch'
selector-mismatch\t'KIT-REL003'
KIT-REL004\t'job-ttl-missing'
job-ttl-missing\t'KIT-REL004'
KIT-NET007\t'statefulset-service-name'
statefulset-service-name\t'KIT-NET007'
KIT-NET008\t'network-policy-peer-selects-no-pods'
network-policy-peer-selects-no-pods\t'KIT-NET008'
KIT-NET009\t'service-monitor-selects-no-services'
service-monitor-selects-no-services\t'KIT-NET009'
KIT-NET010\t'invalid-port-name'
invalid-port-name\t'KIT-NET010'
KIT-STY001\t'unsorted-keys'
unsorted-keys\t'KIT-STY001'
KIT-API001\t'deprecated-api'
deprecated-api\t'KIT-API001'
KIT-API004\t'api-version-deprecated'
api-version-deprecated\t'KIT-API004'
KIT-AVL009\t'replicas-below-three'
replicas-below-three\t'KIT-AVL009'
KIT-AVL010\t'deployment-replicas-below-two'
deployment-replicas-below-two\t'KIT-AVL010'
KIT-AVL011\t'hpa-min-replicas-below-three'
hpa-min-replicas-below-three\t'KIT-AVL011'
KIT-AVL012\t'hpa-min-replicas-below-two'
hpa-min-replicas-below-two\t'KIT-AVL012'
KIT-AVL013\t'update-strategy-not-rolling'
update-strategy-not-rolling\t'KIT-AVL013'
KIT-AVL014\t'deployment-strategy-not-rolling'
deployment-strategy-not-rolling\t'KIT-AVL014'
KIT-AVL015\t'topology-spread-invalid'
topology-spread-invalid\t'KIT-AVL015'
KIT-AVL016\t'pdb-eviction-policy-unset'
pdb-eviction-policy-unset\t'KIT-AVL016'
KIT-AVL017\t'priority-class-unknown'
priority-class-unknown\t'KIT-AVL017'
KIT-AVL018\t'restart-policy-never'
restart-policy-never\t'KIT-AVL018'
KIT-AVL019\t'node-affinity-missing'
node-affinity-missing\t'KIT-AVL019'
KIT-REL006\t'dns-ndots-missing'
dns-ndots-missing\t'KIT-REL006'
KIT-META001\t'label-value-invalid'
label-value-invalid\t'KIT-META001'
KIT-META002\t'owner-label-missing'
owner-label-missing\t'KIT-META002'
KIT-META003\t'email-annotation-missing'
email-annotation-missing\t'KIT-META003'"
complete -c kit -n "__fish_kit_using_subcommand lint" -l disable -d 'Do not run these rules (ids or names, comma-separated or repeated). `--disable all` clears the selection first, so `--disable all --enable RULE` runs RULE alone' -r -f -a "all\t'every rule'
KIT-IMG001\t'image-tag-latest'
image-tag-latest\t'KIT-IMG001'
KIT-IMG002\t'image-pull-policy-not-always'
image-pull-policy-not-always\t'KIT-IMG002'
KIT-RES001\t'cpu-request-missing'
cpu-request-missing\t'KIT-RES001'
KIT-RES002\t'memory-request-missing'
memory-request-missing\t'KIT-RES002'
KIT-RES003\t'cpu-limit-missing'
cpu-limit-missing\t'KIT-RES003'
KIT-RES004\t'memory-limit-missing'
memory-limit-missing\t'KIT-RES004'
KIT-RES005\t'ephemeral-storage-unset'
ephemeral-storage-unset\t'KIT-RES005'
KIT-RES006\t'requests-not-equal-limits'
requests-not-equal-limits\t'KIT-RES006'
KIT-RES007\t'ephemeral-storage-request-not-equal-limit'
ephemeral-storage-request-not-equal-limit\t'KIT-RES007'
KIT-PRB001\t'readiness-probe-missing'
readiness-probe-missing\t'KIT-PRB001'
KIT-PRB002\t'liveness-probe-missing'
liveness-probe-missing\t'KIT-PRB002'
KIT-PRB003\t'service-backend-without-readiness'
service-backend-without-readiness\t'KIT-PRB003'
KIT-PRB004\t'identical-liveness-readiness'
identical-liveness-readiness\t'KIT-PRB004'
KIT-PRB005\t'liveness-probe-port-not-exposed'
liveness-probe-port-not-exposed\t'KIT-PRB005'
KIT-PRB006\t'readiness-probe-port-not-exposed'
readiness-probe-port-not-exposed\t'KIT-PRB006'
KIT-PRB007\t'startup-probe-port-not-exposed'
startup-probe-port-not-exposed\t'KIT-PRB007'
KIT-REL001\t'duplicate-env-var'
duplicate-env-var\t'KIT-REL001'
KIT-REL002\t'invalid-container-port'
invalid-container-port\t'KIT-REL002'
KIT-SEC001\t'privileged-container'
privileged-container\t'KIT-SEC001'
KIT-SEC002\t'privilege-escalation-allowed'
privilege-escalation-allowed\t'KIT-SEC002'
KIT-SEC003\t'run-as-root'
run-as-root\t'KIT-SEC003'
KIT-SEC004\t'low-user-group-id'
low-user-group-id\t'KIT-SEC004'
KIT-SEC005\t'writable-root-filesystem'
writable-root-filesystem\t'KIT-SEC005'
KIT-SEC006\t'net-raw-not-dropped'
net-raw-not-dropped\t'KIT-SEC006'
KIT-SEC007\t'drop-all-capabilities-missing'
drop-all-capabilities-missing\t'KIT-SEC007'
KIT-SEC008\t'dangerous-capabilities-added'
dangerous-capabilities-added\t'KIT-SEC008'
KIT-SEC009\t'host-network'
host-network\t'KIT-SEC009'
KIT-SEC010\t'host-pid'
host-pid\t'KIT-SEC010'
KIT-SEC011\t'host-ipc'
host-ipc\t'KIT-SEC011'
KIT-SEC012\t'sensitive-host-path'
sensitive-host-path\t'KIT-SEC012'
KIT-SEC013\t'docker-socket-mounted'
docker-socket-mounted\t'KIT-SEC013'
KIT-SEC014\t'writable-host-path'
writable-host-path\t'KIT-SEC014'
KIT-SEC015\t'host-port'
host-port\t'KIT-SEC015'
KIT-SEC016\t'seccomp-profile-missing'
seccomp-profile-missing\t'KIT-SEC016'
KIT-SEC017\t'unsafe-proc-mount'
unsafe-proc-mount\t'KIT-SEC017'
KIT-SEC018\t'unsafe-sysctls'
unsafe-sysctls\t'KIT-SEC018'
KIT-SEC019\t'default-service-account'
default-service-account\t'KIT-SEC019'
KIT-SEC020\t'deprecated-service-account-field'
deprecated-service-account-field\t'KIT-SEC020'
KIT-SEC021\t'secret-in-env'
secret-in-env\t'KIT-SEC021'
KIT-SEC022\t'secret-from-env'
secret-from-env\t'KIT-SEC022'
KIT-SEC023\t'ssh-port'
ssh-port\t'KIT-SEC023'
KIT-SEC024\t'privileged-port'
privileged-port\t'KIT-SEC024'
KIT-SEC025\t'scc-privileged-container'
scc-privileged-container\t'KIT-SEC025'
KIT-SEC026\t'default-namespace'
default-namespace\t'KIT-SEC026'
KIT-RBAC001\t'rbac-wildcard'
rbac-wildcard\t'KIT-RBAC001'
KIT-RBAC002\t'cluster-admin-binding'
cluster-admin-binding\t'KIT-RBAC002'
KIT-RBAC003\t'rbac-create-pods'
rbac-create-pods\t'KIT-RBAC003'
KIT-RBAC004\t'rbac-secrets-access'
rbac-secrets-access\t'KIT-RBAC004'
KIT-NET001\t'service-selects-no-pods'
service-selects-no-pods\t'KIT-NET001'
KIT-NET002\t'network-policy-selects-no-pods'
network-policy-selects-no-pods\t'KIT-NET002'
KIT-NET003\t'pod-without-network-policy'
pod-without-network-policy\t'KIT-NET003'
KIT-NET004\t'service-type-nodeport'
service-type-nodeport\t'KIT-NET004'
KIT-NET005\t'ingress-backend-missing'
ingress-backend-missing\t'KIT-NET005'
KIT-NET006\t'hpa-target-missing'
hpa-target-missing\t'KIT-NET006'
KIT-REF001\t'missing-configmap'
missing-configmap\t'KIT-REF001'
KIT-REF002\t'missing-secret'
missing-secret\t'KIT-REF002'
KIT-REF003\t'missing-pvc'
missing-pvc\t'KIT-REF003'
KIT-REF004\t'missing-service-account'
missing-service-account\t'KIT-REF004'
KIT-AVL001\t'pdb-missing'
pdb-missing\t'KIT-AVL001'
KIT-AVL002\t'pdb-without-policy'
pdb-without-policy\t'KIT-AVL002'
KIT-AVL003\t'cronjob-deadline-missing'
cronjob-deadline-missing\t'KIT-AVL003'
KIT-AVL004\t'anti-affinity-missing'
anti-affinity-missing\t'KIT-AVL004'
KIT-AVL005\t'cronjob-restart-policy'
cronjob-restart-policy\t'KIT-AVL005'
KIT-AVL006\t'hpa-target-sets-replicas'
hpa-target-sets-replicas\t'KIT-AVL006'
KIT-AVL020\t'pdb-max-unavailable-zero'
pdb-max-unavailable-zero\t'KIT-AVL020'
KIT-AVL021\t'pdb-min-available-too-high'
pdb-min-available-too-high\t'KIT-AVL021'
KIT-REL003\t'selector-mismatch'
selector-mismatch\t'KIT-REL003'
KIT-REL004\t'job-ttl-missing'
job-ttl-missing\t'KIT-REL004'
KIT-NET007\t'statefulset-service-name'
statefulset-service-name\t'KIT-NET007'
KIT-NET008\t'network-policy-peer-selects-no-pods'
network-policy-peer-selects-no-pods\t'KIT-NET008'
KIT-NET009\t'service-monitor-selects-no-services'
service-monitor-selects-no-services\t'KIT-NET009'
KIT-NET010\t'invalid-port-name'
invalid-port-name\t'KIT-NET010'
KIT-STY001\t'unsorted-keys'
unsorted-keys\t'KIT-STY001'
KIT-API001\t'deprecated-api'
deprecated-api\t'KIT-API001'
KIT-API004\t'api-version-deprecated'
api-version-deprecated\t'KIT-API004'
KIT-AVL009\t'replicas-below-three'
replicas-below-three\t'KIT-AVL009'
KIT-AVL010\t'deployment-replicas-below-two'
deployment-replicas-below-two\t'KIT-AVL010'
KIT-AVL011\t'hpa-min-replicas-below-three'
hpa-min-replicas-below-three\t'KIT-AVL011'
KIT-AVL012\t'hpa-min-replicas-below-two'
hpa-min-replicas-below-two\t'KIT-AVL012'
KIT-AVL013\t'update-strategy-not-rolling'
update-strategy-not-rolling\t'KIT-AVL013'
KIT-AVL014\t'deployment-strategy-not-rolling'
deployment-strategy-not-rolling\t'KIT-AVL014'
KIT-AVL015\t'topology-spread-invalid'
topology-spread-invalid\t'KIT-AVL015'
KIT-AVL016\t'pdb-eviction-policy-unset'
pdb-eviction-policy-unset\t'KIT-AVL016'
KIT-AVL017\t'priority-class-unknown'
priority-class-unknown\t'KIT-AVL017'
KIT-AVL018\t'restart-policy-never'
restart-policy-never\t'KIT-AVL018'
KIT-AVL019\t'node-affinity-missing'
node-affinity-missing\t'KIT-AVL019'
KIT-REL006\t'dns-ndots-missing'
dns-ndots-missing\t'KIT-REL006'
KIT-META001\t'label-value-invalid'
label-value-invalid\t'KIT-META001'
KIT-META002\t'owner-label-missing'
owner-label-missing\t'KIT-META002'
KIT-META003\t'email-annotation-missing'
email-annotation-missing\t'KIT-META003'"
complete -c kit -n "__fish_kit_using_subcommand lint" -l policy -d 'Start from a built-in policy pack instead of the default rules: default, production, pod-security-baseline, pod-security-restricted, all' -r
complete -c kit -n "__fish_kit_using_subcommand lint" -l admission-policy -d 'ValidatingAdmissionPolicy files or directories (repeatable): their policies (and bindings, and params objects) run offline on the render, each object as a CREATE; findings are reported under `policy:<name>`' -r -F
complete -c kit -n "__fish_kit_using_subcommand lint" -l kubernetes-version -d 'The Kubernetes version the manifests target (1.30 to 1.37; default: `.kit.yaml`\'s `lint.kubernetesVersion` or `validate.kubernetesVersion`, else the newest): API versions it removed are errors, those it deprecated warnings' -r
complete -c kit -n "__fish_kit_using_subcommand lint" -l load-restrictor -d 'Which files a kustomization may read: only under its own directory (default), or any' -r -f -a "LoadRestrictionsRootOnly\t'Files only in or below the kustomization\'s directory (kustomize\'s default)'
LoadRestrictionsNone\t'Files anywhere (kustomize\'s spelling; `none` is accepted too)'"
complete -c kit -n "__fish_kit_using_subcommand lint" -l config -d 'Read settings from this file instead of the nearest `.kit.yaml` (found by walking up from the first PATH)' -r -F
complete -c kit -n "__fish_kit_using_subcommand lint" -l release -d 'The release name chart directories are rendered with' -r
complete -c kit -n "__fish_kit_using_subcommand lint" -s f -l values -d 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does' -r -F
complete -c kit -n "__fish_kit_using_subcommand lint" -l set -d 'Set values: `a.b=c,list[0]=x,l={a,b}` (numbers, booleans and null are typed)' -r
complete -c kit -n "__fish_kit_using_subcommand lint" -l set-string -d 'Set values as strings (no typing)' -r
complete -c kit -n "__fish_kit_using_subcommand lint" -l set-file -d 'Set values from files: `key=path` takes the file\'s text as the value' -r
complete -c kit -n "__fish_kit_using_subcommand lint" -l set-json -d 'Set values as JSON: `key={"a":1}`, `key=[1,2]`, or a whole JSON object' -r
complete -c kit -n "__fish_kit_using_subcommand lint" -l set-literal -d 'Set one value as a literal string: everything after the first `=` (commas, braces, backslashes included), never typed. Applied last' -r
complete -c kit -n "__fish_kit_using_subcommand lint" -l helm-version -d 'Render charts as this Helm major version does: 3 (v3.17) or 4 (v4.1); see `kit template --help`' -r -f -a "3\t'Helm v3.17'
4\t'Helm v4.1'"
complete -c kit -n "__fish_kit_using_subcommand lint" -l locked -d 'Refuse remote inputs that `kit.lock` does not pin, and those that moved or changed on the remote since they were pinned (asks the remote: for CI)'
complete -c kit -n "__fish_kit_using_subcommand lint" -l offline -d 'Use no network: remote inputs come from `kit.lock` and the cache alone (an error names the entry that is missing)'
complete -c kit -n "__fish_kit_using_subcommand lint" -l quiet -d 'Do not announce on stderr what is fetched from the network'
complete -c kit -n "__fish_kit_using_subcommand lint" -l no-config -d 'Ignore any `.kit.yaml`'
complete -c kit -n "__fish_kit_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kit -n "__fish_kit_using_subcommand apply" -l kubeconfig -d 'The kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kit -n "__fish_kit_using_subcommand apply" -l context -d 'The kubeconfig context to use (default: its current context)' -r
complete -c kit -n "__fish_kit_using_subcommand apply" -s n -l namespace -d 'The namespace of namespaced objects that name none (default: the context\'s, else `default`); also the namespace of the ApplySet parent' -r
complete -c kit -n "__fish_kit_using_subcommand apply" -l field-manager -d 'The field manager that owns the applied fields' -r
complete -c kit -n "__fish_kit_using_subcommand apply" -l dry-run -d '`server`: the API server validates and admits every object (and prune), storing nothing; `client`: only reads, and says what would be applied and pruned' -r -f -a "none\t'Apply for real (the default without --dry-run)'
server\t''
client\t''"
complete -c kit -n "__fish_kit_using_subcommand apply" -l applyset -d 'The ApplySet\'s parent Secret (in --namespace): its name. Default with --prune: `kit-` and the first PATH\'s directory name' -r
complete -c kit -n "__fish_kit_using_subcommand apply" -l timeout -d 'How long --wait (and the wait for CRDs to be established) may take: `90s`, `5m`, `1h`' -r
complete -c kit -n "__fish_kit_using_subcommand apply" -l load-restrictor -d 'Which files a kustomization may read: only under its own directory (default), or any' -r -f -a "LoadRestrictionsRootOnly\t'Files only in or below the kustomization\'s directory (kustomize\'s default)'
LoadRestrictionsNone\t'Files anywhere (kustomize\'s spelling; `none` is accepted too)'"
complete -c kit -n "__fish_kit_using_subcommand apply" -l release -d 'The release name chart directories are rendered with' -r
complete -c kit -n "__fish_kit_using_subcommand apply" -s f -l values -d 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does' -r -F
complete -c kit -n "__fish_kit_using_subcommand apply" -l set -d 'Set values: `a.b=c,list[0]=x,l={a,b}` (numbers, booleans and null are typed)' -r
complete -c kit -n "__fish_kit_using_subcommand apply" -l set-string -d 'Set values as strings (no typing)' -r
complete -c kit -n "__fish_kit_using_subcommand apply" -l set-file -d 'Set values from files: `key=path` takes the file\'s text as the value' -r
complete -c kit -n "__fish_kit_using_subcommand apply" -l set-json -d 'Set values as JSON: `key={"a":1}`, `key=[1,2]`, or a whole JSON object' -r
complete -c kit -n "__fish_kit_using_subcommand apply" -l set-literal -d 'Set one value as a literal string: everything after the first `=` (commas, braces, backslashes included), never typed. Applied last' -r
complete -c kit -n "__fish_kit_using_subcommand apply" -l helm-version -d 'Render charts as this Helm major version does: 3 (v3.17) or 4 (v4.1); see `kit template --help`' -r -f -a "3\t'Helm v3.17'
4\t'Helm v4.1'"
complete -c kit -n "__fish_kit_using_subcommand apply" -l force-conflicts -d 'Take over fields that another field manager owns instead of failing with a conflict'
complete -c kit -n "__fish_kit_using_subcommand apply" -l prune -d 'Delete the objects of the ApplySet (`--applyset`) that the render no longer has, once every object applied. Compatible with `kubectl apply --prune --applyset`'
complete -c kit -n "__fish_kit_using_subcommand apply" -l wait -d 'Wait until every applied object is ready (Deployments rolled out, Jobs complete, ...)'
complete -c kit -n "__fish_kit_using_subcommand apply" -l locked -d 'Refuse remote inputs that `kit.lock` does not pin, and those that moved or changed on the remote since they were pinned (asks the remote: for CI)'
complete -c kit -n "__fish_kit_using_subcommand apply" -l offline -d 'Use no network: remote inputs come from `kit.lock` and the cache alone (an error names the entry that is missing)'
complete -c kit -n "__fish_kit_using_subcommand apply" -l quiet -d 'Do not announce on stderr what is fetched from the network'
complete -c kit -n "__fish_kit_using_subcommand apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kit -n "__fish_kit_using_subcommand diff" -l git-ref -d 'Compare PATH as it was at this git commit (a branch, tag, sha, `HEAD~1`, `origin/main`) with PATH in the working tree. The whole repository at REF is extracted to a temporary directory, so bases outside PATH resolve' -r
complete -c kit -n "__fish_kit_using_subcommand diff" -l output -d 'Output format: a unified diff per object, a pull-request comment, JSON, or one line per object' -r -f -a "unified\t'A unified diff per object, with kubectl diff\'s `diff -u -N` headers'
markdown\t'A pull-request comment: counts and a collapsed diff per object'
json\t'The changes as JSON (kind, names, line counts, hunks)'
summary\t'One line per changed object and the counts'"
complete -c kit -n "__fish_kit_using_subcommand diff" -l color -d 'Color the unified diff: `auto` when stdout is a terminal and NO_COLOR is unset' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kit -n "__fish_kit_using_subcommand diff" -s U -l unified -d 'Lines of context around each change' -r
complete -c kit -n "__fish_kit_using_subcommand diff" -l release -d 'The release name chart directories are rendered with' -r
complete -c kit -n "__fish_kit_using_subcommand diff" -s f -l values -d 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does' -r -F
complete -c kit -n "__fish_kit_using_subcommand diff" -l set -d 'Set values: `a.b=c,list[0]=x,l={a,b}` (numbers, booleans and null are typed)' -r
complete -c kit -n "__fish_kit_using_subcommand diff" -l set-string -d 'Set values as strings (no typing)' -r
complete -c kit -n "__fish_kit_using_subcommand diff" -l set-file -d 'Set values from files: `key=path` takes the file\'s text as the value' -r
complete -c kit -n "__fish_kit_using_subcommand diff" -l set-json -d 'Set values as JSON: `key={"a":1}`, `key=[1,2]`, or a whole JSON object' -r
complete -c kit -n "__fish_kit_using_subcommand diff" -l set-literal -d 'Set one value as a literal string: everything after the first `=` (commas, braces, backslashes included), never typed. Applied last' -r
complete -c kit -n "__fish_kit_using_subcommand diff" -l helm-version -d 'Render charts as this Helm major version does: 3 (v3.17) or 4 (v4.1); see `kit template --help`' -r -f -a "3\t'Helm v3.17'
4\t'Helm v4.1'"
complete -c kit -n "__fish_kit_using_subcommand diff" -l load-restrictor -d 'Which files a kustomization may read: only under its own directory (default), or any' -r -f -a "LoadRestrictionsRootOnly\t'Files only in or below the kustomization\'s directory (kustomize\'s default)'
LoadRestrictionsNone\t'Files anywhere (kustomize\'s spelling; `none` is accepted too)'"
complete -c kit -n "__fish_kit_using_subcommand diff" -l kubeconfig -d 'The kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)' -r -F
complete -c kit -n "__fish_kit_using_subcommand diff" -l context -d 'The kubeconfig context to use (default: its current context)' -r
complete -c kit -n "__fish_kit_using_subcommand diff" -s n -l namespace -d 'The namespace of namespaced objects that name none (default: the context\'s, else `default`); also the namespace of the ApplySet parent' -r
complete -c kit -n "__fish_kit_using_subcommand diff" -l field-manager -d 'The field manager that owns the applied fields' -r
complete -c kit -n "__fish_kit_using_subcommand diff" -l applyset -d 'Live diff: the ApplySet\'s parent Secret name (as for `kit apply --prune`)' -r
complete -c kit -n "__fish_kit_using_subcommand diff" -l exit-code -d 'Exit 1 when there are differences (the default, as `diff` and `kubectl diff`); `--exit-code=false` exits 0 on differences, as `argocd app diff --exit-code=false` (errors still exit above 1)' -r -f -a "true\t''
false\t''"
complete -c kit -n "__fish_kit_using_subcommand diff" -l no-renames -d 'Do not pair renamed or moved objects: show them as removed and added'
complete -c kit -n "__fish_kit_using_subcommand diff" -l show-secrets -d 'Show Secret `data` and `stringData` values instead of `***` (never in CI logs)'
complete -c kit -n "__fish_kit_using_subcommand diff" -l locked -d 'Refuse remote inputs that `kit.lock` does not pin, and those that moved or changed on the remote since they were pinned (asks the remote: for CI)'
complete -c kit -n "__fish_kit_using_subcommand diff" -l offline -d 'Use no network: remote inputs come from `kit.lock` and the cache alone (an error names the entry that is missing)'
complete -c kit -n "__fish_kit_using_subcommand diff" -l quiet -d 'Do not announce on stderr what is fetched from the network'
complete -c kit -n "__fish_kit_using_subcommand diff" -l force-conflicts -d 'Take over fields that another field manager owns instead of failing with a conflict'
complete -c kit -n "__fish_kit_using_subcommand diff" -l prune -d 'Live diff: also show the members of the ApplySet that `kit apply --prune` would delete'
complete -c kit -n "__fish_kit_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kit -n "__fish_kit_using_subcommand rules" -l output -l format -d 'Output format (`--output`, as on the other commands; `--format` is kept as an alias)' -r -f -a "table\t''
markdown\t'The rule reference, as docs/rules.md holds it'
json\t''"
complete -c kit -n "__fish_kit_using_subcommand rules" -l validate -d 'List `kit validate`\'s checks instead of the lint rules'
complete -c kit -n "__fish_kit_using_subcommand rules" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kit -n "__fish_kit_using_subcommand explain" -s h -l help -d 'Print help'
complete -c kit -n "__fish_kit_using_subcommand generate" -s h -l help -d 'Print help'
complete -c kit -n "__fish_kit_using_subcommand completion" -s h -l help -d 'Print help'
complete -c kit -n "__fish_kit_using_subcommand update" -l load-restrictor -d 'Which files a kustomization may read: only under its own directory (default), or any' -r -f -a "LoadRestrictionsRootOnly\t'Files only in or below the kustomization\'s directory (kustomize\'s default)'
LoadRestrictionsNone\t'Files anywhere (kustomize\'s spelling; `none` is accepted too)'"
complete -c kit -n "__fish_kit_using_subcommand update" -l quiet -d 'Do not announce on stderr what is fetched, nor what changed'
complete -c kit -n "__fish_kit_using_subcommand update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kit -n "__fish_kit_using_subcommand vendor" -l dir -d 'The vendor directory, relative to each kustomization (default: the one kit.lock names, else `vendor`). kit owns its `git/`, `http/` and `charts/` subdirectories' -r -F
complete -c kit -n "__fish_kit_using_subcommand vendor" -l load-restrictor -d 'Which files a kustomization may read: only under its own directory (default), or any' -r -f -a "LoadRestrictionsRootOnly\t'Files only in or below the kustomization\'s directory (kustomize\'s default)'
LoadRestrictionsNone\t'Files anywhere (kustomize\'s spelling; `none` is accepted too)'"
complete -c kit -n "__fish_kit_using_subcommand vendor" -l offline -d 'Copy from kit.lock and the cache alone; fetch nothing'
complete -c kit -n "__fish_kit_using_subcommand vendor" -l quiet -d 'Do not announce on stderr what is fetched, nor what was copied'
complete -c kit -n "__fish_kit_using_subcommand vendor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build template chart create validate lint apply diff rules explain generate completion update vendor help" -f -a "build" -d 'Render kustomizations exactly like `kubectl kustomize` (directories, files or `-`)'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build template chart create validate lint apply diff rules explain generate completion update vendor help" -f -a "template" -d 'Render a chart (Helm\'s chart layout, Jinja templates), like `helm template`'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build template chart create validate lint apply diff rules explain generate completion update vendor help" -f -a "chart" -d 'Chart tools: `kit chart lint`'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build template chart create validate lint apply diff rules explain generate completion update vendor help" -f -a "create" -d 'Create things: `kit create chart NAME`'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build template chart create validate lint apply diff rules explain generate completion update vendor help" -f -a "validate" -d 'Validate manifests against the Kubernetes API schemas and the API server\'s field rules, offline'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build template chart create validate lint apply diff rules explain generate completion update vendor help" -f -a "lint" -d 'Check rendered manifests against best-practice and security rules'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build template chart create validate lint apply diff rules explain generate completion update vendor help" -f -a "apply" -d 'Server-side apply rendered manifests to a cluster: ordered, optionally pruned (ApplySet) and waited for'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build template chart create validate lint apply diff rules explain generate completion update vendor help" -f -a "diff" -d 'Show changes: `kit diff PATH` against the live cluster (server-side dry run), or two renders offline (`kit diff OLD NEW`, `kit diff PATH --git-ref REF`). A unified diff per object, Secret values masked. Exit 0 no change, 1 changes, 3 error'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build template chart create validate lint apply diff rules explain generate completion update vendor help" -f -a "rules" -d 'List the lint rules (id, name, severity, category, on by default)'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build template chart create validate lint apply diff rules explain generate completion update vendor help" -f -a "explain" -d 'Print the documentation of a lint rule or validation check (by id or name)'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build template chart create validate lint apply diff rules explain generate completion update vendor help" -f -a "generate" -d 'Write shell completions and the man pages (kept in the repository\'s completions/)'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build template chart create validate lint apply diff rules explain generate completion update vendor help" -f -a "completion" -d 'Print the completion script for a shell (bash, zsh, fish, powershell, elvish), as `kubectl completion` does: `source <(kit completion bash)`'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build template chart create validate lint apply diff rules explain generate completion update vendor help" -f -a "update" -d 'Pin remote bases: resolve every remote base\'s ref on its remote again, fetch what changed, and write `kit.lock` beside each kustomization root'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build template chart create validate lint apply diff rules explain generate completion update vendor help" -f -a "vendor" -d 'Copy every remote input (git bases, HTTP files, charts) into a directory beside `kit.lock` (default `vendor/`) and name it in the lock: builds then read them there and use no network. The kustomizations are not changed. Commit the directory and the lock'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build template chart create validate lint apply diff rules explain generate completion update vendor help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kit -n "__fish_kit_using_subcommand help; and __fish_seen_subcommand_from chart" -f -a "lint" -d 'Check charts as `helm lint` does: Chart.yaml, values and schema, templates render, rendered objects are well formed'
complete -c kit -n "__fish_kit_using_subcommand help; and __fish_seen_subcommand_from create" -f -a "chart" -d 'A new chart in directory NAME, like `helm create`\'s: Go templates that render the same with `kit template` and `helm template`, or Jinja with `--dialect jinja`'
