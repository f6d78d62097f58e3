#!/usr/bin/env bash
# Infrastructure checks: compile infra/main.bicep and lint it with bicepconfig.json's rules (errors fail).
# The Bicep CLI comes from the NuGet package Azure.Bicep.CommandLine.linux-x64, restored like any package.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet restore tests/Newsroom.InfraTests --verbosity quiet
bicep=$(dotnet msbuild tests/Newsroom.InfraTests -getProperty:BicepPath)
chmod +x "$bicep"
"$bicep" --version
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bicep" build infra/main.bicep --outfile "$out/main.json"
"$bicep" lint infra/main.bicep
echo "infra: bicep build and lint passed ($(wc -c < "$out/main.json") bytes of ARM JSON)"
