# The simulated Windows host (a seam, DESIGN.md). Imported with -Global into a pwsh session, its
# functions shadow the Windows cmdlets and provider paths the probe and fix scripts use: same
# names, same parameter names, same output property names. Host state is a scenario JSON file,
# resolved into a working copy ($env:RDP_HEALTH_SIM_STATE) that fixes write back to.
# Never shipped; runs on PowerShell 7 only.

Set-StrictMode -Version 3.0

$script:ScenarioFolder = Join-Path $PSScriptRoot 'scenarios'
$script:StateCache = $null
$script:StateStamp = $null

# ---------------------------------------------------------------- scenario and state

function Resolve-SimScenarioPath {
    <# A shipped scenario name (sim/scenarios/<name>.json) or a path to a scenario file. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Scenario)
    if (Test-Path -LiteralPath $Scenario -PathType Leaf) { return (Resolve-Path -LiteralPath $Scenario).Path }
    $named = Join-Path $script:ScenarioFolder "$Scenario.json"
    if (Test-Path -LiteralPath $named -PathType Leaf) { return $named }
    $known = (Get-ChildItem -LiteralPath $script:ScenarioFolder -Filter '*.json' | ForEach-Object BaseName) -join ', '
    throw "Unknown scenario '$Scenario': give a path to a scenario file or one of: $known"
}

function Merge-SimObject {
    <# Deep merge: objects merge key by key, anything else replaces; a null in the patch deletes. #>
    param($Base, $Patch)
    # The comma keeps an array (empty or one-element) an array on the way out.
    if ($Patch -isnot [System.Collections.IDictionary] -or $Base -isnot [System.Collections.IDictionary]) { return , $Patch }
    $merged = [ordered]@{}
    foreach ($key in $Base.Keys) { $merged[$key] = $Base[$key] }
    foreach ($key in $Patch.Keys) {
        if ($null -eq $Patch[$key]) { $merged.Remove($key); continue }
        if ($merged.Contains($key)) { $merged[$key] = Merge-SimObject $merged[$key] $Patch[$key] }
        else { $merged[$key] = $Patch[$key] }
    }
    $merged
}

function Read-SimScenario {
    <# A scenario with its `extends` chain resolved: { description, host state... }. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Path, [int]$Depth = 0)
    if ($Depth -gt 8) { throw "Scenario '$Path' extends too deeply (a cycle?)" }
    $raw = Get-Content -LiteralPath $Path -Raw | ConvertFrom-Json -AsHashtable -Depth 64
    $state = $raw
    if ($raw.Contains('extends')) {
        $basePath = Resolve-SimScenarioPath -Scenario $raw['extends']
        $base = Read-SimScenario -Path $basePath -Depth ($Depth + 1)
        $patch = if ($raw.Contains('patch')) { $raw['patch'] } else { [ordered]@{} }
        $state = Merge-SimObject $base $patch
        $state['description'] = $raw['description']
    }
    $state.Remove('extends'); $state.Remove('patch')
    # Keys starting with _ are notes for readers (healthy.json's _sources), not host state.
    foreach ($note in @($state.Keys | Where-Object { $_ -like '_*' })) { $state.Remove($note) }
    $state
}

function Initialize-SimHost {
    <#
    .SYNOPSIS
    Resolves a scenario into a working copy and points this session's simulated host at it.
    .OUTPUTS
    System.String: the path of the working copy.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$Scenario,
        [string]$StatePath = (Join-Path ([System.IO.Path]::GetTempPath()) "rdp-health-sim-$PID-$([guid]::NewGuid().ToString('N')).json"),
        # Who the checks run as (shadows/Identity.ps1), written into the copy's host.identity; else the scenario's.
        [ValidateSet('system', 'elevated-admin', 'uac-admin', 'standard-user')][string]$Identity
    )
    $state = Read-SimScenario -Path (Resolve-SimScenarioPath -Scenario $Scenario)
    $state['startedAt'] = [datetime]::UtcNow.ToString('o')
    if ($Identity) {
        if ($state['host'] -isnot [System.Collections.IDictionary]) { $state['host'] = [ordered]@{} }
        $state['host']['identity'] = $Identity
    }
    Set-Content -LiteralPath $StatePath -Value ($state | ConvertTo-Json -Depth 64) -Encoding utf8NoBOM
    Use-SimHost -StatePath $StatePath
    $StatePath
}

function Use-SimHost {
    <# Points this session at an existing working copy (e.g. one the agent made); -Identity: this session's own identity. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$StatePath,
        [ValidateSet('system', 'elevated-admin', 'uac-admin', 'standard-user')][string]$Identity
    )
    $env:RDP_HEALTH_SIM_STATE = (Resolve-Path -LiteralPath $StatePath).Path
    if ($Identity) { $env:RDP_HEALTH_SIM_IDENTITY = $Identity }
    $script:StateCache = $null
    $state = Get-SimState
    if ($state.Contains('env')) { foreach ($name in $state['env'].Keys) { Set-Item -Path "env:$name" -Value $state['env'][$name] } }
}

