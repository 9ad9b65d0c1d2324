#Requires -Version 5.1
<#
.SYNOPSIS
Reads whether RDP-Tcp requires Network Level Authentication (NLA), and whether group policy or the
local setting decides it.

.DESCRIPTION
Effective value = the policy value under HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services
if present, else the local RDP-Tcp value. WMI (Win32_TSGeneralSetting) is read too: its
PolicySourceUserAuthenticationRequired says 0 server, 1 group policy, 2 default. WMI that refuses
this account (root\cimv2\TerminalServices has its own ACL) is said in `wmi`; the registry still decides.
The effective SecurityLayer is read as well (registry: 0 RDP, 1 Negotiate, 2 TLS; absent means
Negotiate, the documented default), because NLA cannot run over the RDP security layer: whether
turning NLA on is safe, or turning it off would resolve a contradiction, depends on it.

.OUTPUTS
System.String. One JSON probe envelope: {"probe":"nla","schema":1,"ok":true,"data":{...}}.
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')

Invoke-RdpProbe -Name 'nla' -Body {
    $setting = Get-RdpEffectiveSetting -Name 'UserAuthentication'
    $layer = Get-RdpEffectiveSetting -Name 'SecurityLayer' -Default 1
    # WMI may refuse an unelevated account: the registry decides, WMI only adds its policy source.
    $wmiRead = Get-RdpTsGeneralSetting
    $wmi = $wmiRead.Instance
    $wmiValue = $null
    $wmiSource = $null
    if ($null -ne $wmi) {
        $wmiValue = $wmi.UserAuthenticationRequired
        $wmiSource = $wmi.PolicySourceUserAuthenticationRequired
    }
    $effective = $setting.Value
    if ($null -eq $effective -and $null -ne $wmiValue) { $effective = [int]$wmiValue }
    [PSCustomObject]@{
        effective           = $effective
        source              = $setting.Source
        localValue          = $setting.LocalValue
        policyValue         = $setting.PolicyValue
        policyPath          = $setting.PolicyPath
        localPath           = $setting.LocalPath
        wmiValue            = $wmiValue
        wmiPolicySource     = $wmiSource
        securityLayer       = $layer.Value
        securityLayerSource = $layer.Source
        wmi                 = ConvertTo-RdpWmiReadData -Read $wmiRead
    }
}
