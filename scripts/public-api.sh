#!/usr/bin/env bash
# Re-baselines the public API of the shipped libraries (src/*/PublicAPI.Unshipped.txt) from the code, for after a
# merge or a deliberate public change. Microsoft.CodeAnalysis.PublicApiAnalyzers fails the build (RS0016/RS0017)
# whenever the code's public surface and PublicAPI.Shipped.txt + PublicAPI.Unshipped.txt disagree.
# Usage: scripts/public-api.sh [project-dir ...]   (default: every shipped library under src/)
# Each Unshipped file is emptied (except `*REMOVED*` lines a person wrote for removed shipped APIs), then RS0016's
# code fix ("add to the public API") is applied by `dotnet format analyzers`, which lists every public symbol that
# PublicAPI.Shipped.txt does not. Review the diff: every line is a promise to the package's users.
# At a release, move the Unshipped lines into PublicAPI.Shipped.txt (see CONTRIBUTING.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ $# -eq 0 ]; then
  set -- src/Rotor src/Rotor.Sqlite src/Rotor.PostgreSql src/Rotor.OpenApi src/Rotor.Client
fi
for dir in "$@"; do
  dir=${dir%/}
  project=$(ls "$dir"/*.csproj)
  unshipped="$dir/PublicAPI.Unshipped.txt"
  [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  { echo '#nullable enable'; grep '^\*REMOVED\*' "$unshipped" 2>/dev/null || true; } > "$unshipped.new"
  mv "$unshipped.new" "$unshipped"
  # RS0016 is the only diagnostic fixed here: the sources are not touched, only the Unshipped file. The fix-all run
  # now and then leaves a project's symbols out, so the build checks the result and the fix runs again if needed.
  for attempt in 1 2 3; do
    dotnet format analyzers "$project" --diagnostics RS0016 --severity warn >/dev/null 2>&1 || true
    if dotnet build "$project" -c Release -nologo -v q -p:TreatWarningsAsErrors=false 2>&1 | grep -qE 'RS001[67]'; then
      [ "$attempt" -lt 3 ] || { echo "$unshipped: RS0016/RS0017 remain after 3 runs; build $project to see them." >&2; exit 1; }
    else
      break
    fi
  done
  # The code fix appends in discovery order; sorted lines keep merges of two branches' additions simple.
  { head -n 1 "$unshipped"; tail -n +2 "$unshipped" | LC_ALL=C sort -u; } > "$unshipped.new"
  mv "$unshipped.new" "$unshipped"
  echo "$unshipped: $(($(wc -l < "$unshipped") - 1)) entries"
done
git -c core.pager=cat diff --stat -- 'src/*/PublicAPI.*.txt' || true
