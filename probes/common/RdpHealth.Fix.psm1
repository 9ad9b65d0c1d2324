# The fix framework: what every probes/<probe>/Repair-Rdp<Thing>.ps1 uses (see /work/team/FIX-FRAMEWORK.md).
#
# A fix run is a journal of steps. Each step first records how the thing it changes looked (an undo
# entry: registry value and type, CIM property or method argument, firewall rule state, service
# state, ACL SDDL, a deleted certificate), then changes it through ShouldProcess. -WhatIf records
# the step as planned and changes nothing. A step that throws rolls back every recorded step in
# reverse. At the end the run writes a result JSON and (when changes stay) an undo record into an
# admin-owned folder, and prints one machine-readable line per planned change plus one result line:
#   RDPHEALTH:PLANNED {"target":"...","action":"..."}
#   RDPHEALTH:RESULT {"schema":1,"fixId":"...","ok":true,...}
# The agent parses those lines, never the localized "What if:" host text.
# Windows PowerShell 5.1 syntax only: this file runs elevated on every Windows host as shipped.

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')
# The 'certificate' undo kind lives in its own module (New-RdpCertificateUndo, Restore-RdpCertificateUndo).
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixCertificate.psm1')

$script:FixSchemaVersion = 1
$script:LinePrefix = 'RDPHEALTH:'
# Exit codes of a fix / undo run (the launcher passes them on; 1223 is the launcher's "UAC declined").
$script:FixExitCodes = @{ Ok = 0; Failed = 1; Blocked = 2; RestoreIncomplete = 3 }
$script:RecordIdPattern = '^[0-9]{8}T[0-9]{6}Z-[a-z0-9-]+_[a-z0-9-]+-[0-9a-f]{8}$'
# SYSTEM and Administrators full control, Users read: the agent (a user) reads results, only admins write.
$script:FixFolderSddl = 'O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)'
$script:AdminOwnerSids = @('S-1-5-32-544', 'S-1-5-18')
# Remote Desktop Services WMI provider: the property is controlled by group policy.
$script:WbemInvalidOperation = [uint32]2147749910

# ---------------------------------------------------------------- where records go

function Test-RdpWindowsHost {
    <#
    .SYNOPSIS
    True on Windows (always true in Windows PowerShell 5.1).
    .OUTPUTS
    System.Boolean
    #>
    [CmdletBinding()]
    param()
    if ($PSVersionTable.PSEdition -ne 'Core') { return $true }
    [bool](Get-Variable -Name 'IsWindows' -ValueOnly)
}

function Get-RdpFixRoot {
    <#
    .SYNOPSIS
    The folder for fix results and undo records: %ProgramData%\RDP Health\fixes, or RDP_HEALTH_FIX_ROOT
    when set (the simulated host and the tests point it at a data folder).
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param()
    if ($env:RDP_HEALTH_FIX_ROOT) { return $env:RDP_HEALTH_FIX_ROOT }
    # Concatenated, not Join-Path: Join-Path resolves the drive, and the path is Windows-only anyway.
    "$env:ProgramData\RDP Health\fixes"
}

function Get-RdpFixFilePath {
    <#
    .SYNOPSIS
    The path of one file of a fix run: result, undo record, or the result of undoing it.
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][ValidatePattern('^[0-9]{8}T[0-9]{6}Z-[a-z0-9-]+_[a-z0-9-]+-[0-9a-f]{8}$')][string]$RecordId,
        [Parameter(Mandatory)][ValidateSet('result', 'undo', 'undo-result')][string]$Kind
    )
    Join-Path (Get-RdpFixRoot) "$RecordId.$Kind.json"
}

