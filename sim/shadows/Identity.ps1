# Follows: Microsoft Learn "How AccessCheck Works" and "User Account Control" (a filtered admin token keeps Administrators deny-only).
# Who the simulated checks run as, and what Windows lets that identity read. Follows the access check
# of "How AccessCheck Works" (learn.microsoft.com/windows/win32/secauthz/how-dacls-control-access-to-an-object)
# and "User Account Control" (a filtered admin token keeps Administrators as a deny-only group).
# Identity, first found: $env:RDP_HEALTH_SIM_IDENTITY (per process: the host checker and a user's tray
# share one working copy), the scenario's `host.identity`, the old `host.elevated` (true elevated-admin,
# false standard-user), else 'system'. $env:RDP_HEALTH_SIM_ELEVATED = '1' lifts a non-elevated identity
# to elevated-admin (older tests).
#   system          S-1-5-18; Administrators enabled (what the host checker runs as)
#   elevated-admin  a user SID, Administrators enabled (Run as administrator)
#   uac-admin       the same user, Administrators deny-only (an admin's unelevated tray, UAC on)
#   standard-user   a user SID, no Administrators
# `host.adminOnly` lists what only an elevated token may open (real hosts set their own ACLs on these):
#   "adminOnly": { "cimNamespaces": [ "root/cimv2/TerminalServices" ], "certificateStores": [ "LocalMachine\\Remote Desktop" ] }

$script:SimIdentities = @('system', 'elevated-admin', 'uac-admin', 'standard-user')
# The signed-in user's SID (a sample domain SID) and the groups an interactive (RDP) logon carries.
$script:SimUserSid = 'S-1-5-21-1004336348-1177238915-682003330-1105'
$script:SimUserGroups = @('S-1-1-0', 'S-1-5-32-545', 'S-1-5-4', 'S-1-5-14', 'S-1-2-0', 'S-1-5-11', 'S-1-5-15')
# Access masks: READ_CONTROL, WRITE_DAC; the generic rights as FILE_GENERIC_* (winnt.h).
$script:SimReadControl = [int64]0x20000
$script:SimWriteDac = [int64]0x40000
$script:SimGenericMap = @(
    @{ Bit = [int64]0x80000000; Mask = [int64]0x120089 },
    @{ Bit = [int64]0x40000000; Mask = [int64]0x120116 },
    @{ Bit = [int64]0x20000000; Mask = [int64]0x1200A0 },
    @{ Bit = [int64]0x10000000; Mask = [int64]0x1F01FF }
)

function Get-SimIdentity {
    <# The identity the simulated checks run as: system, elevated-admin, uac-admin or standard-user. #>
    $identity = $null
    if ($env:RDP_HEALTH_SIM_IDENTITY) { $identity = [string]$env:RDP_HEALTH_SIM_IDENTITY }
    elseif (Test-SimHostActive) {
        $identity = [string](Get-SimHostSetting -Name 'identity' -Default '')
        if (-not $identity) {
            $elevated = Get-SimHostSetting -Name 'elevated' -Default $null
            $identity = if ($null -eq $elevated) { 'system' } elseif ([bool]$elevated) { 'elevated-admin' } else { 'standard-user' }
        }
    } else { $identity = 'system' }
    if ($script:SimIdentities -notcontains $identity) { throw "Unknown simulated identity '$identity': one of $($script:SimIdentities -join ', ')." }
    if ($env:RDP_HEALTH_SIM_ELEVATED -eq '1' -and $identity -in @('uac-admin', 'standard-user')) { return 'elevated-admin' }
    $identity
}

function Test-SimElevated {
    <# True when the identity holds an elevated token (SYSTEM or Run as administrator). #>
    (Get-SimIdentity) -in @('system', 'elevated-admin')
}

