# Sourced by the before/after scripts (coverage-ab.sh, cpu-ab.sh) once $here and $base are set:
# builds $base in a throw-away git worktree ($tree) and this tree's jar, makes a scratch folder
# ($out, with $results in it), and removes both on exit.
tree=$(mktemp -d)
out=$(mktemp -d)
trap 'git -C "$here" worktree remove --force "$tree" >/dev/null 2>&1 || true; rm -rf "$out"' EXIT
git worktree add -q --detach "$tree" "$base"
(cd "$tree" && mvn -q -B -ntp -DskipTests package -pl actors -am)
./gmemsim list >/dev/null   # build this tree's jar
results="$out/results.txt"
