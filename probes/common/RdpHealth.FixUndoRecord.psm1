# Undoing a saved undo record of the fix framework (RdpHealth.Fix.psm1), as Undo-RdpFix.ps1 does: the
# steps a fix left in <fix folder>\<RecordId>.undo.json are restored newest first, once, and reported
# like a fix run (PLANNED / RESULT lines, <RecordId>.undo-result.json, the same exit codes).
# Windows PowerShell 5.1 syntax only: this file runs elevated on every Windows host as shipped.

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixFolder.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixResult.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixRun.psm1')

function Start-RdpFixUndo {
    <#
    .SYNOPSIS
    Starts the undo of a record: the context Invoke-RdpFixUndo takes (like Start-RdpFix for a fix).
    .OUTPUTS
    PSCustomObject: the run.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][ValidatePattern('^[0-9]{8}T[0-9]{6}Z-[a-z0-9-]+_[a-z0-9-]+-[0-9a-f]{8}$')][string]$RecordId,
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet]$Cmdlet
    )
    $fixId = Get-RdpFixIdOfRecord -RecordId $RecordId
    Start-RdpFix -FixId $fixId -Cmdlet $Cmdlet -RecordId $RecordId
}

function Invoke-RdpFixUndo {
    <#
    .SYNOPSIS
    Restores an undo record (newest step first), writes <record>.undo-result.json, prints the PLANNED /
    RESULT lines and sets $Fix.ExitCode (as for a fix). A record is undone once.
    .OUTPUTS
    System.String: RDPHEALTH:PLANNED lines, then one RDPHEALTH:RESULT line.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Fix)
    $RecordId = $Fix.RecordId
    $Cmdlet = $Fix.Cmdlet
    $fixId = $Fix.FixId
    $errorInfo = $null
    $leftOver = New-Object System.Collections.ArrayList
    $folderReady = $false
    $scope = Get-RdpFixScope -RecordId $RecordId
    try {
        $recordPath = Get-RdpFixFilePath -RecordId $RecordId -Kind 'undo'
        $resultPath = Get-RdpFixFilePath -RecordId $RecordId -Kind 'undo-result'
        if (-not (Test-Path -LiteralPath $recordPath)) { throw (New-RdpProbeError -Kind 'not-found' -Message "There is no undo record $RecordId.") }
        if (Test-RdpWindowsHost) {
            # Only a record an administrator (or SYSTEM) wrote, in a real admin-owned folder, is restored
            # (a user-scope record: one the user wrote, in the user's own folder, undone with the user's rights).
            Assert-RdpFixItemTrusted -Path (Get-RdpFixRoot -Scope $scope) -Scope $scope
            Assert-RdpFixItemTrusted -Path $recordPath -Scope $scope
        }
        if (-not $fix.WhatIf) { $null = Initialize-RdpFixFolder -Scope $scope; $folderReady = $true }
        if (Test-Path -LiteralPath $resultPath) {
            $previous = Read-RdpFixJsonFile -Path $resultPath
            if ($previous.ok) { throw (New-RdpProbeError -Kind 'error' -Message "Record $RecordId was undone already.") }
        }
        $record = Read-RdpFixJsonFile -Path $recordPath
        $steps = @($record.steps)
        for ($i = $steps.Count - 1; $i -ge 0; $i--) {
            $step = $steps[$i]
            if ($Cmdlet.ShouldProcess([string]$step.target, [string]$step.undo.description)) {
                if (-not (Restore-RdpFixStep -Fix $fix -Step $step)) { $null = $leftOver.Insert(0, $step) }
            } else {
                $fix.WhatIf = $true
                $null = $fix.Planned.Add([PSCustomObject]@{ target = [string]$step.target; action = [string]$step.undo.description })
            }
        }
    } catch {
        $errorInfo = [ordered]@{ kind = (Get-RdpErrorKind -ErrorRecord $_); message = $_.Exception.Message }
    }
    if ($leftOver.Count -gt 0 -and $null -eq $errorInfo) {
        $errorInfo = [ordered]@{ kind = 'error'; message = "$($leftOver.Count) change(s) could not be restored." }
    }
    $outcome = 'undone'
    $exitCode = $script:FixExitCodes.Ok
    if ($fix.WhatIf) { $outcome = 'planned' }
    if ($null -ne $errorInfo) { $outcome = 'failed'; $exitCode = $script:FixExitCodes.Failed }
    if ($leftOver.Count -gt 0) { $exitCode = $script:FixExitCodes.RestoreIncomplete }
    $result = [ordered]@{
        schema = $script:FixSchemaVersion; fixId = $fixId; recordId = $RecordId; undo = $true
        ok = ($null -eq $errorInfo); whatIf = $fix.WhatIf; outcome = $outcome
        changes = @(); planned = @($fix.Planned.ToArray()); restored = @($fix.Restored.ToArray())
        notes = @(); details = [ordered]@{}; rebootRequired = $false; undoAvailable = ($leftOver.Count -gt 0)
        finishedAt = ConvertTo-RdpIsoDate -Date (Get-Date)
    }
    if ($null -ne $errorInfo) { $result['error'] = $errorInfo }
    Write-RdpFixResult -Fix $fix -Result $result -Kind 'undo-result' -WriteFiles $folderReady
    $fix.ExitCode = $exitCode
}

Export-ModuleMember -Function Start-RdpFixUndo, Invoke-RdpFixUndo