function Get-SimState {
    <# The working copy as nested ordered dictionaries, re-read when the file changes. #>
    [CmdletBinding()]
    param()
    $path = $env:RDP_HEALTH_SIM_STATE
    if (-not $path) { throw 'The simulated host has no state: call Initialize-SimHost first.' }
    $file = Get-Item -LiteralPath $path
    $stamp = "$($file.LastWriteTimeUtc.Ticks):$($file.Length)"
    if ($null -eq $script:StateCache -or $script:StateStamp -ne $stamp) {
        $script:StateCache = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json -AsHashtable -Depth 64
        $script:StateStamp = $stamp
    }
    $script:StateCache
}

function Save-SimState {
    <# Writes the working copy back (temp file + move, so a reader never sees half a file). #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$State)
    $path = $env:RDP_HEALTH_SIM_STATE
    $temp = "$path.$PID.tmp"
    Set-Content -LiteralPath $temp -Value ($State | ConvertTo-Json -Depth 64) -Encoding utf8NoBOM
    Move-Item -LiteralPath $temp -Destination $path -Force
    $script:StateCache = $null
}

function Get-SimSection {
    <# A section of the state by key path (e.g. 'firewall','rules'); an empty dictionary when absent. #>
    param([Parameter(Mandatory)][string[]]$Key, $State = (Get-SimState))
    $node = $State
    foreach ($part in $Key) {
        if ($node -isnot [System.Collections.IDictionary] -or -not $node.Contains($part)) { return [ordered]@{} }
        $node = $node[$part]
    }
    $node
}

function Find-SimStateKey {
    <# The stored spelling of a key of a dictionary, case-insensitively, or $null. #>
    param($Table, [string]$Name)
    if ($Table -isnot [System.Collections.IDictionary]) { return $null }
    foreach ($key in @($Table.Keys)) { if ($key -ieq $Name) { return $key } }
    $null
}

function ConvertTo-SimDate {
    <# Scenario dates: ISO 8601, or relative to now as 'now', 'now+5d', 'now-400d', 'now-2h'. #>
    param([Parameter(Mandatory)][string]$Value)
    if ($Value -match '^now(?:([+-]\d+(?:\.\d+)?)([dhm]))?$') {
        $now = [datetime]::Now
        if (-not $Matches[1]) { return $now }
        $amount = [double]$Matches[1]
        switch ($Matches[2]) { 'd' { return $now.AddDays($amount) } 'h' { return $now.AddHours($amount) } 'm' { return $now.AddMinutes($amount) } }
    }
    [datetime]::Parse($Value, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::RoundtripKind)
}

# ---------------------------------------------------------------- fault injection

# What a CIM call throws when WMI answers WBEM_E_INVALID_OPERATION (0x80041016), e.g. a
# Win32_TSGeneralSetting setter under a policy: a CimException carrying that HRESULT.
class SimWbemInvalidOperationException : Microsoft.Management.Infrastructure.CimException {
    SimWbemInvalidOperationException([string]$Message) : base($Message) { $this.HResult = -2147217386 }
}

function Invoke-SimFault {
    <#
    Faults named in the scenario's `faults` section, by command name: { "kind": "hang" | "access-denied"
    | "not-found" | "wbem-invalid-operation" | "error", "seconds": n, "after": n, "times": n }. `after` lets the first n calls
    through (a fix that fails half way); `times` fails only that many calls, then lets calls through
    again (a transient failure: the rollback that follows succeeds). Called first thing by every shadow.
    #>
    param([Parameter(Mandatory)][string]$Command)
    $faults = Get-SimSection -Key 'faults'
    if (-not $faults.Contains($Command)) { return }
    $fault = $faults[$Command]
    if ($fault.Contains('after') -or $fault.Contains('times')) {
        $counterKey = "calls:$Command"
        $state = Get-SimState
        if (-not $state.Contains('faultCounters')) { $state['faultCounters'] = [ordered]@{} }
        $calls = 0
        if ($state['faultCounters'].Contains($counterKey)) { $calls = [int]$state['faultCounters'][$counterKey] }
        $state['faultCounters'][$counterKey] = $calls + 1
        Save-SimState -State $state
        $after = 0
        if ($fault.Contains('after')) { $after = [int]$fault['after'] }
        if ($calls -lt $after) { return }
        if ($fault.Contains('times') -and $calls -ge $after + [int]$fault['times']) { return }
    }
    switch ($fault['kind']) {
        'hang' { Start-Sleep -Seconds $(if ($fault.Contains('seconds')) { [int]$fault['seconds'] } else { 3600 }) }
        'access-denied' { throw [System.UnauthorizedAccessException]::new("Access is denied. (simulated: $Command)") }
        'not-found' { throw [System.Management.Automation.ItemNotFoundException]::new("Not found. (simulated: $Command)") }
        'wbem-invalid-operation' { throw [SimWbemInvalidOperationException]::new("Invalid operation (simulated: $Command)") }
        default { throw [System.InvalidOperationException]::new("Simulated failure in $Command") }
    }
}

# ---------------------------------------------------------------- shadows, one file per area

foreach ($file in Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'shadows') -Filter '*.ps1' | Sort-Object Name) {
    . $file.FullName
}

Export-ModuleMember -Function *
