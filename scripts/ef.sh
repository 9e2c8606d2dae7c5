#!/usr/bin/env bash
# Runs the EF Core command-line tool (the same ef.dll that `dotnet ef` wraps) against src/Rotor.Host.
# Each provider has its own context type and migrations (Data/Migrations/Sqlite, Data/Migrations/PostgreSql):
# Usage: scripts/ef.sh sqlite|postgresql migrations add <Name>   (or any other `dotnet ef` command)
#        scripts/ef.sh all migrations add <Name>                 (the same migration for every provider)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
case "${1:-}" in
  all) shift; "$0" sqlite "$@" && exec "$0" postgresql "$@" ;;
  sqlite|Sqlite) shift; context=SqliteRotorDbContext; folder=Sqlite ;;
  postgresql|PostgreSql|postgres) shift; context=PostgreSqlRotorDbContext; folder=PostgreSql ;;
  *) echo "Usage: scripts/ef.sh sqlite|postgresql|all <dotnet ef arguments>, e.g. scripts/ef.sh all migrations add AddThing" >&2; exit 2 ;;
esac
extra=(--context "$context")
if [ "${1:-}" = migrations ] && [ "${2:-}" = add ] && [[ " $* " != *" --output-dir "* && " $* " != *" -o "* ]]; then
  extra+=(--output-dir "Data/Migrations/$folder")
fi
project="$root/src/Rotor.Host"
dotnet build "$project" -c Debug -p:SkipWebBuild=true -nologo -v q >/dev/null
version=$(sed -n 's/.*<EfCoreVersion>\(.*\)<\/EfCoreVersion>.*/\1/p' "$root/Directory.Packages.props")
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
ef="$packages/microsoft.entityframeworkcore.tools/$version/tools/net8.0/any/ef.dll"
[ -f "$ef" ] || { echo "ef.dll not found at $ef: restore src/Rotor.Host first (it references Microsoft.EntityFrameworkCore.Tools)." >&2; exit 1; }
out="$project/bin/Debug/net10.0"
exec dotnet exec --depsfile "$out/Rotor.Host.deps.json" --runtimeconfig "$out/Rotor.Host.runtimeconfig.json" \
  --additionalprobingpath "$packages" "$ef" "$@" "${extra[@]}" \
  --assembly "$out/Rotor.Host.dll" --startup-assembly "$out/Rotor.Host.dll" \
  --project-dir "$project/" --root-namespace Rotor.Host --language C# --framework net10.0 --working-dir "$project" \
  --data-dir "$project/obj/ef"