function Initialize-RdpFixFolder {
    <#
    .SYNOPSIS
    Creates the fix folder (admin-owned, users may read) or checks that an existing one is admin-owned:
    a folder a user could write into would let them plant an undo record an administrator then applies.
    .OUTPUTS
    System.String: the folder.
    #>
    [CmdletBinding()]
    param()
    $root = Get-RdpFixRoot
    $created = $false
    if (-not (Test-Path -LiteralPath $root)) {
        $null = New-Item -ItemType Directory -Path $root -Force -WhatIf:$false -Confirm:$false
        $created = $true
    }
    if (-not (Test-RdpWindowsHost)) { return $root }
    $acl = Get-Acl -LiteralPath $root
    if ($created) {
        $acl.SetSecurityDescriptorSddlForm($script:FixFolderSddl)
        Set-Acl -LiteralPath $root -AclObject $acl -WhatIf:$false -Confirm:$false
        return $root
    }
    $owner = $acl.GetOwner([System.Security.Principal.SecurityIdentifier]).Value
    if ($script:AdminOwnerSids -notcontains $owner) {
        throw (New-RdpProbeError -Kind 'access-denied' -Message "The fix folder $root is owned by $owner, not by Administrators or SYSTEM; its records cannot be trusted.")
    }
    $root
}

function New-RdpFixRecordId {
    <#
    .SYNOPSIS
    A new record id: <UTC time>-<fix id with _ for .>-<8 hex>, e.g. 20250101T120000Z-nla_enable-1a2b3c4d
    (letters, digits, - and _ only: the id travels through IPC and names files).
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][ValidatePattern('^[a-z0-9-]+\.[a-z0-9-]+$')][string]$FixId)
    $stamp = (Get-Date).ToUniversalTime().ToString('yyyyMMddTHHmmssZ', [System.Globalization.CultureInfo]::InvariantCulture)
    $random = ([guid]::NewGuid().ToString('N')).Substring(0, 8)
    "$stamp-$($FixId.Replace('.', '_'))-$random"
}

function Write-RdpFixJsonFile {
    <#
    .SYNOPSIS
    Writes a document as JSON (temp file + move, so a reader never sees half a file). Never skipped by -WhatIf.
    .OUTPUTS
    None
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Path, [Parameter(Mandatory)]$Document)
    $json = ConvertTo-Json -InputObject $Document -Depth 10
    $temp = "$Path.tmp"
    Set-Content -LiteralPath $temp -Value $json -Encoding UTF8 -WhatIf:$false -Confirm:$false
    Move-Item -LiteralPath $temp -Destination $Path -Force -WhatIf:$false -Confirm:$false
}

function Read-RdpFixJsonFile {
    <#
    .SYNOPSIS
    Reads a JSON document the framework wrote.
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Path)
    Get-Content -LiteralPath $Path -Raw -Encoding UTF8 | ConvertFrom-Json
}

# ---------------------------------------------------------------- the run

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

function Invoke-RdpFixStep {
    <#
    .SYNOPSIS
    One change: records the undo entry, then (unless -WhatIf) runs -Change.
    .DESCRIPTION
    -Target names what changes, -Action says how, in words a person reads in the preview
    ("Set UserAuthentication from 0 to 1"). -Undo is an entry from one of the New-Rdp*Undo functions,
    taken BEFORE the change. Under -WhatIf the step is recorded as planned and nothing changes.
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
    # Journal first: a change that throws half-done is restored too (restoring an unchanged value is harmless).
    $null = $Fix.Journal.Add([PSCustomObject]@{ target = $Target; action = $Action; undo = $Undo })
    $null = & $Change
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
        try {
            if ($UndoSteps.Count -gt 0) {
                $record = [ordered]@{
                    schema = $script:FixSchemaVersion; recordId = $Fix.RecordId; fixId = $Fix.FixId
                    createdAt = $Result['finishedAt']; computer = [string]$env:COMPUTERNAME; steps = @($UndoSteps)
                }
                Write-RdpFixJsonFile -Path (Get-RdpFixFilePath -RecordId $Fix.RecordId -Kind 'undo') -Document $record
            }
            Write-RdpFixJsonFile -Path (Get-RdpFixFilePath -RecordId $Fix.RecordId -Kind $Kind) -Document $Result
        } catch {
            # Said on the result line; the agent then reports what it could not keep.
            $Result['ok'] = $false
            $Result['error'] = [ordered]@{ kind = (Get-RdpErrorKind -ErrorRecord $_); message = "The result could not be saved: $($_.Exception.Message)" }
        }
    }
    foreach ($planned in $Fix.Planned) { Write-RdpFixLine -Kind 'PLANNED' -Document $planned }
    Write-RdpFixLine -Kind 'RESULT' -Document $Result
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
            $null = Initialize-RdpFixFolder
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

