#Requires -Version 5.1
<#
.SYNOPSIS
Lets Remote Desktop (NETWORK SERVICE, S-1-5-20) read the private key file of its certificate, then
restarts Remote Desktop Services (TermService) so that it loads the key.

.DESCRIPTION
A fix on ../common/RdpHealth.Fix.psm1 (see FIX-FRAMEWORK.md), shaped like ../nla/Repair-RdpNla.ps1;
RDP-FACTS.md section 2. The key file is the one the key-access probe reads (Get-RdpKeyAccess.ps1 is
run and its keyFile used, so the fix acts on exactly the file the check reported). Then:
  icacls <that one file> /grant *S-1-5-20:(R)
by SID, on that file only - never the MachineKeys folder, never /t, never takeown. The file's
access rules are saved first (SDDL of the DACL, in the undo record), then TermService is restarted,
which ends every Remote Desktop session: the sessions signed in now are listed in the result's
details.sessions (read by the listener probe, Get-RdpListener.ps1). It changes nothing and says why
when the probe cannot tell which file it is, when a Deny rule blocks the read (an administrator must
look at that rule), or when the file is not in the machine key folders. Verified by running the
probe again; any failure restores the saved rules.

.PARAMETER Action
GrantNetworkService (the only action).

.PARAMETER RecordId
The id of this run's result and undo record (the agent chooses it; one is made up when absent).

.OUTPUTS
System.String. Under -WhatIf one "RDPHEALTH:PLANNED {json}" line per change; always one
"RDPHEALTH:RESULT {json}" line (see RdpHealth.Fix.psm1, Invoke-RdpFix) with details keyFile and
sessions. Also written to <fix folder>\<RecordId>.result.json.
Exit code: 0 ok, 1 failed (restored), 3 restore incomplete.

.EXAMPLE
.\Repair-RdpKeyAccess.ps1 -Action GrantNetworkService -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)][ValidateSet('GrantNetworkService')][string]$Action,
    [ValidatePattern('^[0-9]{8}T[0-9]{6}Z-[a-z0-9-]+_[a-z0-9-]+-[0-9a-f]{8}$')][string]$RecordId
)

# Elevated with the user's environment: the system module folders only, before any import.
. "$PSScriptRoot\..\common\Use-RdpSystemModulePath.ps1"
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Fix.psm1')
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.ServiceRestart.psm1')

$script:NetworkServiceGrant = '*S-1-5-20:(R)'
$script:Reasons = @{
    'no-binding'          = 'No certificate is bound to Remote Desktop, so there is no key file to grant access to.'
    'certificate-missing' = 'The certificate Remote Desktop is bound to is not on this computer, so its key file is unknown.'
    'no-private-key'      = 'The Remote Desktop certificate has no private key here: granting access to a key file would not help.'
    'key-file-missing'    = 'The key file of the Remote Desktop certificate does not exist: there is nothing to grant access to.'
    'not-file-backed'     = 'The certificate key is kept by a key storage provider (such as the TPM), not in a file: there is no file to grant access to.'
    'several-key-files'   = 'There are several Remote Desktop key files and none is named after this computer: which one to grant access to is unclear.'
}

function Get-RdpProbeData {
    <#
    .SYNOPSIS
    Runs a shipped probe script and returns its envelope data; a failed probe throws its error kind.
    .OUTPUTS
    PSCustomObject: the probe's data.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][ValidateSet('key-access/Get-RdpKeyAccess.ps1', 'listener/Get-RdpListener.ps1')][string]$Script)
    $json = & (Join-Path $PSScriptRoot "../$Script")
    $envelope = ([string]($json -join "`n")) | ConvertFrom-Json
    if (-not $envelope.ok) { throw (New-RdpProbeError -Kind ([string]$envelope.error.kind) -Message ([string]$envelope.error.message)) }
    $envelope.data
}

