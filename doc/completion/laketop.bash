# bash completion for laketop: subcommands, options, and the names a
# command takes (themes, AWS profiles, formats, views, the config's
# crawlers, jobs and sync rules), asked of laketop itself with its hidden
# `laketop complete KIND` (it reads the config, never the lake or the
# network). Installed as share/bash-completion/completions/laketop.

# _laketop_names KIND: the names, with the --config and --themes-dir the
# line gives.
_laketop_names() {
    local bin=${COMP_WORDS[0]} i
    local -a given=()
    for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
        case ${COMP_WORDS[i]} in
        -c | --config | --themes-dir) given+=("${COMP_WORDS[i]}" "${COMP_WORDS[i + 1]}") ;;
        --config=* | --themes-dir=*) given+=("${COMP_WORDS[i]}") ;;
        esac
    done
    "$bin" "${given[@]}" complete "$1" 2>/dev/null
}

# _laketop_reply WORD...: the words that start with the current one.
_laketop_reply() {
    local cur=${COMP_WORDS[COMP_CWORD]} w
    COMPREPLY=()
    for w in "$@"; do
        [[ $w == "$cur"* ]] && COMPREPLY+=("$w")
    done
}

_laketop() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev="" i w sub="" args=0
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    local with_value=" -l -i -t -c -f $(_laketop_names argument-options | tr '\n' ' ') "
    # the subcommand: the first word that is neither an option nor its value
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if [[ $w == -* ]]; then
            [[ $with_value == *" $w "* ]] && ((i++))
        elif [[ -z $sub ]]; then
            sub=$w
        else
            ((args++))
        fi
    done
    case $prev in
    -t | --theme)
        mapfile -t COMPREPLY < <(compgen -W "$(_laketop_names themes)" -- "$cur")
        return
        ;;
    --profile)
        mapfile -t COMPREPLY < <(compgen -W "$(_laketop_names profiles)" -- "$cur")
        return
        ;;
    -f | --format)
        if [[ $sub == check ]]; then _laketop_reply text prometheus; else _laketop_reply json csv table; fi
        return
        ;;
    --view)
        mapfile -t COMPREPLY < <(compgen -W "$(_laketop_names views)" -- "$cur")
        return
        ;;
    -l | --lake | --themes-dir)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return
        ;;
    -c | --config)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return
        ;;
    esac
    if [[ $with_value == *" $prev "* ]]; then
        COMPREPLY=() # a value to type: a time, a number, a URL...
        return
    fi
    if [[ $sub == demo ]]; then
        if [[ $cur == -* ]]; then
            _laketop_reply --days --extra-tables --extra-files --help
        else
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        fi
        return
    fi
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_laketop_names options) -h -V" -- "$cur")
        return
    fi
    if ((args > 0)); then
        COMPREPLY=()
        return
    fi
    case $sub in
    "") mapfile -t COMPREPLY < <(compgen -W "$(_laketop_names commands)" -- "$cur") ;;
    crawl) mapfile -t COMPREPLY < <(compgen -W "$(_laketop_names crawlers)" -- "$cur") ;;
    job) mapfile -t COMPREPLY < <(compgen -W "$(_laketop_names jobs)" -- "$cur") ;;
    sync) mapfile -t COMPREPLY < <(compgen -W "$(_laketop_names rules)" -- "$cur") ;;
    backup | export | restore)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        ;;
    *) COMPREPLY=() ;;
    esac
}
complete -F _laketop laketop
