#!/bin/sh
# test_tui_filter_sort.sh: the tables of a database filtered (/,
# incremental, kept after Enter, cleared by Esc) and sorted (S largest
# first, S again inverts, > moves to the next column), in tmux at 80x24.
# (One of the test_tui_*.sh scripts, one per behaviour, so that a failure
# names its screen; demo_lib.sh gives the demo lake and the command lines.)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/demo_lib.sh"

# --- 80x24, the tables of sales ------------------------------------------
start 80 24 "$RUN"
wait_for "weblogs"
# sales is the 4th database in name order (census, marketing_app, music, sales)
keys j j j Enter
wait_for "order_items"

keys /
check "filter prompt" "Filter: _"
keys o r d
check "incremental filter shows orders" "raw_orders"
check_absent "filter hides customers" "customers"
keys Enter
check "filter kept after Enter" "Filter: ord"
keys Escape
check "Esc clears the filter" "customers"

# S sorts a figure largest first (htop's rule), S again inverts
keys S
check "sort by size: arrow on Size" "▼Size"
first=$(screen | sed -n 3p)
case "$first" in
*orders*) ok "largest table first after sorting by size" ;;
*) notok "largest table first after sorting by size (row: $first)" ;;
esac
keys S
check "S again inverts the sort" "▲Size"
first=$(screen | sed -n 3p)
case "$first" in
*products*) ok "smallest table first after inverting" ;;
*) notok "smallest table first after inverting (row: $first)" ;;
esac
keys '>'
check "> moves the sort to the next column, largest first" "▼Files"

keys q
check "quits" "EXITED 0"
stop