function Test-RdpMachineKeyFile {
    <#
    .SYNOPSIS
    True when a path is one file directly in a machine key folder (Crypto\RSA\MachineKeys or Crypto\Keys).
    .OUTPUTS
    System.Boolean
    #>
    [CmdletBinding()]
    param([AllowNull()][string]$Path)
    if (-not $Path) { return $false }
    # From the OS, not $env:ProgramData: a user can set that in HKCU\Environment and this runs elevated.
    $root = ([string](Get-RdpProgramDataFolder)).TrimEnd('\') + '\Microsoft\Crypto\'
    foreach ($folder in @('RSA\MachineKeys\', 'Keys\')) {
        $prefix = $root + $folder
        if ($Path.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase) -and $Path.Substring($prefix.Length) -match '^[0-9A-Za-z_-]+$') { return $true }
    }
    $false
}

function Get-RdpSessionList {
    <#
    .SYNOPSIS
    The interactive sessions a TermService restart would end, as the listener probe reads them.
    .OUTPUTS
    PSCustomObject[] with user and id, or $null when they could not be read.
    #>
    [CmdletBinding()]
    param()
    try {
        $listener = Get-RdpProbeData -Script 'listener/Get-RdpListener.ps1'
    } catch {
        Write-Verbose "The sessions could not be read: $($_.Exception.Message)"
        return $null
    }
    , @(foreach ($session in @($listener.sessions)) {
            $user = "session $($session.sessionId)"
            if ($session.userName) { $user = [string]$session.userName }
            [PSCustomObject][ordered]@{ user = $user; id = [int]$session.sessionId }
        })
}

$fix = Start-RdpFix -FixId 'key-access.grant-network-service' -Cmdlet $PSCmdlet -RecordId $RecordId

Invoke-RdpFix -Fix $fix -Body {
    $before = Get-RdpProbeData -Script 'key-access/Get-RdpKeyAccess.ps1'
    if ($before.reason) {
        $message = $script:Reasons[[string]$before.reason]
        if (-not $message) { $message = "The key file could not be determined ($($before.reason))." }
        throw (New-RdpProbeError -Kind 'unsupported' -Message "$message Nothing was changed.")
    }
    $keyFile = [string]$before.keyFile
    Set-RdpFixDetail -Fix $fix -Name 'keyFile' -Value $keyFile
    if (@($before.readDeniedBy).Count -gt 0) {
        throw (New-RdpProbeError -Kind 'unsupported' -Message "A Deny rule for $(@($before.readDeniedBy) -join ', ') on $keyFile blocks the read, and a grant does not override it: an administrator must look at that rule. Nothing was changed.")
    }
    if ($before.networkServiceRead) { return }
    if (-not (Test-RdpMachineKeyFile -Path $keyFile)) {
        throw (New-RdpProbeError -Kind 'unsupported' -Message "The key file $keyFile is not a file in the machine key folders, so this fix does not touch it. Nothing was changed.")
    }

    $termService = @(Get-RdpServiceState -Name 'TermService')
    $restart = $termService[0].Present -and $termService[0].State -eq 'Running'
    if ($restart) {
        $sessions = Get-RdpSessionList
        Set-RdpFixDetail -Fix $fix -Name 'sessions' -Value $sessions
        $listed = 'the sessions signed in now could not be listed'
        if ($null -ne $sessions) { $listed = "$(@($sessions).Count) session(s) are signed in now" }
        Add-RdpFixNote -Fix $fix -Message "Restarting Remote Desktop Services ends every Remote Desktop session on this computer ($listed): unsaved work in them is lost."
    } else {
        Add-RdpFixNote -Fix $fix -Message 'Remote Desktop Services is not running: it reads the key when it next starts.'
    }

    $undo = New-RdpFileAclUndo -Path $keyFile
    Invoke-RdpFixStep -Fix $fix -Target "Key file $keyFile" -Action "Allow NETWORK SERVICE (S-1-5-20) to read this one file (icacls /grant $script:NetworkServiceGrant)" -Undo $undo -Change {
        $output = @(Invoke-RdpSystemTool -Name 'icacls.exe' -ArgumentList @($keyFile, '/grant', $script:NetworkServiceGrant))
        if ($LASTEXITCODE -ne 0) { throw (New-RdpProbeError -Kind 'error' -Message "icacls could not grant read on $keyFile (exit code $LASTEXITCODE): $($output -join ' ')") }
    }

    if ($restart) {
        $undo = New-RdpTermServiceUndo
        Invoke-RdpFixStep -Fix $fix -Target 'Remote Desktop Services (TermService)' -Action 'Restart the service so that it loads the key (ends every Remote Desktop session)' -Undo $undo -Change {
            # With a deadline (a busy TermService can hang in Stop Pending); it brings back UmRdpService
            # too, and so does the undo entry when the restart fails.
            Restart-RdpTermService -TimeoutSeconds 60
        }
    }
    if ($fix.WhatIf) { return }

    $after = Get-RdpProbeData -Script 'key-access/Get-RdpKeyAccess.ps1'
    $running = (-not $restart) -or (@(Get-RdpServiceState -Name 'TermService')[0].State -eq 'Running')
    Assert-RdpFixVerified -Fix $fix -Condition ($after.networkServiceRead -and [string]$after.keyFile -eq $keyFile -and $running) `
        -Message "the key-access check reads networkServiceRead=$($after.networkServiceRead) on $($after.keyFile) (rules: $(@($after.rules | ForEach-Object { "$($_.type) $($_.sid) $($_.rights)" }) -join '; ')); TermService running: $running."
}
exit $fix.ExitCode
