# The probe contract, checked the same way on any host: every shipped Get-Rdp*.ps1 runs in this
# shell, prints one envelope and writes nothing to the error stream, and the envelope validates
# against the JSON Schema generated from the probe's zod schema (scripts/envelope-schemas.ts).
# Dot-sourced by test/pester/contract (the simulated host, here) and test/pester/realhost
# (the Windows runner itself, in Windows PowerShell 5.1 and PowerShell 7).
$script:ContractRepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path

function Get-ShippedProbeScript {
    <#
    Every host probe script that ships: probes/<probe-id>/Get-Rdp*.ps1 (never the simulated host; the
    client-side readers in probes/client are not host probes and have their own schemas and tests).
    #>
    Get-ChildItem -LiteralPath (Join-Path $script:ContractRepoRoot 'probes') -Directory |
        Where-Object { @('common', 'client') -notcontains $_.Name } |
        ForEach-Object { Get-ChildItem -LiteralPath $_.FullName -Filter 'Get-Rdp*.ps1' -File } |
        ForEach-Object { [pscustomobject]@{ Probe = $_.Directory.Name; Path = $_.FullName } }
}

function Invoke-ProbeForContract {
    <# Runs one probe script; saves what it printed as <OutDir>/<probe>.json; returns its error records. #>
    param([Parameter(Mandatory)]$Probe, [Parameter(Mandatory)][string]$OutDir)
    $output = @(& $Probe.Path 2>&1)
    $errors = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    $printed = ($output | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | ForEach-Object { "$_" }) -join "`n"
    [System.IO.File]::WriteAllText((Join-Path $OutDir "$($Probe.Probe).json"), $printed)
    [pscustomobject]@{ Probe = $Probe.Probe; Printed = $printed; Errors = $errors }
}

function Test-EnvelopeDirectory {
    <#
    Validates every <probe>.json in the folders with the generated schemas (one Node process for all);
    returns, per folder path, a hashtable probe id -> { probe, valid, errors }.
    #>
    param([Parameter(Mandatory)][string[]]$Directory)
    Push-Location -LiteralPath $script:ContractRepoRoot
    try {
        $lines = @(& node --import tsx scripts/envelope-schemas.ts validate @Directory 2>&1)
    } finally {
        Pop-Location
    }
    $results = @{}
    foreach ($folder in $Directory) { $results[$folder] = @{} }
    foreach ($line in $lines) {
        $text = "$line"
        if (-not $text.StartsWith('{')) { throw "The envelope validator failed: $($lines -join ' ')" }
        $result = $text | ConvertFrom-Json
        $results[(Split-Path -Parent $result.file)][$result.probe] = $result
    }
    $results
}
