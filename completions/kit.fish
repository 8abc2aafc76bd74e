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
complete -c kit -n "__fish_kit_needs_command" -f -a "generate" -d 'Write shell completions and the man page (kept in the repository\'s completions/)'
complete -c kit -n "__fish_kit_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kit -n "__fish_kit_using_subcommand build" -s o -l output-dir -d 'Write one file per resource into this directory (one subdirectory per root when there are several roots) instead of printing' -r -F
complete -c kit -n "__fish_kit_using_subcommand build" -l output -d 'Output format' -r -f -a "yaml\t''
json\t''"
complete -c kit -n "__fish_kit_using_subcommand build" -l load-restrictor -d 'Which files a kustomization may read: only under its own directory (default), or any' -r -f -a "rootOnly\t''
none\t''"
complete -c kit -n "__fish_kit_using_subcommand build" -l explain-origin -d 'Annotate every value with the file, line and column it came from (`# from: ...`)'
complete -c kit -n "__fish_kit_using_subcommand build" -s h -l help -d 'Print help'
complete -c kit -n "__fish_kit_using_subcommand generate" -s h -l help -d 'Print help'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build generate help" -f -a "build" -d 'Render kustomizations exactly like `kubectl kustomize` (directories, files or `-`)'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build generate help" -f -a "generate" -d 'Write shell completions and the man page (kept in the repository\'s completions/)'
complete -c kit -n "__fish_kit_using_subcommand help; and not __fish_seen_subcommand_from build generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
