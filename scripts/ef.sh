#!/usr/bin/env bash
# Runs `dotnet ef` (the local tool in .config/dotnet-tools.json) against src/Rotor.Host.
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
# dotnet-ef comes from the repository's tool manifest (.config/dotnet-tools.json), at the EF Core version the projects use.
(cd "$root" && dotnet tool restore >/dev/null)
# Built here without the demo app (npm), then `dotnet ef --no-build` runs the same output.
dotnet build "$project" -c Debug -p:SkipWebBuild=true -nologo -v q >/dev/null
cd "$root"
exec dotnet tool run dotnet-ef "$@" "${extra[@]}" --project "$project" --startup-project "$project" \
  --configuration Debug --framework net10.0 --no-build
