# What a fix or undo run of the fix framework (RdpHealth.Fix.psm1) reports: the machine-readable lines
#   RDPHEALTH:PLANNED {"target":"...","action":"..."}
#   RDPHEALTH:RESULT {"schema":1,"fixId":"...","ok":true,...}
# the result file and undo record in the fix folder, and the exit codes. The schema version and exit
# codes are exported as variables for RdpHealth.FixRun.psm1 and RdpHealth.FixUndoRecord.psm1 only
# (RdpHealth.Fix.psm1 re-exports functions, never these).
# Windows PowerShell 5.1 syntax only: this file runs elevated on every Windows host as shipped.

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixFolder.psm1')

$script:FixSchemaVersion = 1
$script:LinePrefix = 'RDPHEALTH:'
# Exit codes of a fix / undo run (the launcher passes them on; 1223 is the launcher's "UAC declined").
$script:FixExitCodes = @{ Ok = 0; Failed = 1; Blocked = 2; RestoreIncomplete = 3 }

function Write-RdpFixLine {
    <#
    .SYNOPSIS
    One machine-readable output line: RDPHEALTH:<KIND> <compressed JSON>.
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][ValidateSet('PLANNED', 'RESULT')][string]$Kind, [Parameter(Mandatory)]$Document)
    "$($script:LinePrefix)$Kind $(ConvertTo-Json -InputObject $Document -Depth 10 -Compress)"
}

function Write-RdpFixResult {
    <#
    .SYNOPSIS
    Prints the run's PLANNED lines and its RESULT line; writes the result file (and an undo record when
    -UndoSteps is not empty) unless the run was -WhatIf or the fix folder could not be prepared.
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]$Fix,
        [Parameter(Mandatory)][System.Collections.IDictionary]$Result,
        [Parameter(Mandatory)][ValidateSet('result', 'undo-result')][string]$Kind,
        [AllowEmptyCollection()][object[]]$UndoSteps = @(),
        [bool]$WriteFiles = $true
    )
    if ($WriteFiles -and -not $Fix.WhatIf) {
        # A user-scope fix runs unelevated: its records stay the user's own (only an elevated run can give them to Administrators).
        $adminOwned = (Get-RdpFixScope -RecordId $Fix.RecordId) -eq 'Machine'
        try {
            if ($UndoSteps.Count -gt 0) {
                $record = [ordered]@{
                    schema = $script:FixSchemaVersion; recordId = $Fix.RecordId; fixId = $Fix.FixId
                    createdAt = $Result['finishedAt']; computer = [string]$env:COMPUTERNAME; steps = @($UndoSteps)
                }
                Write-RdpFixJsonFile -Path (Get-RdpFixFilePath -RecordId $Fix.RecordId -Kind 'undo') -Document $record -AdminOwned:$adminOwned
            }
            Write-RdpFixJsonFile -Path (Get-RdpFixFilePath -RecordId $Fix.RecordId -Kind $Kind) -Document $Result -AdminOwned:$adminOwned
        } catch {
            # Said on the result line; the agent then reports what it could not keep.
            $Result['ok'] = $false
            $Result['error'] = [ordered]@{ kind = (Get-RdpErrorKind -ErrorRecord $_); message = "The result could not be saved: $($_.Exception.Message)" }
        }
    }
    foreach ($planned in $Fix.Planned) { Write-RdpFixLine -Kind 'PLANNED' -Document $planned }
    Write-RdpFixLine -Kind 'RESULT' -Document $Result
}

Export-ModuleMember -Function Write-RdpFixLine, Write-RdpFixResult -Variable FixSchemaVersion, FixExitCodes