# ---------------------------------------------------------------- undo entries (taken before a change)

function ConvertTo-RdpRegistryKind {
    <# The registry value kind of a value as Get-ItemProperty returns it. #>
    param($Value)
    if ($Value -is [int]) { return 'DWord' }
    if ($Value -is [long]) { return 'QWord' }
    if ($Value -is [byte[]]) { return 'Binary' }
    # An array of bytes that lost its byte[] type on the way through a pipeline is still binary.
    if ($Value -is [object[]] -and $Value.Count -gt 0 -and @($Value | Where-Object { $_ -isnot [byte] }).Count -eq 0) { return 'Binary' }
    if ($Value -is [string[]] -or $Value -is [object[]]) { return 'MultiString' }
    'String'
}

function Get-RdpRegistryRawValue {
    <#
    .SYNOPSIS
    One registry value exactly as stored (a byte[] or one-element string[] stays an array), wrapped so the
    pipeline does not unroll it: @{ Exists; Value }.
    .OUTPUTS
    PSCustomObject with Exists and Value.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Path, [Parameter(Mandatory)][string]$Name)
    $none = [PSCustomObject]@{ Exists = $false; Value = $null }
    if (-not (Test-Path -LiteralPath $Path)) { return $none }
    $item = Get-ItemProperty -LiteralPath $Path
    $property = $item.PSObject.Properties[$Name]
    if ($null -eq $property) { return $none }
    [PSCustomObject]@{ Exists = $true; Value = $property.Value }
}

function New-RdpRegistryUndo {
    <#
    .SYNOPSIS
    Undo entry for one registry value: whether it existed, its value and its kind (DWord, QWord, String,
    MultiString, Binary; an ExpandString comes back as String).
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Path, [Parameter(Mandatory)][string]$Name)
    $read = Get-RdpRegistryRawValue -Path $Path -Name $Name
    if (-not $read.Exists) {
        return [PSCustomObject]@{ kind = 'registry'; path = $Path; name = $Name; existed = $false; type = $null; value = $null; description = "Remove $Name from $Path (it did not exist)" }
    }
    $value = $read.Value
    $type = ConvertTo-RdpRegistryKind -Value $value
    $stored = $value
    $shown = $value
    if ($type -eq 'Binary') { $stored = ConvertTo-RdpHex -Bytes $value; $shown = "0x$stored" }
    if ($type -eq 'MultiString') { $stored = [string[]]@($value); $shown = $stored -join ', ' }
    [PSCustomObject]@{ kind = 'registry'; path = $Path; name = $Name; existed = $true; type = $type; value = $stored; description = "Set $Name under $Path back to $shown ($type)" }
}