function Get-SimToken {
    <# The identity's token: Enabled SIDs (user and groups) and DenyOnly SIDs (match Deny entries only). #>
    switch (Get-SimIdentity) {
        'system' { return @{ Enabled = @('S-1-5-18', 'S-1-5-32-544', 'S-1-1-0', 'S-1-5-11'); DenyOnly = @() } }
        'elevated-admin' { return @{ Enabled = @($script:SimUserSid, 'S-1-5-32-544') + $script:SimUserGroups; DenyOnly = @() } }
        'uac-admin' { return @{ Enabled = @($script:SimUserSid) + $script:SimUserGroups; DenyOnly = @('S-1-5-32-544') } }
        default { return @{ Enabled = @($script:SimUserSid) + $script:SimUserGroups; DenyOnly = @() } }
    }
}

function ConvertTo-SimAccessMask {
    <# A scenario rights value (FileSystemRights name or number) as an unsigned mask, generic rights mapped. #>
    param([Parameter(Mandatory)]$Rights)
    $mask = [int64][int](ConvertTo-SimFileSystemRights $Rights)
    if ($mask -lt 0) { $mask += [int64]4294967296 }
    foreach ($generic in $script:SimGenericMap) { if ($mask -band $generic.Bit) { $mask = ($mask -band (-bnot $generic.Bit)) -bor $generic.Mask } }
    $mask
}

function Test-SimAccess {
    <#
    Whether the identity gets every bit of Desired on an object with this owner and ACL (scenario rule
    specs, in order). The owner gets READ_CONTROL and WRITE_DAC first; then Deny entries (enabled or
    deny-only SIDs) refuse what is still wanted and Allow entries (enabled SIDs) grant it.
    #>
    param([string]$Owner, [AllowEmptyCollection()][object[]]$Acl, [Parameter(Mandatory)][int64]$Desired)
    $token = Get-SimToken
    $granted = [int64]0
    if ($Owner -and $token.Enabled -contains $Owner) { $granted = $script:SimReadControl -bor $script:SimWriteDac }
    foreach ($rule in @($Acl)) {
        if ($null -eq $rule) { continue }
        $wanted = $Desired -band (-bnot $granted)
        if ($wanted -eq 0) { break }
        $sid = [string]$rule['IdentityReference']
        $mask = ConvertTo-SimAccessMask $rule['FileSystemRights']
        if ([string]$rule['AccessControlType'] -eq 'Deny') {
            if (($token.Enabled -contains $sid -or $token.DenyOnly -contains $sid) -and ($mask -band $wanted)) { return $false }
        } elseif ($token.Enabled -contains $sid) {
            $granted = $granted -bor ($mask -band $wanted)
        }
    }
    ($Desired -band (-bnot $granted)) -eq 0
}

function Test-SimAdminOnly {
    <# True when `host.adminOnly.<Kind>` lists Name and the identity is not elevated: Windows refuses it. #>
    param([Parameter(Mandatory)][ValidateSet('cimNamespaces', 'certificateStores')][string]$Kind, [Parameter(Mandatory)][string]$Name)
    if (Test-SimElevated) { return $false }
    $adminOnly = Get-SimHostSetting -Name 'adminOnly' -Default $null
    if ($adminOnly -isnot [System.Collections.IDictionary] -or -not $adminOnly.Contains($Kind)) { return $false }
    $wanted = $Name -replace '/', '\'
    foreach ($listed in @($adminOnly[$Kind])) { if (([string]$listed -replace '/', '\') -ieq $wanted) { return $true } }
    $false
}

function New-SimCimAccessDenied {
    <# What Get-CimInstance writes for a namespace the caller may not open: a CimException, PermissionDenied, WBEM_E_ACCESS_DENIED. #>
    param([Parameter(Mandatory)][string]$Namespace, [Parameter(Mandatory)][string]$ClassName, [string]$Command = 'GetCimInstanceCommand')
    # Off Windows a CimException cannot carry its NativeErrorCode: the category and the id say AccessDenied.
    $exception = [Microsoft.Management.Infrastructure.CimException]::new('Access denied ')
    [System.Management.Automation.ErrorRecord]::new($exception, "HRESULT 0x80041003,Microsoft.Management.Infrastructure.CimCmdlets.$Command", 'PermissionDenied', "$($Namespace -replace '/', '\'):$ClassName")
}
