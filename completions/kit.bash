_kit() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="kit"
                ;;
            kit,apply)
                cmd="kit__subcmd__apply"
                ;;
            kit,build)
                cmd="kit__subcmd__build"
                ;;
            kit,chart)
                cmd="kit__subcmd__chart"
                ;;
            kit,completion)
                cmd="kit__subcmd__completion"
                ;;
            kit,create)
                cmd="kit__subcmd__create"
                ;;
            kit,diff)
                cmd="kit__subcmd__diff"
                ;;
            kit,explain)
                cmd="kit__subcmd__explain"
                ;;
            kit,generate)
                cmd="kit__subcmd__generate"
                ;;
            kit,help)
                cmd="kit__subcmd__help"
                ;;
            kit,lint)
                cmd="kit__subcmd__lint"
                ;;
            kit,rules)
                cmd="kit__subcmd__rules"
                ;;
            kit,template)
                cmd="kit__subcmd__template"
                ;;
            kit,update)
                cmd="kit__subcmd__update"
                ;;
            kit,validate)
                cmd="kit__subcmd__validate"
                ;;
            kit,vendor)
                cmd="kit__subcmd__vendor"
                ;;
            kit__subcmd__chart,help)
                cmd="kit__subcmd__chart__subcmd__help"
                ;;
            kit__subcmd__chart,lint)
                cmd="kit__subcmd__chart__subcmd__lint"
                ;;
            kit__subcmd__chart__subcmd__help,help)
                cmd="kit__subcmd__chart__subcmd__help__subcmd__help"
                ;;
            kit__subcmd__chart__subcmd__help,lint)
                cmd="kit__subcmd__chart__subcmd__help__subcmd__lint"
                ;;
            kit__subcmd__create,chart)
                cmd="kit__subcmd__create__subcmd__chart"
                ;;
            kit__subcmd__create,help)
                cmd="kit__subcmd__create__subcmd__help"
                ;;
            kit__subcmd__create__subcmd__help,chart)
                cmd="kit__subcmd__create__subcmd__help__subcmd__chart"
                ;;
            kit__subcmd__create__subcmd__help,help)
                cmd="kit__subcmd__create__subcmd__help__subcmd__help"
                ;;
            kit__subcmd__help,apply)
                cmd="kit__subcmd__help__subcmd__apply"
                ;;
            kit__subcmd__help,build)
                cmd="kit__subcmd__help__subcmd__build"
                ;;
            kit__subcmd__help,chart)
                cmd="kit__subcmd__help__subcmd__chart"
                ;;
            kit__subcmd__help,completion)
                cmd="kit__subcmd__help__subcmd__completion"
                ;;
            kit__subcmd__help,create)
                cmd="kit__subcmd__help__subcmd__create"
                ;;
            kit__subcmd__help,diff)
                cmd="kit__subcmd__help__subcmd__diff"
                ;;
            kit__subcmd__help,explain)
                cmd="kit__subcmd__help__subcmd__explain"
                ;;
            kit__subcmd__help,generate)
                cmd="kit__subcmd__help__subcmd__generate"
                ;;
            kit__subcmd__help,help)
                cmd="kit__subcmd__help__subcmd__help"
                ;;
            kit__subcmd__help,lint)
                cmd="kit__subcmd__help__subcmd__lint"
                ;;
            kit__subcmd__help,rules)
                cmd="kit__subcmd__help__subcmd__rules"
                ;;
            kit__subcmd__help,template)
                cmd="kit__subcmd__help__subcmd__template"
                ;;
            kit__subcmd__help,update)
                cmd="kit__subcmd__help__subcmd__update"
                ;;
            kit__subcmd__help,validate)
                cmd="kit__subcmd__help__subcmd__validate"
                ;;
            kit__subcmd__help,vendor)
                cmd="kit__subcmd__help__subcmd__vendor"
                ;;
            kit__subcmd__help__subcmd__chart,lint)
                cmd="kit__subcmd__help__subcmd__chart__subcmd__lint"
                ;;
            kit__subcmd__help__subcmd__create,chart)
                cmd="kit__subcmd__help__subcmd__create__subcmd__chart"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        kit)
            opts="-h -V --help --version build template chart create validate lint apply diff rules explain generate completion update vendor help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__apply)
            opts="-n -f -h --kubeconfig --context --namespace --field-manager --force-conflicts --dry-run --prune --applyset --wait --timeout --load-restrictor --locked --offline --quiet --release --values --set --set-string --set-file --set-json --set-literal --helm-version --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --field-manager)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dry-run)
                    COMPREPLY=($(compgen -W "none server client" -- "${cur}"))
                    return 0
                    ;;
                --applyset)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --load-restrictor)
                    COMPREPLY=($(compgen -W "LoadRestrictionsRootOnly LoadRestrictionsNone" -- "${cur}"))
                    return 0
                    ;;
                --release)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --values)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-string)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-literal)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --helm-version)
                    COMPREPLY=($(compgen -W "3 4" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__build)
            opts="-o -e -h --output-dir --output --load-restrictor --explain-origin --locked --offline --quiet --enable-helm --helm-command --helm-version --helm-api-versions --helm-kube-version --helm-debug --reorder --enable-managedby-label --enable-alpha-plugins --enable-exec --network --network-name --mount --env --as-current-user --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --output-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "yaml json" -- "${cur}"))
                    return 0
                    ;;
                --load-restrictor)
                    COMPREPLY=($(compgen -W "LoadRestrictionsRootOnly LoadRestrictionsNone" -- "${cur}"))
                    return 0
                    ;;
                --helm-command)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --helm-version)
                    COMPREPLY=($(compgen -W "3 4" -- "${cur}"))
                    return 0
                    ;;
                --helm-api-versions)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --helm-kube-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --reorder)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --network-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --mount)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --env)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -e)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__chart)
            opts="-h --help lint help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__chart__subcmd__help)
            opts="lint help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__chart__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__chart__subcmd__help__subcmd__lint)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__chart__subcmd__lint)
            opts="-f -n -h --values --set --set-string --set-file --set-json --set-literal --namespace --kube-version --strict --fail-on-warning --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --values)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-string)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-literal)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kube-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__completion)
            opts="-h --help bash elvish fish powershell zsh"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__create)
            opts="-h --help chart help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__create__subcmd__chart)
            opts="-h --dialect --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --dialect)
                    COMPREPLY=($(compgen -W "go jinja" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__create__subcmd__help)
            opts="chart help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__create__subcmd__help__subcmd__chart)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__create__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__diff)
            opts="-U -f -n -h --git-ref --output --color --unified --no-renames --show-secrets --release --values --set --set-string --set-file --set-json --set-literal --helm-version --load-restrictor --locked --offline --quiet --kubeconfig --context --namespace --field-manager --force-conflicts --prune --applyset --exit-code --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --git-ref)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "unified markdown json summary" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --unified)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -U)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --release)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --values)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-string)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-literal)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --helm-version)
                    COMPREPLY=($(compgen -W "3 4" -- "${cur}"))
                    return 0
                    ;;
                --load-restrictor)
                    COMPREPLY=($(compgen -W "LoadRestrictionsRootOnly LoadRestrictionsNone" -- "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --field-manager)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --applyset)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --exit-code)
                    COMPREPLY=($(compgen -W "true false" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__explain)
            opts="-h --help KIT-IMG001 image-tag-latest KIT-IMG002 image-pull-policy-not-always KIT-RES001 cpu-request-missing KIT-RES002 memory-request-missing KIT-RES003 cpu-limit-missing KIT-RES004 memory-limit-missing KIT-RES005 ephemeral-storage-unset KIT-RES006 requests-not-equal-limits KIT-RES007 ephemeral-storage-request-not-equal-limit KIT-PRB001 readiness-probe-missing KIT-PRB002 liveness-probe-missing KIT-PRB003 service-backend-without-readiness KIT-PRB004 identical-liveness-readiness KIT-PRB005 liveness-probe-port-not-exposed KIT-PRB006 readiness-probe-port-not-exposed KIT-PRB007 startup-probe-port-not-exposed KIT-REL001 duplicate-env-var KIT-REL002 invalid-container-port KIT-SEC001 privileged-container KIT-SEC002 privilege-escalation-allowed KIT-SEC003 run-as-root KIT-SEC004 low-user-group-id KIT-SEC005 writable-root-filesystem KIT-SEC006 net-raw-not-dropped KIT-SEC007 drop-all-capabilities-missing KIT-SEC008 dangerous-capabilities-added KIT-SEC009 host-network KIT-SEC010 host-pid KIT-SEC011 host-ipc KIT-SEC012 sensitive-host-path KIT-SEC013 docker-socket-mounted KIT-SEC014 writable-host-path KIT-SEC015 host-port KIT-SEC016 seccomp-profile-missing KIT-SEC017 unsafe-proc-mount KIT-SEC018 unsafe-sysctls KIT-SEC019 default-service-account KIT-SEC020 deprecated-service-account-field KIT-SEC021 secret-in-env KIT-SEC022 secret-from-env KIT-SEC023 ssh-port KIT-SEC024 privileged-port KIT-SEC025 scc-privileged-container KIT-SEC026 default-namespace KIT-RBAC001 rbac-wildcard KIT-RBAC002 cluster-admin-binding KIT-RBAC003 rbac-create-pods KIT-RBAC004 rbac-secrets-access KIT-NET001 service-selects-no-pods KIT-NET002 network-policy-selects-no-pods KIT-NET003 pod-without-network-policy KIT-NET004 service-type-nodeport KIT-NET005 ingress-backend-missing KIT-NET006 hpa-target-missing KIT-REF001 missing-configmap KIT-REF002 missing-secret KIT-REF003 missing-pvc KIT-REF004 missing-service-account KIT-AVL001 pdb-missing KIT-AVL002 pdb-without-policy KIT-AVL003 cronjob-deadline-missing KIT-AVL004 anti-affinity-missing KIT-AVL005 cronjob-restart-policy KIT-AVL006 hpa-target-sets-replicas KIT-AVL020 pdb-max-unavailable-zero KIT-AVL021 pdb-min-available-too-high KIT-REL003 selector-mismatch KIT-REL004 job-ttl-missing KIT-NET007 statefulset-service-name KIT-NET008 network-policy-peer-selects-no-pods KIT-NET009 service-monitor-selects-no-services KIT-NET010 invalid-port-name KIT-STY001 unsorted-keys KIT-API001 deprecated-api KIT-API004 api-version-deprecated KIT-AVL009 replicas-below-three KIT-AVL010 deployment-replicas-below-two KIT-AVL011 hpa-min-replicas-below-three KIT-AVL012 hpa-min-replicas-below-two KIT-AVL013 update-strategy-not-rolling KIT-AVL014 deployment-strategy-not-rolling KIT-AVL015 topology-spread-invalid KIT-AVL016 pdb-eviction-policy-unset KIT-AVL017 priority-class-unknown KIT-AVL018 restart-policy-never KIT-AVL019 node-affinity-missing KIT-REL006 dns-ndots-missing KIT-META001 label-value-invalid KIT-META002 owner-label-missing KIT-META003 email-annotation-missing KIT-SCH001 wrong-type KIT-SCH002 missing-required-field KIT-SCH003 unknown-field KIT-SCH004 invalid-format KIT-SCH005 schema-constraint KIT-SCH006 missing-schema KIT-SCH007 duplicate-list-entry KIT-SCH008 missing-api-version KIT-SCH009 duplicate-key KIT-SCH010 validation-rule KIT-SCH011 invalid-validation-rule KIT-SCH012 validation-rule-not-evaluated KIT-SCH013 validation-rule-too-costly KIT-FLD001 invalid-name KIT-FLD002 invalid-label KIT-FLD003 invalid-annotation KIT-FLD004 selector-template-mismatch KIT-FLD005 duplicate-name KIT-FLD006 invalid-port KIT-FLD007 invalid-env-name KIT-FLD008 unknown-volume KIT-FLD009 invalid-quantity KIT-FLD010 request-exceeds-limit KIT-FLD011 probe-handler KIT-FLD012 duplicate-resource KIT-FLD013 unknown-target-port KIT-FLD014 forbidden-combination KIT-FLD015 required-value KIT-API002 removed-api KIT-API003 deprecated-api-version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__generate)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help)
            opts="build template chart create validate lint apply diff rules explain generate completion update vendor help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help__subcmd__apply)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help__subcmd__build)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help__subcmd__chart)
            opts="lint"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help__subcmd__chart__subcmd__lint)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help__subcmd__completion)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help__subcmd__create)
            opts="chart"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help__subcmd__create__subcmd__chart)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help__subcmd__diff)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help__subcmd__explain)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help__subcmd__generate)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help__subcmd__lint)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help__subcmd__rules)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help__subcmd__template)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help__subcmd__update)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help__subcmd__validate)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__help__subcmd__vendor)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__lint)
            opts="-f -h --output --fail-on --enable --disable --policy --admission-policy --kubernetes-version --load-restrictor --locked --offline --quiet --config --no-config --release --values --set --set-string --set-file --set-json --set-literal --helm-version --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --output)
                    COMPREPLY=($(compgen -W "text concise json sarif github junit checkstyle tap" -- "${cur}"))
                    return 0
                    ;;
                --fail-on)
                    COMPREPLY=($(compgen -W "error warning info" -- "${cur}"))
                    return 0
                    ;;
                --enable)
                    COMPREPLY=($(compgen -W "all KIT-IMG001 image-tag-latest KIT-IMG002 image-pull-policy-not-always KIT-RES001 cpu-request-missing KIT-RES002 memory-request-missing KIT-RES003 cpu-limit-missing KIT-RES004 memory-limit-missing KIT-RES005 ephemeral-storage-unset KIT-RES006 requests-not-equal-limits KIT-RES007 ephemeral-storage-request-not-equal-limit KIT-PRB001 readiness-probe-missing KIT-PRB002 liveness-probe-missing KIT-PRB003 service-backend-without-readiness KIT-PRB004 identical-liveness-readiness KIT-PRB005 liveness-probe-port-not-exposed KIT-PRB006 readiness-probe-port-not-exposed KIT-PRB007 startup-probe-port-not-exposed KIT-REL001 duplicate-env-var KIT-REL002 invalid-container-port KIT-SEC001 privileged-container KIT-SEC002 privilege-escalation-allowed KIT-SEC003 run-as-root KIT-SEC004 low-user-group-id KIT-SEC005 writable-root-filesystem KIT-SEC006 net-raw-not-dropped KIT-SEC007 drop-all-capabilities-missing KIT-SEC008 dangerous-capabilities-added KIT-SEC009 host-network KIT-SEC010 host-pid KIT-SEC011 host-ipc KIT-SEC012 sensitive-host-path KIT-SEC013 docker-socket-mounted KIT-SEC014 writable-host-path KIT-SEC015 host-port KIT-SEC016 seccomp-profile-missing KIT-SEC017 unsafe-proc-mount KIT-SEC018 unsafe-sysctls KIT-SEC019 default-service-account KIT-SEC020 deprecated-service-account-field KIT-SEC021 secret-in-env KIT-SEC022 secret-from-env KIT-SEC023 ssh-port KIT-SEC024 privileged-port KIT-SEC025 scc-privileged-container KIT-SEC026 default-namespace KIT-RBAC001 rbac-wildcard KIT-RBAC002 cluster-admin-binding KIT-RBAC003 rbac-create-pods KIT-RBAC004 rbac-secrets-access KIT-NET001 service-selects-no-pods KIT-NET002 network-policy-selects-no-pods KIT-NET003 pod-without-network-policy KIT-NET004 service-type-nodeport KIT-NET005 ingress-backend-missing KIT-NET006 hpa-target-missing KIT-REF001 missing-configmap KIT-REF002 missing-secret KIT-REF003 missing-pvc KIT-REF004 missing-service-account KIT-AVL001 pdb-missing KIT-AVL002 pdb-without-policy KIT-AVL003 cronjob-deadline-missing KIT-AVL004 anti-affinity-missing KIT-AVL005 cronjob-restart-policy KIT-AVL006 hpa-target-sets-replicas KIT-AVL020 pdb-max-unavailable-zero KIT-AVL021 pdb-min-available-too-high KIT-REL003 selector-mismatch KIT-REL004 job-ttl-missing KIT-NET007 statefulset-service-name KIT-NET008 network-policy-peer-selects-no-pods KIT-NET009 service-monitor-selects-no-services KIT-NET010 invalid-port-name KIT-STY001 unsorted-keys KIT-API001 deprecated-api KIT-API004 api-version-deprecated KIT-AVL009 replicas-below-three KIT-AVL010 deployment-replicas-below-two KIT-AVL011 hpa-min-replicas-below-three KIT-AVL012 hpa-min-replicas-below-two KIT-AVL013 update-strategy-not-rolling KIT-AVL014 deployment-strategy-not-rolling KIT-AVL015 topology-spread-invalid KIT-AVL016 pdb-eviction-policy-unset KIT-AVL017 priority-class-unknown KIT-AVL018 restart-policy-never KIT-AVL019 node-affinity-missing KIT-REL006 dns-ndots-missing KIT-META001 label-value-invalid KIT-META002 owner-label-missing KIT-META003 email-annotation-missing" -- "${cur}"))
                    return 0
                    ;;
                --disable)
                    COMPREPLY=($(compgen -W "all KIT-IMG001 image-tag-latest KIT-IMG002 image-pull-policy-not-always KIT-RES001 cpu-request-missing KIT-RES002 memory-request-missing KIT-RES003 cpu-limit-missing KIT-RES004 memory-limit-missing KIT-RES005 ephemeral-storage-unset KIT-RES006 requests-not-equal-limits KIT-RES007 ephemeral-storage-request-not-equal-limit KIT-PRB001 readiness-probe-missing KIT-PRB002 liveness-probe-missing KIT-PRB003 service-backend-without-readiness KIT-PRB004 identical-liveness-readiness KIT-PRB005 liveness-probe-port-not-exposed KIT-PRB006 readiness-probe-port-not-exposed KIT-PRB007 startup-probe-port-not-exposed KIT-REL001 duplicate-env-var KIT-REL002 invalid-container-port KIT-SEC001 privileged-container KIT-SEC002 privilege-escalation-allowed KIT-SEC003 run-as-root KIT-SEC004 low-user-group-id KIT-SEC005 writable-root-filesystem KIT-SEC006 net-raw-not-dropped KIT-SEC007 drop-all-capabilities-missing KIT-SEC008 dangerous-capabilities-added KIT-SEC009 host-network KIT-SEC010 host-pid KIT-SEC011 host-ipc KIT-SEC012 sensitive-host-path KIT-SEC013 docker-socket-mounted KIT-SEC014 writable-host-path KIT-SEC015 host-port KIT-SEC016 seccomp-profile-missing KIT-SEC017 unsafe-proc-mount KIT-SEC018 unsafe-sysctls KIT-SEC019 default-service-account KIT-SEC020 deprecated-service-account-field KIT-SEC021 secret-in-env KIT-SEC022 secret-from-env KIT-SEC023 ssh-port KIT-SEC024 privileged-port KIT-SEC025 scc-privileged-container KIT-SEC026 default-namespace KIT-RBAC001 rbac-wildcard KIT-RBAC002 cluster-admin-binding KIT-RBAC003 rbac-create-pods KIT-RBAC004 rbac-secrets-access KIT-NET001 service-selects-no-pods KIT-NET002 network-policy-selects-no-pods KIT-NET003 pod-without-network-policy KIT-NET004 service-type-nodeport KIT-NET005 ingress-backend-missing KIT-NET006 hpa-target-missing KIT-REF001 missing-configmap KIT-REF002 missing-secret KIT-REF003 missing-pvc KIT-REF004 missing-service-account KIT-AVL001 pdb-missing KIT-AVL002 pdb-without-policy KIT-AVL003 cronjob-deadline-missing KIT-AVL004 anti-affinity-missing KIT-AVL005 cronjob-restart-policy KIT-AVL006 hpa-target-sets-replicas KIT-AVL020 pdb-max-unavailable-zero KIT-AVL021 pdb-min-available-too-high KIT-REL003 selector-mismatch KIT-REL004 job-ttl-missing KIT-NET007 statefulset-service-name KIT-NET008 network-policy-peer-selects-no-pods KIT-NET009 service-monitor-selects-no-services KIT-NET010 invalid-port-name KIT-STY001 unsorted-keys KIT-API001 deprecated-api KIT-API004 api-version-deprecated KIT-AVL009 replicas-below-three KIT-AVL010 deployment-replicas-below-two KIT-AVL011 hpa-min-replicas-below-three KIT-AVL012 hpa-min-replicas-below-two KIT-AVL013 update-strategy-not-rolling KIT-AVL014 deployment-strategy-not-rolling KIT-AVL015 topology-spread-invalid KIT-AVL016 pdb-eviction-policy-unset KIT-AVL017 priority-class-unknown KIT-AVL018 restart-policy-never KIT-AVL019 node-affinity-missing KIT-REL006 dns-ndots-missing KIT-META001 label-value-invalid KIT-META002 owner-label-missing KIT-META003 email-annotation-missing" -- "${cur}"))
                    return 0
                    ;;
                --policy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --admission-policy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubernetes-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --load-restrictor)
                    COMPREPLY=($(compgen -W "LoadRestrictionsRootOnly LoadRestrictionsNone" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --release)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --values)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-string)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-literal)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --helm-version)
                    COMPREPLY=($(compgen -W "3 4" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__rules)
            opts="-h --format --output --validate --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --output)
                    COMPREPLY=($(compgen -W "table markdown json" -- "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "table markdown json" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__template)
            opts="-g -f -n -a -s -l -h --name-template --generate-name --values --set --set-string --set-file --set-json --set-literal --namespace --kubeconfig --kube-context --kube-version --api-versions --helm-version --show-only --include-crds --skip-crds --skip-schema-validation --output-dir --release-name --post-renderer --post-renderer-args --debug --validate --dry-run --enable-dns --dependency-update --repo --version --devel --verify --keyring --username --password --ca-file --cert-file --key-file --insecure-skip-tls-verify --plain-http --pass-credentials --repository-config --repository-cache --registry-config --create-namespace --wait --wait-for-jobs --atomic --force --replace --take-ownership --force-conflicts --force-replace --rollback-on-failure --server-side --color --content-cache --disable-openapi-validation --hide-notes --render-subchart-notes --timeout --description --labels --kube-apiserver --kube-as-group --kube-as-user --kube-ca-file --kube-insecure-skip-tls-verify --kube-tls-server-name --kube-token --burst-limit --qps --notes --strict --is-upgrade --no-hooks --skip-tests --locked --offline --quiet --update-lock --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --name-template)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --values)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-string)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-literal)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kube-context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kube-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --api-versions)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -a)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --helm-version)
                    COMPREPLY=($(compgen -W "3 4" -- "${cur}"))
                    return 0
                    ;;
                --show-only)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --post-renderer)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --post-renderer-args)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dry-run)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repo)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --keyring)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --username)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cert-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --key-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-cache)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --registry-config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait)
                    COMPREPLY=($(compgen -W "watcher hookOnly legacy true false" -- "${cur}"))
                    return 0
                    ;;
                --server-side)
                    COMPREPLY=($(compgen -W "1 t T TRUE true True 0 f F FALSE false False" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "never auto always" -- "${cur}"))
                    return 0
                    ;;
                --content-cache)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --description)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --labels)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -l)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kube-apiserver)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kube-as-group)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kube-as-user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kube-ca-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kube-tls-server-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kube-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --burst-limit)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --qps)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__update)
            opts="-h --load-restrictor --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --load-restrictor)
                    COMPREPLY=($(compgen -W "LoadRestrictionsRootOnly LoadRestrictionsNone" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__validate)
            opts="-f -h --kubernetes-version --strict --no-strict --ignore-missing-schemas --crd --output --summary --load-restrictor --locked --offline --quiet --config --no-config --release --values --set --set-string --set-file --set-json --set-literal --helm-version --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --kubernetes-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --crd)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "text concise json sarif github junit checkstyle tap" -- "${cur}"))
                    return 0
                    ;;
                --load-restrictor)
                    COMPREPLY=($(compgen -W "LoadRestrictionsRootOnly LoadRestrictionsNone" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --release)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --values)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-string)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-literal)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --helm-version)
                    COMPREPLY=($(compgen -W "3 4" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kit__subcmd__vendor)
            opts="-h --dir --load-restrictor --offline --quiet --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --load-restrictor)
                    COMPREPLY=($(compgen -W "LoadRestrictionsRootOnly LoadRestrictionsNone" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _kit -o nosort -o bashdefault -o default kit
else
    complete -F _kit -o bashdefault -o default kit
fi
