#!/usr/bin/env bash
# Installs PowerShell 7.6.9 as a .NET global tool and restores Pester from NuGet into
# .tools/pester (where test/pester/run.ps1 imports it from). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ ! -x "$HOME/.dotnet/tools/pwsh" ]; then
  dotnet tool install --global PowerShell --version 7.6.9
fi

pester_version=5.7.1
if [ ! -f ".tools/pester/pester/$pester_version/tools/Pester.psd1" ]; then
  work=$(mktemp -d)
  cat > "$work/restore.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$pester_version]" /></ItemGroup>
</Project>
XML
  dotnet restore "$work/restore.csproj" --packages "$PWD/.tools/pester" >/dev/null
  rm -rf "$work"
fi
test -f ".tools/pester/pester/$pester_version/tools/Pester.psd1"