function New-RdpCimMethodUndo {
    <#
    .SYNOPSIS
    Undo entry that calls a CIM method again with the old value(s), e.g. SetUserAuthenticationRequired
    with the value read before the change. -Arguments: name -> old value; -ArgumentType: uint32 (default), string or boolean.
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$Namespace,
        [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_]+$')][string]$ClassName,
        [Parameter(Mandatory)][string]$Filter,
        [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_]+$')][string]$MethodName,
        [Parameter(Mandatory)][System.Collections.IDictionary]$Arguments,
        [ValidateSet('uint32', 'string', 'boolean')][string]$ArgumentType = 'uint32'
    )
    $shown = @($Arguments.Keys | ForEach-Object { "$_=$($Arguments[$_])" }) -join ', '
    [PSCustomObject]@{
        kind = 'cim-method'; namespace = $Namespace; className = $ClassName; filter = $Filter
        methodName = $MethodName; arguments = (New-Object PSObject -Property $Arguments); argumentType = $ArgumentType
        description = "Set back $shown (through $ClassName.$MethodName)"
    }
}

function New-RdpCimPropertyUndo {
    <#
    .SYNOPSIS
    Undo entry for properties of one CIM instance (e.g. the SSLCertificateSHA1Hash binding), read now.
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$Namespace,
        [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_]+$')][string]$ClassName,
        [Parameter(Mandatory)][string]$Filter,
        [Parameter(Mandatory)][string[]]$Property
    )
    $instance = @(Get-CimInstance -Namespace $Namespace -ClassName $ClassName -Filter $Filter)
    if ($instance.Count -ne 1) { throw (New-RdpProbeError -Kind 'not-found' -Message "Expected one $ClassName where $Filter, found $($instance.Count).") }
    $values = [ordered]@{}
    foreach ($name in $Property) { $values[$name] = $instance[0].$name }
    $shown = @($values.Keys | ForEach-Object { "$_=$($values[$_])" }) -join ', '
    [PSCustomObject]@{ kind = 'cim-property'; namespace = $Namespace; className = $ClassName; filter = $Filter; properties = (New-Object PSObject -Property $values); description = "Set $ClassName ($Filter) back to $shown" }
}

function New-RdpServiceUndo {
    <#
    .SYNOPSIS
    Undo entry for a service: its state (Running/Stopped) and start mode, read now with CIM.
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_]+$')][string]$Name)
    $service = @(Get-RdpServiceState -Name $Name)[0]
    if (-not $service.Present) { throw (New-RdpProbeError -Kind 'not-found' -Message "Service $Name does not exist.") }
    [PSCustomObject]@{ kind = 'service'; name = $Name; state = $service.State; startMode = $service.StartMode; description = "Return service $Name to $($service.State), start mode $($service.StartMode)" }
}

function New-RdpFirewallRuleUndo {
    <#
    .SYNOPSIS
    Undo entry for a firewall rule selected by Name: Enabled, Profile and (when it has one) LocalPort.
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_.-]+$')][string]$Name)
    $rule = Get-NetFirewallRule -Name $Name
    $port = @($rule | Get-NetFirewallPortFilter)
    $localPort = $null
    if ($port.Count -gt 0) { $localPort = @($port[0].LocalPort) }
    [PSCustomObject]@{
        kind = 'firewall-rule'; name = $Name; enabled = [string]$rule.Enabled; profile = [string]$rule.Profile; localPort = $localPort
        description = "Return firewall rule $Name to Enabled=$($rule.Enabled), Profile=$($rule.Profile)"
    }
}

function New-RdpFileAclUndo {
    <#
    .SYNOPSIS
    Undo entry for a file's access rules, saved as SDDL (the DACL only: the owner is left alone).
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Path)
    $acl = Get-Acl -LiteralPath $Path
    $sddl = $acl.GetSecurityDescriptorSddlForm([System.Security.AccessControl.AccessControlSections]::Access)
    [PSCustomObject]@{ kind = 'file-acl'; path = $Path; sddl = $sddl; description = "Put back the access rules of $Path ($sddl)" }
}

function New-RdpIrreversibleUndo {
    <#
    .SYNOPSIS
    For a change that cannot be put back (e.g. deleting an expired certificate): undo reports why.
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Reason)
    [PSCustomObject]@{ kind = 'irreversible'; description = "Not restored: $Reason" }
}

# ---------------------------------------------------------------- restoring an entry

