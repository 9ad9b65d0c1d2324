# Dot-sourced by the fix tests (after ../SimHost.ps1): run a shipped fix or undo script on a working
# copy of a scenario, with the fix folder in TestDrive, and read back what it printed and wrote.

function Initialize-FixTestHost {
    <# A fresh working copy of the scenario and an empty fix folder; returns both paths. #>
    param([Parameter(Mandatory)][string]$Scenario, [string]$Identity)
    $fixRoot = Join-Path $TestDrive ('fixes-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    $env:RDP_HEALTH_FIX_ROOT = $fixRoot
    $identityArgument = @{}
    if ($Identity) { $identityArgument['Identity'] = $Identity }
    $statePath = Initialize-SimHost -Scenario $Scenario @identityArgument -StatePath (Join-Path $TestDrive ('host-' + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.json'))
    [PSCustomObject]@{ StatePath = $statePath; FixRoot = $fixRoot }
}

function ConvertFrom-FixOutput {
    <# The RDPHEALTH lines of a run: PLANNED documents and the RESULT document. #>
    param([AllowEmptyCollection()][object[]]$Lines)
    $planned = @(); $result = $null
    foreach ($line in $Lines) {
        if ($line -isnot [string]) { continue }
        if ($line.StartsWith('RDPHEALTH:PLANNED ')) { $planned += ($line.Substring(18) | ConvertFrom-Json) }
        if ($line.StartsWith('RDPHEALTH:RESULT ')) { $result = $line.Substring(17) | ConvertFrom-Json }
    }
    [PSCustomObject]@{ Planned = $planned; Result = $result }
}

function Invoke-FixScript {
    <# Runs probes/<Script> with the parameters on the current working copy; output, result and exit code. #>
    param([Parameter(Mandatory)][string]$Script, [hashtable]$Parameters = @{})
    $global:LASTEXITCODE = 0
    $lines = @(& (Join-Path $script:RepoRoot "probes/$Script") @Parameters)
    $exitCode = $global:LASTEXITCODE
    $parsed = ConvertFrom-FixOutput -Lines $lines
    [PSCustomObject]@{ Lines = $lines; Planned = $parsed.Planned; Result = $parsed.Result; ExitCode = $exitCode }
}

function Invoke-FixProbe {
    <# Runs a Get- probe script on the current working copy; the parsed envelope. #>
    param([Parameter(Mandatory)][string]$Script)
    (& (Join-Path $script:RepoRoot "probes/$Script")) | ConvertFrom-Json
}

function Get-FixHostText {
    <# The working copy as text, for before/after comparisons. #>
    Get-Content -LiteralPath $env:RDP_HEALTH_SIM_STATE -Raw
}

function Get-HostStateText {
    <# The whole working copy without the fault section and its call counters. #>
    $state = Get-SimState
    foreach ($key in 'faults', 'faultCounters') { if ($state.Contains($key)) { $state.Remove($key) } }
    ConvertTo-Json -InputObject $state -Depth 64
}

function Get-FixHostSection {
    <# The registry and CIM sections of the working copy as JSON (fault counters excluded). #>
    $state = Get-SimState
    ConvertTo-Json -InputObject ([ordered]@{ registry = $state['registry']; cim = $state['cim'] }) -Depth 64
}

function Set-FixHostFault {
    <# Adds (or with -Remove, clears) a fault in the working copy. #>
    param([Parameter(Mandatory)][string]$Command, [hashtable]$Fault, [switch]$Remove)
    $state = Get-SimState
    if (-not $state.Contains('faults')) { $state['faults'] = [ordered]@{} }
    if ($Remove) { $state['faults'].Remove($Command) } else { $state['faults'][$Command] = $Fault }
    Save-SimState -State $state
}
