# A fix run of the fix framework (RdpHealth.Fix.psm1; see FIX-FRAMEWORK.md): a journal of steps. Each
# step first records an undo entry (RdpHealth.FixUndoEntry.psm1), then changes the thing through
# ShouldProcess; -WhatIf records the step as planned and changes nothing. A step whose change throws
# before it took effect leaves the journal (RdpHealth.FixUndoUnchanged.psm1). A body that throws rolls
# back every recorded step newest-first. At the end the run reports (RdpHealth.FixResult.psm1).
# Windows PowerShell 5.1 syntax only: this file runs elevated on every Windows host as shipped.

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixFolder.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixResult.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixUndoEntry.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixUndoUnchanged.psm1')

$script:RecordIdPattern = '^[0-9]{8}T[0-9]{6}Z-[a-z0-9-]+_[a-z0-9-]+-[0-9a-f]{8}$'

function Start-RdpFix {
    <#
    .SYNOPSIS
    Starts a fix run: the context every other function of this module takes as -Fix.
    .DESCRIPTION
    Pass the script's own $PSCmdlet: its ShouldProcess is what honours -WhatIf and -Confirm.
    .OUTPUTS
    PSCustomObject: the run (FixId, RecordId, WhatIf, journal, changes, planned, restored, notes).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][ValidatePattern('^[a-z0-9-]+\.[a-z0-9-]+$')][string]$FixId,
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet]$Cmdlet,
        [AllowEmptyString()][string]$RecordId
    )
    if (-not $RecordId) { $RecordId = New-RdpFixRecordId -FixId $FixId }
    if ($RecordId -notmatch $script:RecordIdPattern) { throw "Invalid record id '$RecordId'." }
    $whatIf = [bool]$Cmdlet.SessionState.PSVariable.GetValue('WhatIfPreference')
    [PSCustomObject]@{
        FixId          = $FixId
        RecordId       = $RecordId
        Cmdlet         = $Cmdlet
        WhatIf         = $whatIf
        Journal        = New-Object System.Collections.ArrayList
        Changes        = New-Object System.Collections.ArrayList
        Planned        = New-Object System.Collections.ArrayList
        Restored       = New-Object System.Collections.ArrayList
        Notes          = New-Object System.Collections.ArrayList
        Details        = [ordered]@{}
        Blocked        = $null
        RebootRequired = $false
        ExitCode       = $null
    }
}

function Invoke-RdpFixStep {
    <#
    .SYNOPSIS
    One change: records the undo entry, then (unless -WhatIf) runs -Change.
    .DESCRIPTION
    -Target names what changes, -Action says how, in words a person reads in the preview
    ("Set UserAuthentication from 0 to 1"). -Undo is an entry from one of the New-Rdp*Undo functions,
    taken BEFORE the change. Under -WhatIf the step is recorded as planned and nothing changes.
    When -Change throws, the step is rolled back with the others unless the thing still reads as
    -Undo recorded it (then it changed nothing and is not journaled).
    Whether it was applied: $Fix.WhatIf (all steps of a run go the same way).
    .OUTPUTS
    None
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]$Fix,
        [Parameter(Mandatory)][string]$Target,
        [Parameter(Mandatory)][string]$Action,
        [Parameter(Mandatory)]$Undo,
        [Parameter(Mandatory)][scriptblock]$Change
    )
    $step = [PSCustomObject]@{ target = $Target; action = $Action }
    if (-not $Fix.Cmdlet.ShouldProcess($Target, $Action)) {
        $Fix.WhatIf = $true
        $null = $Fix.Planned.Add($step)
        return
    }
    # Journal first: a change that throws half-done is restored too. One that throws before it took
    # effect (the thing still reads as -Undo recorded it) changed nothing: it leaves the journal, so it
    # is neither rolled back nor kept in an undo record (its restore may fail the way the change did).
    $null = $Fix.Journal.Add([PSCustomObject]@{ target = $Target; action = $Action; undo = $Undo })
    try {
        $null = & $Change
    } catch {
        $failure = $_
        if (Test-RdpUndoEntryUnchanged -Entry $Undo) { $Fix.Journal.RemoveAt($Fix.Journal.Count - 1) }
        throw $failure
    }
    $null = $Fix.Changes.Add($step)
}

