#Requires -Version 5.1
<#
.SYNOPSIS
Runs one fix (or one undo) elevated: asks for elevation (UAC), waits, and passes the result back.

.DESCRIPTION
Run unelevated by the agent's Windows elevator:
  powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File Start-RdpElevatedFix.ps1
    -RequestPath <request.json> -ResultPath <result.json>
Data passes through files, never through a command string built from input. The request, written by
the agent, is { "schema": 1, "script": "nla/Repair-RdpNla.ps1", "parameters": { "Action": "Enable" },
"recordId": "<id>" }. It is checked here before anything runs: parameter names plain words, values
plain tokens, the record id its pattern, and the script with its parameters one of the requests the
agent's fix catalog makes (a fix that needs elevation, or common/Undo-RdpFix.ps1), installed in this
probes folder. The fix then starts elevated (Process.Start with the runas verb, waited for) as
<system folder>\WindowsPowerShell\v1.0\powershell.exe -File <fix> -RecordId <id> -<Name> <value>...
and writes its result into the admin-owned fix folder, from where it is copied to -ResultPath.
UAC declined is Win32 error 1223, recognized by number (never by message text): "cancelled - nothing
was changed". Not Start-Process -Verb RunAs: it rethrows the Win32Exception as an
InvalidOperationException that keeps only the message, so the number is lost.

.PARAMETER RequestPath
The request JSON the agent wrote.

.PARAMETER TimeoutSeconds
How long to wait for the elevated fix once the prompt was answered (default 600). A fix that takes
longer cannot be stopped from here (an unelevated process may not end an elevated one): the launcher
reports "failed" with Win32 error 1460 (ERROR_TIMEOUT) and says so; the fix itself rolls back any step
that fails, and its result still lands in the fix folder.

.PARAMETER ResultPath
Where to write the launcher result: { schema, status: completed | cancelled | failed, exitCode, message,
result (the fix's own result JSON, or null) }.

.OUTPUTS
None. The result is the file at -ResultPath. Exit code: the fix's own (0 ok, 1 failed and restored,
2 blocked by policy, 3 restore incomplete), 1223 cancelled at the UAC prompt, 87 invalid request,
4 the fix left no result, 1460 the fix did not finish in time.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][ValidatePattern('^[^"\x00-\x1f]+\.json$')][string]$RequestPath,
    [Parameter(Mandatory)][ValidatePattern('^[^"\x00-\x1f]+\.json$')][string]$ResultPath,
    [ValidateRange(1, 3600)][int]$TimeoutSeconds = 600
)

# Elevated with the user's environment: the system module folders only, before any import.
. "$PSScriptRoot\Use-RdpSystemModulePath.ps1"
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Fix.psm1')

$script:ErrorCancelled = 1223
$script:ErrorInvalidRequest = 87
$script:ErrorNoResult = 4
$script:ErrorTimeout = 1460
# The allowlist and its token rules are the agent's (electron/agent/repair/elevator.ts, derived from the
# fix declarations of the probes); they are literals here because this runs without Node, on 5.1, and
# test/integration/repair/launcher-allowlist.test.ts fails when one of them differs from the agent's.
$script:NamePattern = '^[A-Z][A-Za-z0-9]{0,39}$'
$script:ValuePattern = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'
$script:RecordIdPattern = '^[0-9]{8}T[0-9]{6}Z-[a-z0-9-]+_[a-z0-9-]+-[0-9a-f]{8}$'
# Parameters the launcher sets itself, or that would change what an elevated run means.
$script:ReservedNames = @('RecordId', 'WhatIf', 'Confirm', 'Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ErrorVariable', 'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable')
# What this launcher starts: each catalog fix that needs elevation, with its fixed parameters, and
# undo; one request a line, "<script> -<Name> <value>..." with the parameters by name (ordinal).
$script:AllowedRequests = @(
    'certificate/Repair-RdpCertificate.ps1 -Action RenewSelfSigned -Scope ExpiringOrExpired'
    'key-access/Repair-RdpKeyAccess.ps1 -Action GrantNetworkService'
    'nla/Repair-RdpNla.ps1 -Action Enable'
    'nla/Repair-RdpNla.ps1 -Action Disable'
    'security-layer/Repair-RdpSecurityLayer.ps1 -Layer Negotiate'
    'security-layer/Repair-RdpSecurityLayer.ps1 -Layer Tls'
    'security-layer/Repair-RdpSecurityLayer.ps1 -Layer Rdp'
    'firewall/Repair-RdpFirewall.ps1 -Action EnableRules'
    'firewall/Repair-RdpFirewall.ps1 -Action EnableRulesPublic'
    'firewall/Repair-RdpFirewall.ps1 -Action AlignPort'
    'listener/Repair-RdpListener.ps1 -Action StartService'
    'listener/Repair-RdpListener.ps1 -Action RestartService'
    'listener/Repair-RdpListener.ps1 -Action AllowConnections'
    'tls/Repair-RdpTls.ps1'
    'client/Repair-RdpClientTls.ps1'
    'common/Undo-RdpFix.ps1'
)

