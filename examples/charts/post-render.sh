#!/bin/sh
# A post-renderer for `kit template --post-renderer` (and `helm template --post-renderer`):
# it reads the rendered manifests on stdin and writes the ones to use on stdout. This one
# adds a comment line naming its arguments at the top; a real one would run
# `kustomize build`, `yq` or a policy tool.
printf '# post-rendered (args: %s)\n' "$*"
exec cat