function Add-RdpFixNote {
    <#
    .SYNOPSIS
    A sentence the person must read (in the preview and after): a reboot, a widened exposure, a policy.
    .OUTPUTS
    None
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Fix, [Parameter(Mandatory)][string]$Message)
    $null = $Fix.Notes.Add($Message)
}

function Set-RdpFixDetail {
    <#
    .SYNOPSIS
    Structured data for the agent (e.g. 'sessions' a restart would drop); lands in the result's details.
    .OUTPUTS
    None
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Fix, [Parameter(Mandatory)][ValidatePattern('^[a-z][A-Za-z0-9]*$')][string]$Name, [AllowNull()]$Value)
    $Fix.Details[$Name] = $Value
}

function Set-RdpFixRebootRequired {
    <#
    .SYNOPSIS
    Marks the run as needing a restart before the change takes effect (said in the preview and the result).
    .OUTPUTS
    None
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Fix, [Parameter(Mandatory)][string]$Reason)
    $Fix.RebootRequired = $true
    Add-RdpFixNote -Fix $Fix -Message $Reason
}

function Stop-RdpFixForPolicy {
    <#
    .SYNOPSIS
    Group policy sets the value this fix would change: change nothing and say which policy does.
    Call it before any step; the run ends with outcome 'blocked' and exit code 2.
    .OUTPUTS
    None
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]$Fix,
        [Parameter(Mandatory)][string]$PolicyPath,
        [Parameter(Mandatory)][string]$ValueName,
        [AllowNull()]$Value,
        [Parameter(Mandatory)][string]$Message
    )
    if ($Fix.Journal.Count -gt 0) { throw 'Stop-RdpFixForPolicy must come before any change.' }
    $Fix.Blocked = [PSCustomObject]@{ path = $PolicyPath; name = $ValueName; value = $Value; message = $Message }
}

function Assert-RdpFixVerified {
    <#
    .SYNOPSIS
    After applying: throws (so every change is rolled back) unless the re-read state is what the fix set.
    Does nothing under -WhatIf, where nothing was changed.
    .OUTPUTS
    None
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Fix, [Parameter(Mandatory)][bool]$Condition, [Parameter(Mandatory)][string]$Message)
    if ($Fix.WhatIf -or $Fix.Changes.Count -eq 0) { return }
    if (-not $Condition) { throw (New-RdpProbeError -Kind 'error' -Message "Verification failed: $Message") }
}

function Restore-RdpFixStep {
    <#
    .SYNOPSIS
    Restores one journal step and records the outcome in $Fix.Restored. Returns $true when it was put back.
    .OUTPUTS
    System.Boolean
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Fix, [Parameter(Mandatory)]$Step)
    try {
        $null = Restore-RdpUndoEntry -Entry $Step.undo
        $null = $Fix.Restored.Add([PSCustomObject]@{ target = [string]$Step.target; action = [string]$Step.undo.description; ok = $true })
        return $true
    } catch {
        $null = $Fix.Restored.Add([PSCustomObject]@{ target = [string]$Step.target; action = [string]$Step.undo.description; ok = $false; error = $_.Exception.Message })
        return $false
    }
}

function Undo-RdpFixJournal {
    <#
    .SYNOPSIS
    Restores steps newest first. Returns the steps that could NOT be restored (in their original order).
    .OUTPUTS
    System.Object[]
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Fix, [Parameter(Mandatory)][AllowEmptyCollection()][object[]]$Steps)
    $failed = New-Object System.Collections.ArrayList
    for ($i = $Steps.Count - 1; $i -ge 0; $i--) {
        if (-not (Restore-RdpFixStep -Fix $Fix -Step $Steps[$i])) { $null = $failed.Insert(0, $Steps[$i]) }
    }
    , $failed.ToArray()
}