function Test-RdpWin32Cancelled {
    <#
    .SYNOPSIS
    True when an error is Win32 error 1223 (ERROR_CANCELLED: UAC declined), anywhere in its exception chain.
    .OUTPUTS
    System.Boolean
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][System.Management.Automation.ErrorRecord]$ErrorRecord)
    $exception = $ErrorRecord.Exception
    while ($null -ne $exception) {
        if ($exception -is [System.ComponentModel.Win32Exception] -and $exception.NativeErrorCode -eq $script:ErrorCancelled) { return $true }
        $exception = $exception.InnerException
    }
    $false
}

function Wait-RdpProcessExit {
    <#
    .SYNOPSIS
    Waits for a started process at most TimeoutSeconds and returns its exit code; throws a
    System.TimeoutException when it is still running then (the process is left running: an elevated
    one cannot be ended from an unelevated launcher).
    .OUTPUTS
    System.Int32
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][System.Diagnostics.Process]$Process,
        [Parameter(Mandatory)][int]$TimeoutSeconds
    )
    if (-not $Process.WaitForExit($TimeoutSeconds * 1000)) {
        throw [System.TimeoutException]::new("The fix did not finish within $TimeoutSeconds seconds.")
    }
    $Process.WaitForExit()
    [int]$Process.ExitCode
}

function Start-RdpElevatedProcess {
    <#
    .SYNOPSIS
    Starts a program elevated (the UAC prompt), waits for it (at most TimeoutSeconds after the prompt
    was answered), and returns its exit code.
    .DESCRIPTION
    Process.Start with UseShellExecute and the runas verb: a declined prompt throws a Win32Exception
    with NativeErrorCode 1223 (PowerShell wraps it in a MethodInvocationException), which keeps the
    number that Start-Process -Verb RunAs drops.
    .OUTPUTS
    System.Int32
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$FilePath,
        [Parameter(Mandatory)][string[]]$ArgumentList,
        [Parameter(Mandatory)][int]$TimeoutSeconds
    )
    $psi = New-Object System.Diagnostics.ProcessStartInfo
    $psi.FileName = $FilePath
    $psi.Arguments = $ArgumentList -join ' '
    $psi.UseShellExecute = $true
    $psi.Verb = 'runas'
    $psi.WindowStyle = [System.Diagnostics.ProcessWindowStyle]::Hidden
    $process = [System.Diagnostics.Process]::Start($psi)
    if ($null -eq $process) { throw 'Windows started no process for the fix.' }
    try {
        Wait-RdpProcessExit -Process $process -TimeoutSeconds $TimeoutSeconds
    } finally { $process.Dispose() }
}

function Get-RdpFixRequestLine {
    <#
    .SYNOPSIS
    A request as its allowlist line: "<script> -<Name> <value>..." with the parameters by name (ordinal).
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$ScriptName,
        [Parameter(Mandatory)][System.Collections.Specialized.OrderedDictionary]$Parameters
    )
    $names = [string[]]@($Parameters.Keys)
    [Array]::Sort($names, [StringComparer]::Ordinal)
    $line = $ScriptName
    foreach ($name in $names) { $line += " -$name $($Parameters[$name])" }
    $line
}

function Read-RdpFixRequest {
    <#
    .SYNOPSIS
    The request file, checked: throws (invalid request) on anything the allowlist does not name.
    .OUTPUTS
    PSCustomObject with ScriptPath, ScriptName, RecordId, Parameters (ordered name -> value), IsUndo.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Path)
    $request = Get-Content -LiteralPath $Path -Raw -Encoding UTF8 | ConvertFrom-Json
    foreach ($property in $request.PSObject.Properties) {
        if (@('schema', 'script', 'parameters', 'recordId') -notcontains $property.Name) { throw "The request has an unexpected field '$($property.Name)'." }
    }
    if ($request.schema -ne 1) { throw 'The request is not schema 1.' }
    $scriptName = [string]$request.script
    $recordId = [string]$request.recordId
    if ($recordId -cnotmatch $script:RecordIdPattern) { throw "The request has an invalid record id '$recordId'." }
    $parameters = [ordered]@{}
    if ($null -ne $request.parameters) {
        foreach ($property in $request.parameters.PSObject.Properties) {
            if ($property.Name -cnotmatch $script:NamePattern -or $script:ReservedNames -contains $property.Name) { throw "The request has a parameter that is not allowed: '$($property.Name)'." }
            if ($property.Value -isnot [string] -or $property.Value -cnotmatch $script:ValuePattern) { throw "The request gives parameter $($property.Name) a value that is not allowed." }
            $parameters[$property.Name] = $property.Value
        }
    }
    $line = Get-RdpFixRequestLine -ScriptName $scriptName -Parameters $parameters
    if ($script:AllowedRequests -cnotcontains $line) { throw "The request is not a fix this launcher starts: '$line'." }
    $probesRoot = Split-Path -Parent $PSScriptRoot
    $scriptPath = Join-Path $probesRoot ($scriptName -replace '/', [System.IO.Path]::DirectorySeparatorChar)
    if (-not (Test-Path -LiteralPath $scriptPath -PathType Leaf)) { throw "The fix script $scriptName is not installed." }
    if ($scriptPath.Contains('"')) { throw 'The fix script path cannot be passed safely.' }
    [PSCustomObject]@{
        ScriptPath = $scriptPath; ScriptName = $scriptName; RecordId = $recordId; Parameters = $parameters
        IsUndo = ($scriptName -eq 'common/Undo-RdpFix.ps1')
    }
}

