#!/usr/bin/env bash
# Runs the EF Core command-line tool (the same ef.dll that `dotnet ef` wraps) against src/Rotor.Host.
# Usage: scripts/ef.sh migrations add <Name>      (or any other `dotnet ef` command)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
project="$root/src/Rotor.Host"
dotnet build "$project" -c Debug -p:SkipWebBuild=true -nologo -v q >/dev/null
version=$(sed -n 's/.*<EfCoreVersion>\(.*\)<\/EfCoreVersion>.*/\1/p' "$root/Directory.Packages.props")
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
ef="$packages/microsoft.entityframeworkcore.tools/$version/tools/net8.0/any/ef.dll"
[ -f "$ef" ] || { echo "ef.dll not found at $ef: restore src/Rotor.Host first (it references Microsoft.EntityFrameworkCore.Tools)." >&2; exit 1; }
out="$project/bin/Debug/net10.0"
exec dotnet exec --depsfile "$out/Rotor.Host.deps.json" --runtimeconfig "$out/Rotor.Host.runtimeconfig.json" \
  --additionalprobingpath "$packages" "$ef" "$@" \
  --assembly "$out/Rotor.Host.dll" --startup-assembly "$out/Rotor.Host.dll" \
  --project-dir "$project/" --root-namespace Rotor.Host --language C# --framework net10.0 --working-dir "$project" \
  --data-dir "$project/obj/ef"