function ConvertFrom-RdpHex {
    <# A hex string as bytes (5.1 has no Convert.FromHexString). #>
    param([Parameter(Mandatory)][AllowEmptyString()][string]$Hex)
    $bytes = New-Object byte[] ($Hex.Length / 2)
    for ($i = 0; $i -lt $bytes.Length; $i++) { $bytes[$i] = [Convert]::ToByte($Hex.Substring($i * 2, 2), 16) }
    , $bytes
}

function ConvertTo-RdpCimArgument {
    param($Value, [string]$Type)
    switch ($Type) {
        'string' { return [string]$Value }
        'boolean' { return [bool]$Value }
        default { return [uint32]$Value }
    }
}

function Invoke-RdpCimMethod {
    <#
    .SYNOPSIS
    Calls a method on the CIM instance(s) a filter selects (e.g. Win32_TSGeneralSetting where
    TerminalName='RDP-Tcp') and throws unless every call returns 0. Used by fixes and by undo alike.
    .OUTPUTS
    None
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$Namespace,
        [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_]+$')][string]$ClassName,
        [Parameter(Mandatory)][string]$Filter,
        [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_]+$')][string]$MethodName,
        [Parameter(Mandatory)][System.Collections.IDictionary]$Arguments
    )
    $query = "SELECT * FROM $ClassName WHERE $Filter"
    $results = @(Invoke-CimMethod -Namespace $Namespace -Query $query -MethodName $MethodName -Arguments $Arguments -WhatIf:$false -Confirm:$false)
    if ($results.Count -eq 0) { throw (New-RdpProbeError -Kind 'not-found' -Message "No $ClassName where $Filter.") }
    foreach ($result in $results) {
        $code = [uint32]$result.ReturnValue
        if ($code -eq $script:WbemInvalidOperation) {
            throw (New-RdpProbeError -Kind 'error' -Message "$ClassName.$MethodName was refused (0x80041016): group policy controls this setting.")
        }
        if ($code -ne 0) { throw (New-RdpProbeError -Kind 'error' -Message ("$ClassName.$MethodName returned 0x{0:X8}." -f $code)) }
    }
}