function Write-RdpLauncherResult {
    <#
    .SYNOPSIS
    Writes the launcher result file and returns the exit code to end with.
    .OUTPUTS
    System.Int32
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][ValidateSet('completed', 'cancelled', 'failed')][string]$Status,
        [Parameter(Mandatory)][int]$ExitCode,
        [Parameter(Mandatory)][string]$Message,
        $Result = $null
    )
    $document = [ordered]@{ schema = 1; status = $Status; exitCode = $ExitCode; message = $Message; result = $Result }
    Write-RdpFixJsonFile -Path $ResultPath -Document $document
    $ExitCode
}

try {
    $request = Read-RdpFixRequest -Path $RequestPath
} catch {
    exit (Write-RdpLauncherResult -Status 'failed' -ExitCode $script:ErrorInvalidRequest -Message "Invalid fix request: $($_.Exception.Message)")
}

# The argument string: fixed switches, the quoted script path, then validated tokens only.
$arguments = New-Object System.Collections.ArrayList
foreach ($token in @('-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', ('"' + $request.ScriptPath + '"'), '-RecordId', $request.RecordId)) { $null = $arguments.Add($token) }
foreach ($name in $request.Parameters.Keys) {
    $null = $arguments.Add("-$name")
    $null = $arguments.Add($request.Parameters[$name])
}
# By full path, never a PATH lookup: a planted powershell.exe must not be what runs elevated. The
# folder comes from the OS, not %SystemRoot%/%windir%: a user can set those in HKCU\Environment
# (the known windir UAC bypass). The launcher runs in the 64-bit shell, so System32 is the 64-bit one.
$systemDirectory = Get-RdpSystemDirectory
if (-not $systemDirectory) {
    exit (Write-RdpLauncherResult -Status 'failed' -ExitCode $script:ErrorNoResult -Message 'The fix was not started: the Windows system folder could not be read from the operating system (PowerShell may be in ConstrainedLanguage mode); nothing was changed.')
}
$powershell = "$systemDirectory\WindowsPowerShell\v1.0\powershell.exe"

try {
    $processExitCode = [int](Start-RdpElevatedProcess -FilePath $powershell -ArgumentList ([string[]]$arguments.ToArray()) -TimeoutSeconds $TimeoutSeconds)
} catch {
    if (Test-RdpWin32Cancelled -ErrorRecord $_) {
        exit (Write-RdpLauncherResult -Status 'cancelled' -ExitCode $script:ErrorCancelled -Message 'Cancelled - nothing was changed.')
    }
    if ($_.Exception -is [System.TimeoutException] -or $_.Exception.InnerException -is [System.TimeoutException]) {
        exit (Write-RdpLauncherResult -Status 'failed' -ExitCode $script:ErrorTimeout -Message "The fix did not finish within $TimeoutSeconds seconds and may still be running as administrator. A step that fails is rolled back by the fix itself; check again in a few minutes to see what it changed.")
    }
    exit (Write-RdpLauncherResult -Status 'failed' -ExitCode $script:ErrorNoResult -Message "The fix could not be started: $($_.Exception.Message)")
}

$exitCode = $processExitCode
$kind = 'result'
if ($request.IsUndo) { $kind = 'undo-result' }
$fixResultPath = Get-RdpFixFilePath -RecordId $request.RecordId -Kind $kind
if (-not (Test-Path -LiteralPath $fixResultPath)) {
    if ($exitCode -eq 0) { $exitCode = $script:ErrorNoResult }
    exit (Write-RdpLauncherResult -Status 'failed' -ExitCode $exitCode -Message "The fix ended (exit code $processExitCode) without writing its result.")
}
$fixResult = Read-RdpFixJsonFile -Path $fixResultPath
exit (Write-RdpLauncherResult -Status 'completed' -ExitCode $exitCode -Message "The fix ended with exit code $exitCode." -Result $fixResult)