function Invoke-RdpFix {
    <#
    .SYNOPSIS
    Runs a fix body, rolls every step back if it throws, writes the result and the undo record, prints
    the PLANNED and RESULT lines and sets $Fix.ExitCode. End the script with: exit $fix.ExitCode
    .DESCRIPTION
    Result: { schema, fixId, recordId, ok, whatIf, outcome, changes[], planned[], restored[], notes[],
    details, rebootRequired, undoAvailable, finishedAt, policy?, error? }.
    outcome: applied | already-done | planned | blocked | failed.
    Exit codes: 0 ok, 1 failed (everything restored), 2 blocked by policy (nothing changed),
    3 failed and not everything could be restored (the undo record keeps what is left).
    The body's own pipeline output is discarded: only the framework writes to stdout.
    .OUTPUTS
    System.String: RDPHEALTH:PLANNED lines, then one RDPHEALTH:RESULT line.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Fix, [Parameter(Mandatory)][scriptblock]$Body)
    $ProgressPreference = 'SilentlyContinue'
    $errorInfo = $null
    $leftOver = @()
    $folderReady = $false
    try {
        if (-not $Fix.WhatIf) {
            # Before any change: without a place for the undo record, nothing may be changed.
            $null = Initialize-RdpFixFolder -Scope (Get-RdpFixScope -FixId $Fix.FixId)
            if (Test-Path -LiteralPath (Get-RdpFixFilePath -RecordId $Fix.RecordId -Kind 'result')) { throw "Record $($Fix.RecordId) exists already." }
            $folderReady = $true
        }
        $null = & $Body
    } catch {
        $errorInfo = [ordered]@{ kind = (Get-RdpErrorKind -ErrorRecord $_); message = $_.Exception.Message }
        if ($Fix.Journal.Count -gt 0) { $leftOver = Undo-RdpFixJournal -Fix $Fix -Steps $Fix.Journal.ToArray() }
    }

    $outcome = 'applied'
    $exitCode = $script:FixExitCodes.Ok
    if ($null -ne $errorInfo) {
        $outcome = 'failed'
        $exitCode = $script:FixExitCodes.Failed
        if ($leftOver.Count -gt 0) { $exitCode = $script:FixExitCodes.RestoreIncomplete }
    } elseif ($null -ne $Fix.Blocked) {
        $outcome = 'blocked'
        $exitCode = $script:FixExitCodes.Blocked
    } elseif ($Fix.Planned.Count -gt 0) {
        $outcome = 'planned'
    } elseif ($Fix.Changes.Count -eq 0) {
        $outcome = 'already-done'
    }

    $undoSteps = @()
    if ($outcome -eq 'applied') { $undoSteps = $Fix.Journal.ToArray() }
    if ($leftOver.Count -gt 0) { $undoSteps = $leftOver }
    $changes = @($Fix.Changes.ToArray())
    if ($outcome -eq 'failed') { $changes = @() }
    $result = [ordered]@{
        schema         = $script:FixSchemaVersion
        fixId          = $Fix.FixId
        recordId       = $Fix.RecordId
        ok             = ($outcome -eq 'applied' -or $outcome -eq 'already-done' -or $outcome -eq 'planned')
        whatIf         = $Fix.WhatIf
        outcome        = $outcome
        changes        = $changes
        planned        = @($Fix.Planned.ToArray())
        restored       = @($Fix.Restored.ToArray())
        notes          = @($Fix.Notes.ToArray())
        details        = $Fix.Details
        rebootRequired = $Fix.RebootRequired
        undoAvailable  = ($undoSteps.Count -gt 0)
        finishedAt     = ConvertTo-RdpIsoDate -Date (Get-Date)
    }
    if ($null -ne $Fix.Blocked) { $result['policy'] = $Fix.Blocked }
    if ($null -ne $errorInfo) { $result['error'] = $errorInfo }
    Write-RdpFixResult -Fix $Fix -Result $result -Kind 'result' -UndoSteps $undoSteps -WriteFiles $folderReady
    if ($result['ok'] -eq $false -and $exitCode -eq $script:FixExitCodes.Ok) { $exitCode = $script:FixExitCodes.Failed }
    $Fix.ExitCode = $exitCode
}

Export-ModuleMember -Function Start-RdpFix, Invoke-RdpFixStep, Restore-RdpFixStep, Add-RdpFixNote, Set-RdpFixDetail, Set-RdpFixRebootRequired, Stop-RdpFixForPolicy, Assert-RdpFixVerified, Undo-RdpFixJournal, Invoke-RdpFix
