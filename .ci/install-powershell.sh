#!/usr/bin/env bash
# Installs PowerShell 7 as a .NET global tool and restores Pester from NuGet into .tools/pester:
# `npm run setup` (scripts/setup.mjs, the one place for both versions). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/setup.mjs
