
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kit' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kit'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kit' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Render kustomizations exactly like `kubectl kustomize` (directories, files or `-`)')
            [CompletionResult]::new('template', 'template', [CompletionResultType]::ParameterValue, 'Render a chart (Helm''s chart layout, Jinja templates), like `helm template`')
            [CompletionResult]::new('chart', 'chart', [CompletionResultType]::ParameterValue, 'Chart tools: `kit chart lint`')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create things: `kit create chart NAME`')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Validate manifests against the Kubernetes API schemas and the API server''s field rules, offline')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check rendered manifests against best-practice and security rules')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Server-side apply rendered manifests to a cluster: ordered, optionally pruned (ApplySet) and waited for')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show changes: `kit diff PATH` against the live cluster (server-side dry run), or two renders offline (`kit diff OLD NEW`, `kit diff PATH --git-ref REF`). A unified diff per object, Secret values masked. Exit 0 no change, 1 changes, 3 error')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List the lint rules (id, name, severity, category, on by default)')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Print the documentation of a lint rule or validation check (by id or name)')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write shell completions and the man pages (kept in the repository''s completions/)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell (bash, zsh, fish, powershell, elvish), as `kubectl completion` does: `source <(kit completion bash)`')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Pin remote bases: resolve every remote base''s ref on its remote again, fetch what changed, and write `kit.lock` beside each kustomization root')
            [CompletionResult]::new('vendor', 'vendor', [CompletionResultType]::ParameterValue, 'Copy every remote input (git bases, HTTP files, charts) into a directory beside `kit.lock` (default `vendor/`) and name it in the lock: builds then read them there and use no network. The kustomizations are not changed. Commit the directory and the lock')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kit;build' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to this path instead of printing, as `kubectl kustomize -o` does: into an existing directory, one file per resource (one subdirectory per root when there are several roots); a path ending in `/` is created as such a directory; any other path is one file holding what would be printed')
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'Write the output to this path instead of printing, as `kubectl kustomize -o` does: into an existing directory, one file per resource (one subdirectory per root when there are several roots); a path ending in `/` is created as such a directory; any other path is one file holding what would be printed')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--load-restrictor', '--load-restrictor', [CompletionResultType]::ParameterName, 'Which files a kustomization may read: only under its own directory (default), or any')
            [CompletionResult]::new('--helm-command', '--helm-command', [CompletionResultType]::ParameterName, 'Accepted; no effect: kit runs no helm binary, it renders charts in-process as `helm template` v3.17 does (v4.1 with --helm-version 4)')
            [CompletionResult]::new('--helm-version', '--helm-version', [CompletionResultType]::ParameterName, 'Render helmCharts as this Helm major version does (kubectl kustomize runs whichever helm is on PATH): 3 (v3.17) or 4 (v4.1); see `kit template --help`')
            [CompletionResult]::new('--helm-api-versions', '--helm-api-versions', [CompletionResultType]::ParameterName, 'Kubernetes API versions charts see in `Capabilities.APIVersions`, for helmCharts entries that list no `apiVersions` (repeatable), as in kubectl kustomize')
            [CompletionResult]::new('--helm-kube-version', '--helm-kube-version', [CompletionResultType]::ParameterName, 'The Kubernetes version charts see in `Capabilities.KubeVersion`, for helmCharts entries without a `kubeVersion`, as in kubectl kustomize')
            [CompletionResult]::new('--reorder', '--reorder', [CompletionResultType]::ParameterName, 'Deprecated in kustomize (use `sortOptions`): `legacy` (the default order) or `none` (the order of the input); a kustomization''s `sortOptions` wins')
            [CompletionResult]::new('--network-name', '--network-name', [CompletionResultType]::ParameterName, 'Accepted; no effect: for KRM functions, which kit does not run')
            [CompletionResult]::new('--mount', '--mount', [CompletionResultType]::ParameterName, 'Accepted; no effect: for KRM functions, which kit does not run')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Accepted; no effect: for KRM functions, which kit does not run')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Accepted; no effect: for KRM functions, which kit does not run')
            [CompletionResult]::new('--explain-origin', '--explain-origin', [CompletionResultType]::ParameterName, 'Annotate every value with the file, line and column it came from (`# from: ...`)')
            [CompletionResult]::new('--locked', '--locked', [CompletionResultType]::ParameterName, 'Refuse remote inputs that `kit.lock` does not pin, and those that moved or changed on the remote since they were pinned (asks the remote: for CI)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use no network: remote inputs come from `kit.lock` and the cache alone (an error names the entry that is missing)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Do not announce on stderr what is fetched from the network')
            [CompletionResult]::new('--enable-helm', '--enable-helm', [CompletionResultType]::ParameterName, 'Accepted; no effect: kit renders `helmCharts` itself, always (kustomize needs this flag and a helm binary)')
            [CompletionResult]::new('--helm-debug', '--helm-debug', [CompletionResultType]::ParameterName, 'Accepted; no effect (kit''s chart errors already name the template line)')
            [CompletionResult]::new('--enable-managedby-label', '--enable-managedby-label', [CompletionResultType]::ParameterName, 'Deprecated in kustomize (use `buildMetadata: [managedByLabel]`): label every object `app.kubernetes.io/managed-by: kustomize-v5.8.1` (also with KUSTOMIZE_ENABLE_MANAGEDBY_LABEL=on)')
            [CompletionResult]::new('--enable-alpha-plugins', '--enable-alpha-plugins', [CompletionResultType]::ParameterName, 'Accepted; kit never runs plugins or KRM functions: a kustomization that declares an exec, container or Go plugin is refused with its file and line, flag or not')
            [CompletionResult]::new('--enable-exec', '--enable-exec', [CompletionResultType]::ParameterName, 'Refused: kit never runs exec functions (kustomize''s alpha flag; `kubectl kustomize` does not have it either)')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'Accepted; no effect: for KRM functions, which kit does not run')
            [CompletionResult]::new('--as-current-user', '--as-current-user', [CompletionResultType]::ParameterName, 'Accepted; no effect: for KRM functions, which kit does not run')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kit;template' {
            [CompletionResult]::new('--name-template', '--name-template', [CompletionResultType]::ParameterName, 'Make the release name with this Go template (Sprig''s functions), e.g. `{{ randAlpha 6 | lower }}`; then CHART is the only argument')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set values: `a.b=c,list[0]=x,l={a,b}` (numbers, booleans and null are typed)')
            [CompletionResult]::new('--set-string', '--set-string', [CompletionResultType]::ParameterName, 'Set values as strings (no typing)')
            [CompletionResult]::new('--set-file', '--set-file', [CompletionResultType]::ParameterName, 'Set values from files: `key=path` takes the file''s text as the value')
            [CompletionResult]::new('--set-json', '--set-json', [CompletionResultType]::ParameterName, 'Set values as JSON: `key={"a":1}`, `key=[1,2]`, or a whole JSON object')
            [CompletionResult]::new('--set-literal', '--set-literal', [CompletionResultType]::ParameterName, 'Set one value as a literal string: everything after the first `=` (commas, braces, backslashes included), never typed. Applied last')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The release namespace (`release.namespace`); as in Helm, without it $HELM_NAMESPACE, else the kubeconfig context''s namespace, else `default`')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The release namespace (`release.namespace`); as in Helm, without it $HELM_NAMESPACE, else the kubeconfig context''s namespace, else `default`')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'The kubeconfig whose context gives the release namespace when -n and $HELM_NAMESPACE give none (default: $KUBECONFIG, else ~/.kube/config); nothing else is read from it')
            [CompletionResult]::new('--kube-context', '--kube-context', [CompletionResultType]::ParameterName, 'The kubeconfig context for the release namespace (default: $HELM_KUBECONTEXT, else the current context)')
            [CompletionResult]::new('--kube-version', '--kube-version', [CompletionResultType]::ParameterName, 'Kubernetes version for `capabilities.kubeVersion` and Chart.yaml''s kubeVersion check')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Extra API versions for `capabilities.apiVersions` (`group/version` or `group/version/Kind`; repeated or comma-separated)')
            [CompletionResult]::new('--api-versions', '--api-versions', [CompletionResultType]::ParameterName, 'Extra API versions for `capabilities.apiVersions` (`group/version` or `group/version/Kind`; repeated or comma-separated)')
            [CompletionResult]::new('--helm-version', '--helm-version', [CompletionResultType]::ParameterName, 'Print what this Helm major version prints: 3 (v3.17.2) or 4 (v4.1.4: Kubernetes v1.35.0 by default, --kube-version kept as given, webhook configurations in the install order, `.Chart` as a map, each alias of a dependency with its own subcharts)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Only print the manifests of these templates (`templates/x.yaml`, globs allowed)')
            [CompletionResult]::new('--show-only', '--show-only', [CompletionResultType]::ParameterName, 'Only print the manifests of these templates (`templates/x.yaml`, globs allowed)')
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'Write each template''s manifests to DIR/chart/templates/... instead of printing (and print `wrote PATH` for each write, as Helm does)')
            [CompletionResult]::new('--post-renderer', '--post-renderer', [CompletionResultType]::ParameterName, 'Pipe the rendered manifests (CRDs and manifests; hooks are added after) through this program, as Helm does: it runs only when given, reads the whole render on stdin, and its stdout (at most 256 MiB) replaces it. A program name without `/` is looked up in PATH')
            [CompletionResult]::new('--post-renderer-args', '--post-renderer-args', [CompletionResultType]::ParameterName, 'An argument to the --post-renderer program (repeatable)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only `client` (the default with the bare flag) and `true` are accepted: kit never contacts a cluster')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The chart repository to take CHART from (its index.yaml is read, the version resolved and the archive''s digest checked; kit''s cache keeps it). Ignored for a chart on disk, as Helm ignores it')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The chart version or semver range (`1.2.3`, `^1.2`, `>=1 <2`) for a chart of a repository or a registry; the latest stable version when not given')
            [CompletionResult]::new('--keyring', '--keyring', [CompletionResultType]::ParameterName, 'See --verify (has no effect without it)')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'User name for the chart repository or registry (sent only to its host)')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Password for the chart repository or registry (sent only to its host)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Trust only the certificates in this PEM file for the repository''s HTTPS')
            [CompletionResult]::new('--cert-file', '--cert-file', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for the repository''s HTTPS')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Client key (PEM) for the repository''s HTTPS')
            [CompletionResult]::new('--repository-config', '--repository-config', [CompletionResultType]::ParameterName, 'Helm''s repositories file, for REPO/CHART (default: $HELM_REPOSITORY_CONFIG, else ~/.config/helm/repositories.yaml)')
            [CompletionResult]::new('--repository-cache', '--repository-cache', [CompletionResultType]::ParameterName, 'Helm''s repository cache, whose NAME-index.yaml `helm repo update` wrote (default: $HELM_REPOSITORY_CACHE, else ~/.cache/helm/repository); without it kit downloads the index')
            [CompletionResult]::new('--registry-config', '--registry-config', [CompletionResultType]::ParameterName, 'Registry credentials (`helm registry login`''s config.json; default: $HELM_REGISTRY_CONFIG, else ~/.config/helm/registry/config.json)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'No effect on the output (as with `helm template`); Helm v4''s strategies are taken (`--wait=watcher`, `hookOnly`, `legacy`; `true` and `false` as v4 still takes them)')
            [CompletionResult]::new('--server-side', '--server-side', [CompletionResultType]::ParameterName, 'Helm v4''s (`--server-side=false` too): no effect on the output')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Helm v4''s colored output setting: no effect (kit colours its errors itself; see NO_COLOR)')
            [CompletionResult]::new('--content-cache', '--content-cache', [CompletionResultType]::ParameterName, 'Helm v4''s content cache: no effect on a chart on disk (kit''s cache holds what it downloads)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'No effect on the output; a Go duration (`5m0s`), checked as Helm checks it')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'No effect on the output (the release''s description)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Release labels `k=v,k2=v2`: no effect on the output; checked as Helm checks them')
            [CompletionResult]::new('--labels', '--labels', [CompletionResultType]::ParameterName, 'Release labels `k=v,k2=v2`: no effect on the output; checked as Helm checks them')
            [CompletionResult]::new('--kube-apiserver', '--kube-apiserver', [CompletionResultType]::ParameterName, 'Helm''s cluster connection flag: no effect (`helm template` contacts no cluster)')
            [CompletionResult]::new('--kube-as-group', '--kube-as-group', [CompletionResultType]::ParameterName, 'Helm''s cluster connection flag: no effect (`helm template` contacts no cluster)')
            [CompletionResult]::new('--kube-as-user', '--kube-as-user', [CompletionResultType]::ParameterName, 'Helm''s cluster connection flag: no effect (`helm template` contacts no cluster)')
            [CompletionResult]::new('--kube-ca-file', '--kube-ca-file', [CompletionResultType]::ParameterName, 'Helm''s cluster connection flag: no effect (`helm template` contacts no cluster)')
            [CompletionResult]::new('--kube-tls-server-name', '--kube-tls-server-name', [CompletionResultType]::ParameterName, 'Helm''s cluster connection flag: no effect (`helm template` contacts no cluster)')
            [CompletionResult]::new('--kube-token', '--kube-token', [CompletionResultType]::ParameterName, 'Helm''s cluster connection flag: no effect (`helm template` contacts no cluster)')
            [CompletionResult]::new('--burst-limit', '--burst-limit', [CompletionResultType]::ParameterName, 'Helm''s client throttling flag: no effect (`helm template` contacts no cluster)')
            [CompletionResult]::new('--qps', '--qps', [CompletionResultType]::ParameterName, 'Helm''s client throttling flag: no effect (`helm template` contacts no cluster)')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Accepted as Helm accepts it: `helm template` names the release `release-name` all the same (with NAME given, this is an error)')
            [CompletionResult]::new('--generate-name', '--generate-name', [CompletionResultType]::ParameterName, 'Accepted as Helm accepts it: `helm template` names the release `release-name` all the same (with NAME given, this is an error)')
            [CompletionResult]::new('--include-crds', '--include-crds', [CompletionResultType]::ParameterName, 'Print the chart''s CRDs (crds/) first')
            [CompletionResult]::new('--skip-crds', '--skip-crds', [CompletionResultType]::ParameterName, 'No effect on the output, as with Helm (it only stops `helm install` from installing CRDs): --include-crds decides whether CRDs are printed')
            [CompletionResult]::new('--skip-schema-validation', '--skip-schema-validation', [CompletionResultType]::ParameterName, 'Do not check the values against the charts'' values.schema.json')
            [CompletionResult]::new('--release-name', '--release-name', [CompletionResultType]::ParameterName, 'With --output-dir: write into DIR/NAME/ (the release name), as Helm does; the CRDs of --include-crds still go to DIR/')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'When the render fails, print what Helm prints with --debug on stdout: after a rendered template that is not valid YAML, every rendered template (`# Source:` each, sorted by template name, where Helm''s order is random), so the invalid YAML can be read. The error still names the template line, and the exit code is still 2')
            [CompletionResult]::new('--validate', '--validate', [CompletionResultType]::ParameterName, 'Refused: kit cannot reach a cluster to validate against (use `kit validate` offline)')
            [CompletionResult]::new('--enable-dns', '--enable-dns', [CompletionResultType]::ParameterName, 'Refused: the template function getHostByName returns "" (kit does no DNS lookups)')
            [CompletionResult]::new('--dependency-update', '--dependency-update', [CompletionResultType]::ParameterName, 'When dependencies Chart.yaml lists are missing from charts/, fetch them (from the repository each names: URL, @NAME of repositories.yaml, oci://, file://) into kit''s cache, pinned by ./kit.lock, and render with them. The chart''s directory is not written to (Helm writes the archives into charts/ and a Chart.lock)')
            [CompletionResult]::new('--devel', '--devel', [CompletionResultType]::ParameterName, 'With no --version, take pre-release versions too (`>0.0.0-0`)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Refused: kit does not check provenance files; run `helm verify CHART.tgz` first')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the repository''s TLS certificate')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Talk plain HTTP to an OCI registry')
            [CompletionResult]::new('--pass-credentials', '--pass-credentials', [CompletionResultType]::ParameterName, 'Send --username/--password to every host the download reaches, not only the repository''s own (Helm''s rule; never on a redirect, in kit)')
            [CompletionResult]::new('--create-namespace', '--create-namespace', [CompletionResultType]::ParameterName, 'No effect on the output (as with `helm template`)')
            [CompletionResult]::new('--wait-for-jobs', '--wait-for-jobs', [CompletionResultType]::ParameterName, 'No effect on the output (as with `helm template`)')
            [CompletionResult]::new('--atomic', '--atomic', [CompletionResultType]::ParameterName, 'No effect on the output (as with `helm template`)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'No effect on the output (as with `helm template`)')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'No effect on the output (as with `helm template`)')
            [CompletionResult]::new('--take-ownership', '--take-ownership', [CompletionResultType]::ParameterName, 'No effect on the output (as with `helm template`)')
            [CompletionResult]::new('--force-conflicts', '--force-conflicts', [CompletionResultType]::ParameterName, 'Helm v4''s: no effect on the output (as with `helm template`)')
            [CompletionResult]::new('--force-replace', '--force-replace', [CompletionResultType]::ParameterName, 'Helm v4''s: no effect on the output (as with `helm template`)')
            [CompletionResult]::new('--rollback-on-failure', '--rollback-on-failure', [CompletionResultType]::ParameterName, 'Helm v4''s: no effect on the output (as with `helm template`)')
            [CompletionResult]::new('--disable-openapi-validation', '--disable-openapi-validation', [CompletionResultType]::ParameterName, 'No effect on the output (as with `helm template`)')
            [CompletionResult]::new('--hide-notes', '--hide-notes', [CompletionResultType]::ParameterName, 'No effect on the output (as with `helm template`)')
            [CompletionResult]::new('--render-subchart-notes', '--render-subchart-notes', [CompletionResultType]::ParameterName, 'No effect on the output (as with `helm template`)')
            [CompletionResult]::new('--kube-insecure-skip-tls-verify', '--kube-insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Helm''s cluster connection flag: no effect (`helm template` contacts no cluster)')
            [CompletionResult]::new('--notes', '--notes', [CompletionResultType]::ParameterName, 'Print the rendered templates/NOTES.txt after the manifests')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Undefined values are errors (otherwise they render as empty)')
            [CompletionResult]::new('--is-upgrade', '--is-upgrade', [CompletionResultType]::ParameterName, 'Set `release.isUpgrade` instead of `release.isInstall`')
            [CompletionResult]::new('--no-hooks', '--no-hooks', [CompletionResultType]::ParameterName, 'Leave out hooks (documents annotated `helm.sh/hook`)')
            [CompletionResult]::new('--skip-tests', '--skip-tests', [CompletionResultType]::ParameterName, 'Leave out test hooks (`helm.sh/hook: test`)')
            [CompletionResult]::new('--locked', '--locked', [CompletionResultType]::ParameterName, 'Refuse remote inputs that `kit.lock` does not pin, and those that moved or changed on the remote since they were pinned (asks the remote: for CI)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use no network: remote inputs come from `kit.lock` and the cache alone (an error names the entry that is missing)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Do not announce on stderr what is fetched from the network')
            [CompletionResult]::new('--update-lock', '--update-lock', [CompletionResultType]::ParameterName, 'Resolve the chart of a repository or registry (and, with --dependency-update, the chart''s dependencies) on the repository again, whatever `./kit.lock` pins, and write their pins into `./kit.lock` (its other entries kept): `kit update` for the charts that only `kit template` names. Then `--locked` and `--offline` render them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kit;chart' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check charts as `helm lint` does: Chart.yaml, values and schema, templates render, rendered objects are well formed')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kit;chart;lint' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set values: `a.b=c,list[0]=x,l={a,b}` (numbers, booleans and null are typed)')
            [CompletionResult]::new('--set-string', '--set-string', [CompletionResultType]::ParameterName, 'Set values as strings (no typing)')
            [CompletionResult]::new('--set-file', '--set-file', [CompletionResultType]::ParameterName, 'Set values from files: `key=path` takes the file''s text as the value')
            [CompletionResult]::new('--set-json', '--set-json', [CompletionResultType]::ParameterName, 'Set values as JSON: `key={"a":1}`, `key=[1,2]`, or a whole JSON object')
            [CompletionResult]::new('--set-literal', '--set-literal', [CompletionResultType]::ParameterName, 'Set one value as a literal string: everything after the first `=` (commas, braces, backslashes included), never typed. Applied last')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The release namespace the templates see')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The release namespace the templates see')
            [CompletionResult]::new('--kube-version', '--kube-version', [CompletionResultType]::ParameterName, 'Kubernetes version for `capabilities.kubeVersion` and Chart.yaml''s kubeVersion check')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Undefined values are errors')
            [CompletionResult]::new('--fail-on-warning', '--fail-on-warning', [CompletionResultType]::ParameterName, 'Exit with code 1 on warnings too (not only errors)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kit;chart;help' {
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check charts as `helm lint` does: Chart.yaml, values and schema, templates render, rendered objects are well formed')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kit;chart;help;lint' {
            break
        }
        'kit;chart;help;help' {
            break
        }
        'kit;create' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('chart', 'chart', [CompletionResultType]::ParameterValue, 'A new chart in directory NAME, like `helm create`''s: Go templates that render the same with `kit template` and `helm template`, or Jinja with `--dialect jinja`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kit;create;chart' {
            [CompletionResult]::new('--dialect', '--dialect', [CompletionResultType]::ParameterName, 'The templates'' language')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kit;create;help' {
            [CompletionResult]::new('chart', 'chart', [CompletionResultType]::ParameterValue, 'A new chart in directory NAME, like `helm create`''s: Go templates that render the same with `kit template` and `helm template`, or Jinja with `--dialect jinja`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kit;create;help;chart' {
            break
        }
        'kit;create;help;help' {
            break
        }
        'kit;validate' {
            [CompletionResult]::new('--kubernetes-version', '--kubernetes-version', [CompletionResultType]::ParameterName, 'The Kubernetes version whose schemas and rules apply (1.30 to 1.37; default: the newest)')
            [CompletionResult]::new('--crd', '--crd', [CompletionResultType]::ParameterName, 'CustomResourceDefinitions (files or directories) that validate custom resources, in addition to those found in the input. Repeatable')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--load-restrictor', '--load-restrictor', [CompletionResultType]::ParameterName, 'Which files a kustomization may read: only under its own directory (default), or any')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read settings from this file instead of the nearest `.kit.yaml` (found by walking up from the first PATH)')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'The release name chart directories are rendered with')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set values: `a.b=c,list[0]=x,l={a,b}` (numbers, booleans and null are typed)')
            [CompletionResult]::new('--set-string', '--set-string', [CompletionResultType]::ParameterName, 'Set values as strings (no typing)')
            [CompletionResult]::new('--set-file', '--set-file', [CompletionResultType]::ParameterName, 'Set values from files: `key=path` takes the file''s text as the value')
            [CompletionResult]::new('--set-json', '--set-json', [CompletionResultType]::ParameterName, 'Set values as JSON: `key={"a":1}`, `key=[1,2]`, or a whole JSON object')
            [CompletionResult]::new('--set-literal', '--set-literal', [CompletionResultType]::ParameterName, 'Set one value as a literal string: everything after the first `=` (commas, braces, backslashes included), never typed. Applied last')
            [CompletionResult]::new('--helm-version', '--helm-version', [CompletionResultType]::ParameterName, 'Render charts as this Helm major version does: 3 (v3.17) or 4 (v4.1); see `kit template --help`')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Reject unknown fields and duplicate keys, like `kubectl apply --validate=strict` (the default)')
            [CompletionResult]::new('--no-strict', '--no-strict', [CompletionResultType]::ParameterName, 'Accept unknown fields (the API server drops them) and duplicate keys (the last wins)')
            [CompletionResult]::new('--ignore-missing-schemas', '--ignore-missing-schemas', [CompletionResultType]::ParameterName, 'Skip custom resources whose CustomResourceDefinition is not known instead of reporting them')
            [CompletionResult]::new('--summary', '--summary', [CompletionResultType]::ParameterName, 'Print a summary line (resources, invalid, skipped, findings) after the findings')
            [CompletionResult]::new('--locked', '--locked', [CompletionResultType]::ParameterName, 'Refuse remote inputs that `kit.lock` does not pin, and those that moved or changed on the remote since they were pinned (asks the remote: for CI)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use no network: remote inputs come from `kit.lock` and the cache alone (an error names the entry that is missing)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Do not announce on stderr what is fetched from the network')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore any `.kit.yaml`')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kit;lint' {
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit with code 1 when a finding has this severity or a higher one (default: error, or `.kit.yaml`''s `lint.failOn`)')
            [CompletionResult]::new('--enable', '--enable', [CompletionResultType]::ParameterName, 'Run these rules too (ids or names, comma-separated or repeated; `all` for every rule)')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Do not run these rules (ids or names, comma-separated or repeated). `--disable all` clears the selection first, so `--disable all --enable RULE` runs RULE alone')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Start from a built-in policy pack instead of the default rules: default, production, pod-security-baseline, pod-security-restricted, all')
            [CompletionResult]::new('--admission-policy', '--admission-policy', [CompletionResultType]::ParameterName, 'ValidatingAdmissionPolicy files or directories (repeatable): their policies (and bindings, and params objects) run offline on the render, each object as a CREATE; findings are reported under `policy:<name>`')
            [CompletionResult]::new('--kubernetes-version', '--kubernetes-version', [CompletionResultType]::ParameterName, 'The Kubernetes version the manifests target (1.30 to 1.37; default: `.kit.yaml`''s `lint.kubernetesVersion` or `validate.kubernetesVersion`, else the newest): API versions it removed are errors, those it deprecated warnings')
            [CompletionResult]::new('--load-restrictor', '--load-restrictor', [CompletionResultType]::ParameterName, 'Which files a kustomization may read: only under its own directory (default), or any')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read settings from this file instead of the nearest `.kit.yaml` (found by walking up from the first PATH)')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'The release name chart directories are rendered with')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set values: `a.b=c,list[0]=x,l={a,b}` (numbers, booleans and null are typed)')
            [CompletionResult]::new('--set-string', '--set-string', [CompletionResultType]::ParameterName, 'Set values as strings (no typing)')
            [CompletionResult]::new('--set-file', '--set-file', [CompletionResultType]::ParameterName, 'Set values from files: `key=path` takes the file''s text as the value')
            [CompletionResult]::new('--set-json', '--set-json', [CompletionResultType]::ParameterName, 'Set values as JSON: `key={"a":1}`, `key=[1,2]`, or a whole JSON object')
            [CompletionResult]::new('--set-literal', '--set-literal', [CompletionResultType]::ParameterName, 'Set one value as a literal string: everything after the first `=` (commas, braces, backslashes included), never typed. Applied last')
            [CompletionResult]::new('--helm-version', '--helm-version', [CompletionResultType]::ParameterName, 'Render charts as this Helm major version does: 3 (v3.17) or 4 (v4.1); see `kit template --help`')
            [CompletionResult]::new('--locked', '--locked', [CompletionResultType]::ParameterName, 'Refuse remote inputs that `kit.lock` does not pin, and those that moved or changed on the remote since they were pinned (asks the remote: for CI)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use no network: remote inputs come from `kit.lock` and the cache alone (an error names the entry that is missing)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Do not announce on stderr what is fetched from the network')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore any `.kit.yaml`')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kit;apply' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'The kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: its current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of namespaced objects that name none (default: the context''s, else `default`); also the namespace of the ApplySet parent')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of namespaced objects that name none (default: the context''s, else `default`); also the namespace of the ApplySet parent')
            [CompletionResult]::new('--field-manager', '--field-manager', [CompletionResultType]::ParameterName, 'The field manager that owns the applied fields')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, '`server`: the API server validates and admits every object (and prune), storing nothing; `client`: only reads, and says what would be applied and pruned')
            [CompletionResult]::new('--applyset', '--applyset', [CompletionResultType]::ParameterName, 'The ApplySet''s parent Secret (in --namespace): its name. Default with --prune: `kit-` and the first PATH''s directory name')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait (and the wait for CRDs to be established) may take: `90s`, `5m`, `1h`')
            [CompletionResult]::new('--load-restrictor', '--load-restrictor', [CompletionResultType]::ParameterName, 'Which files a kustomization may read: only under its own directory (default), or any')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'The release name chart directories are rendered with')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set values: `a.b=c,list[0]=x,l={a,b}` (numbers, booleans and null are typed)')
            [CompletionResult]::new('--set-string', '--set-string', [CompletionResultType]::ParameterName, 'Set values as strings (no typing)')
            [CompletionResult]::new('--set-file', '--set-file', [CompletionResultType]::ParameterName, 'Set values from files: `key=path` takes the file''s text as the value')
            [CompletionResult]::new('--set-json', '--set-json', [CompletionResultType]::ParameterName, 'Set values as JSON: `key={"a":1}`, `key=[1,2]`, or a whole JSON object')
            [CompletionResult]::new('--set-literal', '--set-literal', [CompletionResultType]::ParameterName, 'Set one value as a literal string: everything after the first `=` (commas, braces, backslashes included), never typed. Applied last')
            [CompletionResult]::new('--helm-version', '--helm-version', [CompletionResultType]::ParameterName, 'Render charts as this Helm major version does: 3 (v3.17) or 4 (v4.1); see `kit template --help`')
            [CompletionResult]::new('--force-conflicts', '--force-conflicts', [CompletionResultType]::ParameterName, 'Take over fields that another field manager owns instead of failing with a conflict')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Delete the objects of the ApplySet (`--applyset`) that the render no longer has, once every object applied. Compatible with `kubectl apply --prune --applyset`')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until every applied object is ready (Deployments rolled out, Jobs complete, ...)')
            [CompletionResult]::new('--locked', '--locked', [CompletionResultType]::ParameterName, 'Refuse remote inputs that `kit.lock` does not pin, and those that moved or changed on the remote since they were pinned (asks the remote: for CI)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use no network: remote inputs come from `kit.lock` and the cache alone (an error names the entry that is missing)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Do not announce on stderr what is fetched from the network')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kit;diff' {
            [CompletionResult]::new('--git-ref', '--git-ref', [CompletionResultType]::ParameterName, 'Compare PATH as it was at this git commit (a branch, tag, sha, `HEAD~1`, `origin/main`) with PATH in the working tree. The whole repository at REF is extracted to a temporary directory, so bases outside PATH resolve')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a unified diff per object, a pull-request comment, JSON, or one line per object')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Color the unified diff: `auto` when stdout is a terminal and NO_COLOR is unset')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'Lines of context around each change')
            [CompletionResult]::new('--unified', '--unified', [CompletionResultType]::ParameterName, 'Lines of context around each change')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'The release name chart directories are rendered with')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'Values files, merged in order (later files win); `-` reads standard input, an http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set values: `a.b=c,list[0]=x,l={a,b}` (numbers, booleans and null are typed)')
            [CompletionResult]::new('--set-string', '--set-string', [CompletionResultType]::ParameterName, 'Set values as strings (no typing)')
            [CompletionResult]::new('--set-file', '--set-file', [CompletionResultType]::ParameterName, 'Set values from files: `key=path` takes the file''s text as the value')
            [CompletionResult]::new('--set-json', '--set-json', [CompletionResultType]::ParameterName, 'Set values as JSON: `key={"a":1}`, `key=[1,2]`, or a whole JSON object')
            [CompletionResult]::new('--set-literal', '--set-literal', [CompletionResultType]::ParameterName, 'Set one value as a literal string: everything after the first `=` (commas, braces, backslashes included), never typed. Applied last')
            [CompletionResult]::new('--helm-version', '--helm-version', [CompletionResultType]::ParameterName, 'Render charts as this Helm major version does: 3 (v3.17) or 4 (v4.1); see `kit template --help`')
            [CompletionResult]::new('--load-restrictor', '--load-restrictor', [CompletionResultType]::ParameterName, 'Which files a kustomization may read: only under its own directory (default), or any')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'The kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: its current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of namespaced objects that name none (default: the context''s, else `default`); also the namespace of the ApplySet parent')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of namespaced objects that name none (default: the context''s, else `default`); also the namespace of the ApplySet parent')
            [CompletionResult]::new('--field-manager', '--field-manager', [CompletionResultType]::ParameterName, 'The field manager that owns the applied fields')
            [CompletionResult]::new('--applyset', '--applyset', [CompletionResultType]::ParameterName, 'Live diff: the ApplySet''s parent Secret name (as for `kit apply --prune`)')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit 1 when there are differences (the default, as `diff` and `kubectl diff`); `--exit-code=false` exits 0 on differences, as `argocd app diff --exit-code=false` (errors still exit above 1)')
            [CompletionResult]::new('--no-renames', '--no-renames', [CompletionResultType]::ParameterName, 'Do not pair renamed or moved objects: show them as removed and added')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show Secret `data` and `stringData` values instead of `***` (never in CI logs)')
            [CompletionResult]::new('--locked', '--locked', [CompletionResultType]::ParameterName, 'Refuse remote inputs that `kit.lock` does not pin, and those that moved or changed on the remote since they were pinned (asks the remote: for CI)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use no network: remote inputs come from `kit.lock` and the cache alone (an error names the entry that is missing)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Do not announce on stderr what is fetched from the network')
            [CompletionResult]::new('--force-conflicts', '--force-conflicts', [CompletionResultType]::ParameterName, 'Take over fields that another field manager owns instead of failing with a conflict')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Live diff: also show the members of the ApplySet that `kit apply --prune` would delete')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kit;rules' {
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (`--output`, as on the other commands; `--format` is kept as an alias)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (`--output`, as on the other commands; `--format` is kept as an alias)')
            [CompletionResult]::new('--validate', '--validate', [CompletionResultType]::ParameterName, 'List `kit validate`''s checks instead of the lint rules')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kit;explain' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kit;generate' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kit;completion' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kit;update' {
            [CompletionResult]::new('--load-restrictor', '--load-restrictor', [CompletionResultType]::ParameterName, 'Which files a kustomization may read: only under its own directory (default), or any')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Do not announce on stderr what is fetched, nor what changed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kit;vendor' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The vendor directory, relative to each kustomization (default: the one kit.lock names, else `vendor`). kit owns its `git/`, `http/` and `charts/` subdirectories')
            [CompletionResult]::new('--load-restrictor', '--load-restrictor', [CompletionResultType]::ParameterName, 'Which files a kustomization may read: only under its own directory (default), or any')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Copy from kit.lock and the cache alone; fetch nothing')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Do not announce on stderr what is fetched, nor what was copied')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kit;help' {
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Render kustomizations exactly like `kubectl kustomize` (directories, files or `-`)')
            [CompletionResult]::new('template', 'template', [CompletionResultType]::ParameterValue, 'Render a chart (Helm''s chart layout, Jinja templates), like `helm template`')
            [CompletionResult]::new('chart', 'chart', [CompletionResultType]::ParameterValue, 'Chart tools: `kit chart lint`')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create things: `kit create chart NAME`')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Validate manifests against the Kubernetes API schemas and the API server''s field rules, offline')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check rendered manifests against best-practice and security rules')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Server-side apply rendered manifests to a cluster: ordered, optionally pruned (ApplySet) and waited for')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show changes: `kit diff PATH` against the live cluster (server-side dry run), or two renders offline (`kit diff OLD NEW`, `kit diff PATH --git-ref REF`). A unified diff per object, Secret values masked. Exit 0 no change, 1 changes, 3 error')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List the lint rules (id, name, severity, category, on by default)')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Print the documentation of a lint rule or validation check (by id or name)')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write shell completions and the man pages (kept in the repository''s completions/)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell (bash, zsh, fish, powershell, elvish), as `kubectl completion` does: `source <(kit completion bash)`')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Pin remote bases: resolve every remote base''s ref on its remote again, fetch what changed, and write `kit.lock` beside each kustomization root')
            [CompletionResult]::new('vendor', 'vendor', [CompletionResultType]::ParameterValue, 'Copy every remote input (git bases, HTTP files, charts) into a directory beside `kit.lock` (default `vendor/`) and name it in the lock: builds then read them there and use no network. The kustomizations are not changed. Commit the directory and the lock')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kit;help;build' {
            break
        }
        'kit;help;template' {
            break
        }
        'kit;help;chart' {
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check charts as `helm lint` does: Chart.yaml, values and schema, templates render, rendered objects are well formed')
            break
        }
        'kit;help;chart;lint' {
            break
        }
        'kit;help;create' {
            [CompletionResult]::new('chart', 'chart', [CompletionResultType]::ParameterValue, 'A new chart in directory NAME, like `helm create`''s: Go templates that render the same with `kit template` and `helm template`, or Jinja with `--dialect jinja`')
            break
        }
        'kit;help;create;chart' {
            break
        }
        'kit;help;validate' {
            break
        }
        'kit;help;lint' {
            break
        }
        'kit;help;apply' {
            break
        }
        'kit;help;diff' {
            break
        }
        'kit;help;rules' {
            break
        }
        'kit;help;explain' {
            break
        }
        'kit;help;generate' {
            break
        }
        'kit;help;completion' {
            break
        }
        'kit;help;update' {
            break
        }
        'kit;help;vendor' {
            break
        }
        'kit;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