function Restore-RdpUndoEntry {
    <#
    .SYNOPSIS
    Puts one thing back the way an undo entry recorded it. Throws when that is not possible.
    .OUTPUTS
    None
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Entry)
    switch ([string]$Entry.kind) {
        'registry' {
            if ($Entry.existed) {
                if (-not (Test-Path -LiteralPath $Entry.path)) { $null = New-Item -Path $Entry.path -Force -WhatIf:$false -Confirm:$false }
                $value = $Entry.value
                switch ([string]$Entry.type) {
                    'DWord' { $value = [int]$value }
                    'QWord' { $value = [long]$value }
                    'Binary' { $value = ConvertFrom-RdpHex -Hex ([string]$value) }
                    'MultiString' { $value = [string[]]@($value) }
                    default { $value = [string]$value }
                }
                $null = New-ItemProperty -LiteralPath $Entry.path -Name $Entry.name -PropertyType $Entry.type -Value $value -Force -WhatIf:$false -Confirm:$false
            } elseif ((Get-RdpRegistryRawValue -Path $Entry.path -Name $Entry.name).Exists) {
                Remove-ItemProperty -LiteralPath $Entry.path -Name $Entry.name -Force -WhatIf:$false -Confirm:$false
            }
        }
        'cim-method' {
            $arguments = @{}
            foreach ($property in $Entry.arguments.PSObject.Properties) { $arguments[$property.Name] = ConvertTo-RdpCimArgument -Value $property.Value -Type $Entry.argumentType }
            Invoke-RdpCimMethod -Namespace $Entry.namespace -ClassName $Entry.className -Filter $Entry.filter -MethodName $Entry.methodName -Arguments $arguments
        }
        'cim-property' {
            $instance = @(Get-CimInstance -Namespace $Entry.namespace -ClassName $Entry.className -Filter $Entry.filter)
            if ($instance.Count -ne 1) { throw (New-RdpProbeError -Kind 'not-found' -Message "Expected one $($Entry.className) where $($Entry.filter), found $($instance.Count).") }
            $values = @{}
            foreach ($property in $Entry.properties.PSObject.Properties) { $values[$property.Name] = $property.Value }
            Set-CimInstance -InputObject $instance[0] -Property $values -WhatIf:$false -Confirm:$false
        }
        'service' {
            $startupType = @{ Auto = 'Automatic'; Manual = 'Manual'; Disabled = 'Disabled' }[[string]$Entry.startMode]
            if ($startupType) { Set-Service -Name $Entry.name -StartupType $startupType -WhatIf:$false -Confirm:$false }
            if ($Entry.state -eq 'Running') { Start-Service -Name $Entry.name -WhatIf:$false -Confirm:$false }
            elseif ($Entry.state -eq 'Stopped') { Stop-Service -Name $Entry.name -Force -WhatIf:$false -Confirm:$false }
        }
        'firewall-rule' {
            $splatRule = @{ Name = $Entry.name; Enabled = $Entry.enabled; Profile = $Entry.profile; WhatIf = $false; Confirm = $false }
            if ($null -ne $Entry.localPort) { $splatRule['LocalPort'] = [string[]]@($Entry.localPort) }
            Set-NetFirewallRule @splatRule
        }
        'file-acl' {
            $acl = Get-Acl -LiteralPath $Entry.path
            $acl.SetSecurityDescriptorSddlForm($Entry.sddl, [System.Security.AccessControl.AccessControlSections]::Access)
            Set-Acl -LiteralPath $Entry.path -AclObject $acl -WhatIf:$false -Confirm:$false
        }
        'certificate' { Restore-RdpCertificateUndo -Entry $Entry -Folder (Get-RdpFixRoot) }
        'irreversible' { throw ([string]$Entry.description) }
        default { throw "Unknown undo entry kind '$($Entry.kind)'." }
    }
}

# ---------------------------------------------------------------- undoing a record

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
    $fixId = (($RecordId -replace '^[0-9]{8}T[0-9]{6}Z-', '') -replace '-[0-9a-f]{8}$', '').Replace('_', '.')
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
    try {
        $recordPath = Get-RdpFixFilePath -RecordId $RecordId -Kind 'undo'
        $resultPath = Get-RdpFixFilePath -RecordId $RecordId -Kind 'undo-result'
        if (-not (Test-Path -LiteralPath $recordPath)) { throw (New-RdpProbeError -Kind 'not-found' -Message "There is no undo record $RecordId.") }
        if (-not $fix.WhatIf) { $null = Initialize-RdpFixFolder; $folderReady = $true }
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

Export-ModuleMember -Function Test-RdpWindowsHost, Get-RdpFixRoot, Get-RdpFixFilePath, Initialize-RdpFixFolder, New-RdpFixRecordId, Write-RdpFixJsonFile, Read-RdpFixJsonFile, Start-RdpFix, Write-RdpFixLine, Invoke-RdpFixStep, Restore-RdpFixStep, Write-RdpFixResult, Add-RdpFixNote, Set-RdpFixDetail, Set-RdpFixRebootRequired, Stop-RdpFixForPolicy, Assert-RdpFixVerified, Undo-RdpFixJournal, Invoke-RdpFix, Get-RdpRegistryRawValue, New-RdpRegistryUndo, New-RdpCimMethodUndo, New-RdpCimPropertyUndo, New-RdpServiceUndo, New-RdpFirewallRuleUndo, New-RdpFileAclUndo, New-RdpIrreversibleUndo, Invoke-RdpCimMethod, Restore-RdpUndoEntry, Start-RdpFixUndo, Invoke-RdpFixUndo
