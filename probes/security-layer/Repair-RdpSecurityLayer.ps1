#Requires -Version 5.1
<#
.SYNOPSIS
Sets the security layer of RDP-Tcp to Negotiate or TLS, or - lowering security - to RDP.

.DESCRIPTION
A fix on ../common/RdpHealth.Fix.psm1 (see FIX-FRAMEWORK.md), shaped like ../nla/Repair-RdpNla.ps1.
Registry numbering (the one the probe reads): 0 RDP, 1 Negotiate, 2 TLS; SetSecurityLayer takes the same.
- Already as asked: changes nothing.
- Set by group policy: changes nothing and names the policy.
- TLS while the encryption level is 1 (Low): refused, nothing changed (documented as invalid).
- RDP while NLA is required: refused, nothing changed (NLA needs TLS, so nobody could sign in).
- Otherwise: Win32_TSGeneralSetting.SetSecurityLayer on the RDP-Tcp instance, then the registry
  value is re-read; anything but the asked value rolls the change back.
RDP lowers security: the server is not authenticated by a certificate and TLS does not protect the
session. It is never part of "repair all". The undo record calls the method with the old value.

.PARAMETER Layer
Negotiate (1), Tls (2) or Rdp (0, lowers security).

.PARAMETER RecordId
The id of this run's result and undo record (the agent chooses it; one is made up when absent).

.OUTPUTS
System.String. Under -WhatIf one "RDPHEALTH:PLANNED {json}" line per change; always one
"RDPHEALTH:RESULT {json}" line (see RdpHealth.Fix.psm1, Invoke-RdpFix), also written to
<fix folder>\<RecordId>.result.json. Exit code: 0 ok, 1 failed (restored), 2 blocked by group policy,
3 restore incomplete.

.EXAMPLE
.\Repair-RdpSecurityLayer.ps1 -Layer Negotiate -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)][ValidateSet('Negotiate', 'Tls', 'Rdp')][string]$Layer,
    [ValidatePattern('^[0-9]{8}T[0-9]{6}Z-[a-z0-9-]+_[a-z0-9-]+-[0-9a-f]{8}$')][string]$RecordId
)

# Elevated with the user's environment: the system module folders only, before any import.
. "$PSScriptRoot\..\common\Use-RdpSystemModulePath.ps1"
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Fix.psm1')

$script:Namespace = 'root/cimv2/TerminalServices'
$script:ClassName = 'Win32_TSGeneralSetting'
$script:Filter = "TerminalName='RDP-Tcp'"
$script:LayerNames = @{ 0 = 'RDP'; 1 = 'Negotiate'; 2 = 'TLS' }

function Get-RdpSecurityLayerFixState {
    <#
    .SYNOPSIS
    The effective SecurityLayer, NLA and MinEncryptionLevel settings (policy vs local) and the WMI policy source.
    .OUTPUTS
    PSCustomObject with Setting, Effective, WmiPolicySource, Nla, MinEncryptionLevel.
    #>
    [CmdletBinding()]
    param()
    $setting = Get-RdpEffectiveSetting -Name 'SecurityLayer' -Default 1
    $wmi = @(Get-CimInstance -Namespace $script:Namespace -ClassName $script:ClassName -Filter $script:Filter)
    if ($wmi.Count -ne 1) { throw (New-RdpProbeError -Kind 'not-found' -Message "Expected one $script:ClassName where $script:Filter, found $($wmi.Count).") }
    $effective = $null
    if ($null -ne $setting.Value) { $effective = [int]$setting.Value }
    $nla = (Get-RdpEffectiveSetting -Name 'UserAuthentication').Value
    if ($null -eq $nla) { $nla = $wmi[0].UserAuthenticationRequired }
    $encryption = (Get-RdpEffectiveSetting -Name 'MinEncryptionLevel').Value
    if ($null -eq $encryption) { $encryption = $wmi[0].MinEncryptionLevel }
    [PSCustomObject]@{
        Setting            = $setting
        Effective          = $effective
        WmiPolicySource    = $wmi[0].PolicySourceSecurityLayer
        Nla                = $nla
        MinEncryptionLevel = $encryption
    }
}

$wanted = @{ Rdp = 0; Negotiate = 1; Tls = 2 }[$Layer]
$fix = Start-RdpFix -FixId "security-layer.set-$($Layer.ToLowerInvariant())" -Cmdlet $PSCmdlet -RecordId $RecordId

Invoke-RdpFix -Fix $fix -Body {
    $before = Get-RdpSecurityLayerFixState
    if ($before.Effective -eq $wanted) { return }

    if ($before.Setting.Source -eq 'policy' -or $before.WmiPolicySource -eq 1) {
        $policyPath = Get-RdpPath -Name 'TsPolicy'
        Stop-RdpFixForPolicy -Fix $fix -PolicyPath $policyPath -ValueName 'SecurityLayer' -Value $before.Setting.PolicyValue `
            -Message "Group policy sets SecurityLayer to $($before.Setting.PolicyValue) ($policyPath): only that policy can change the security layer, so nothing was changed."
        return
    }
    if ($wanted -eq 2 -and $null -ne $before.MinEncryptionLevel -and [int]$before.MinEncryptionLevel -eq 1) {
        throw (New-RdpProbeError -Kind 'error' -Message 'The encryption level is Low (MinEncryptionLevel 1), which Windows does not allow with the TLS security layer; nothing was changed. Choose Negotiate instead.')
    }
    if ($wanted -eq 0 -and $null -ne $before.Nla -and [int]$before.Nla -eq 1) {
        throw (New-RdpProbeError -Kind 'error' -Message 'Network Level Authentication is required and needs TLS, so with the RDP security layer nobody could sign in; nothing was changed. Turn NLA off first if you really must.')
    }
    if ($wanted -eq 0) {
        Add-RdpFixNote -Fix $fix -Message 'The RDP security layer lowers security: the computer no longer proves who it is with a certificate and the connection is not protected by TLS.'
    }

    $old = 'not set'
    if ($null -ne $before.Effective) { $old = "$($script:LayerNames[$before.Effective]) ($($before.Effective))" }
    $undoValue = 1
    if ($null -ne $before.Effective) { $undoValue = $before.Effective }
    $undo = New-RdpCimMethodUndo -Namespace $script:Namespace -ClassName $script:ClassName -Filter $script:Filter `
        -MethodName 'SetSecurityLayer' -Arguments @{ SecurityLayer = $undoValue }
    Invoke-RdpFixStep -Fix $fix -Target 'Remote Desktop listener RDP-Tcp' `
        -Action "Set the security layer from $old to $($script:LayerNames[$wanted]) ($wanted)" -Undo $undo -Change {
        Invoke-RdpCimMethod -Namespace $script:Namespace -ClassName $script:ClassName -Filter $script:Filter `
            -MethodName 'SetSecurityLayer' -Arguments @{ SecurityLayer = [uint32]$wanted }
    }

    $after = Get-RdpSecurityLayerFixState
    Assert-RdpFixVerified -Fix $fix -Condition ($after.Effective -eq $wanted) `
        -Message "SecurityLayer reads $($after.Effective) after setting it to $wanted."
}
exit $fix.ExitCode
