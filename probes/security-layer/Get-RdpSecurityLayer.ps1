#Requires -Version 5.1
<#
.SYNOPSIS
Reads the security layer RDP-Tcp uses (RDP, Negotiate or TLS), who sets it, and the settings that
decide whether it works with Network Level Authentication.

.DESCRIPTION
Each setting is read from the group policy key (HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal
Services) and the local RDP-Tcp key; the policy value wins. Read: SecurityLayer (registry numbering:
0 RDP, 1 Negotiate, 2 TLS; absent means Negotiate, the documented default), UserAuthentication (NLA),
MinEncryptionLevel (1 low, 2 client compatible, 3 high, 4 FIPS) and fAllowSecProtocolNegotiation.
WMI Win32_TSGeneralSetting is used for the PolicySource* properties only (0 server, 1 group policy,
2 default): its SecurityLayer property is documented with another numbering, so it is reported raw.
WMI that refuses this account is said in `wmi`; the registry still decides.

.OUTPUTS
System.String. One JSON probe envelope: {"probe":"security-layer","schema":1,"ok":true,"data":{...}}.
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')

function ConvertTo-RdpSettingData {
    <#
    .SYNOPSIS
    One setting as probe data: effective value, its source, both raw values and the WMI policy source.
    .OUTPUTS
    PSCustomObject with effective, source, localValue, policyValue, wmiPolicySource.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Setting, $WmiPolicySource = $null, $Fallback = $null)
    $effective = $Setting.Value
    if ($null -eq $effective -and $null -ne $Fallback) { $effective = [int]$Fallback }
    $source = $null
    if ($null -ne $WmiPolicySource) { $source = [int]$WmiPolicySource }
    [PSCustomObject]@{
        effective       = $effective
        source          = $Setting.Source
        localValue      = $Setting.LocalValue
        policyValue     = $Setting.PolicyValue
        wmiPolicySource = $source
    }
}

Invoke-RdpProbe -Name 'security-layer' -Body {
    $layer = Get-RdpEffectiveSetting -Name 'SecurityLayer' -Default 1
    $nla = Get-RdpEffectiveSetting -Name 'UserAuthentication'
    $encryption = Get-RdpEffectiveSetting -Name 'MinEncryptionLevel'
    $negotiation = Get-RdpEffectiveSetting -Name 'fAllowSecProtocolNegotiation'

    # WMI may refuse an unelevated account: the registry decides, WMI only adds the policy sources.
    $wmiRead = Get-RdpTsGeneralSetting
    $wmi = $wmiRead.Instance
    $wmiLayer = $null; $wmiLayerSource = $null
    $wmiNla = $null; $wmiNlaSource = $null
    $wmiEncryption = $null; $wmiEncryptionSource = $null
    if ($null -ne $wmi) {
        $wmiLayer = $wmi.SecurityLayer
        $wmiLayerSource = $wmi.PolicySourceSecurityLayer
        $wmiNla = $wmi.UserAuthenticationRequired
        $wmiNlaSource = $wmi.PolicySourceUserAuthenticationRequired
        $wmiEncryption = $wmi.MinEncryptionLevel
        $wmiEncryptionSource = $wmi.PolicySourceMinEncryptionLevel
    }
    $wmiLayerValue = $null
    if ($null -ne $wmiLayer) { $wmiLayerValue = [int]$wmiLayer }

    [PSCustomObject]@{
        securityLayer               = ConvertTo-RdpSettingData -Setting $layer -WmiPolicySource $wmiLayerSource
        userAuthentication          = ConvertTo-RdpSettingData -Setting $nla -WmiPolicySource $wmiNlaSource -Fallback $wmiNla
        minEncryptionLevel          = ConvertTo-RdpSettingData -Setting $encryption -WmiPolicySource $wmiEncryptionSource -Fallback $wmiEncryption
        allowSecProtocolNegotiation = ConvertTo-RdpSettingData -Setting $negotiation
        wmiSecurityLayer            = $wmiLayerValue
        policyPath                  = $layer.PolicyPath
        localPath                   = $layer.LocalPath
        wmi                         = ConvertTo-RdpWmiReadData -Read $wmiRead
    }
}
