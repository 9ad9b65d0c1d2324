# Dot-sourced by every Pester test: the simulated host and a way to run a shipped probe script on a
# scenario. Each call gets its own working copy, so tests never share or change the shipped files.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
Import-Module (Join-Path $script:RepoRoot 'sim/RdpHealth.Sim.psm1') -Global -Force

function Invoke-SimProbe {
    <# Runs probes/<Script> on a fresh working copy of the scenario; returns the parsed envelope. #>
    param(
        [Parameter(Mandatory)][string]$Script,
        [Parameter(Mandatory)][string]$Scenario,
        [hashtable]$Parameters = @{},
        # Who the probe runs as (sim/shadows/Identity.ps1); else the scenario's (shipped ones: system).
        [string]$Identity
    )
    $identityArgument = @{}
    if ($Identity) { $identityArgument['Identity'] = $Identity }
    $state = Initialize-SimHost -Scenario $Scenario @identityArgument
    try {
        $json = & (Join-Path $script:RepoRoot "probes/$Script") @Parameters
        $json | ConvertFrom-Json
    } finally {
        Remove-Item -LiteralPath $state -ErrorAction SilentlyContinue
    }
}

function New-SimScenarioFile {
    <# A scenario file in TestDrive that extends a shipped one with a patch (for one-off cases). #>
    param([Parameter(Mandatory)][string]$Extends, [Parameter(Mandatory)][hashtable]$Patch, [string]$Name = 'case')
    $path = Join-Path $TestDrive "$Name.json"
    @{ description = "test case extending $Extends"; extends = $Extends; patch = $Patch } | ConvertTo-Json -Depth 64 | Set-Content -LiteralPath $path
    $path
}
