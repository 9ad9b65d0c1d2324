#Requires -Version 5.1
<#
.SYNOPSIS
Reads the RDP Health administrator policy from HKLM:\SOFTWARE\Policies\RDP Health.

.DESCRIPTION
Group Policy (the shipped rdp-health.admx), Intune or a plain .reg file put these values under the
policy key: CheckIntervalMinutes (REG_DWORD), WarnDays (REG_MULTI_SZ, REG_SZ "30,7" or REG_DWORD),
NotificationsDisabled, FixesDisabled, HideSecurityLoweringFixes (REG_DWORD 0 or 1),
MetricsTextfileDirectory (REG_SZ: where to write rdp_health.prom for windows_exporter). The script only
reports what is there, verbatim; the agent validates each value and ignores (and logs) any it does
not understand. An absent key means no policy.

.OUTPUTS
System.String. One JSON envelope: {"probe":"admin-policy","schema":1,"ok":true,"data":{"path":...,"present":true,"values":{...},"kinds":{...}}}.
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')

$script:PolicyPath = 'HKLM:\SOFTWARE\Policies\RDP Health'
$script:PolicyNames = @('CheckIntervalMinutes', 'WarnDays', 'NotificationsDisabled', 'FixesDisabled', 'HideSecurityLoweringFixes', 'MetricsTextfileDirectory')

function ConvertTo-RdpPolicyValue {
    <#
    .SYNOPSIS
    A registry value as JSON-friendly data and the kind it was stored as (dword, string, multi, other).
    .OUTPUTS
    PSCustomObject with Kind and Value.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][AllowNull()]$Value)
    if ($Value -is [int] -or $Value -is [long]) { return [PSCustomObject]@{ Kind = 'dword'; Value = [long]$Value } }
    if ($Value -is [string]) { return [PSCustomObject]@{ Kind = 'string'; Value = $Value } }
    if ($Value -is [array]) { return [PSCustomObject]@{ Kind = 'multi'; Value = @($Value | ForEach-Object { [string]$_ }) } }
    [PSCustomObject]@{ Kind = 'other'; Value = [string]$Value }
}

Invoke-RdpProbe -Name 'admin-policy' -Body {
    $present = Test-Path -Path $script:PolicyPath
    $values = [ordered]@{}
    $kinds = [ordered]@{}
    if ($present) {
        $item = Get-ItemProperty -Path $script:PolicyPath
        foreach ($name in $script:PolicyNames) {
            $property = $item.PSObject.Properties[$name]
            if ($null -eq $property -or $null -eq $property.Value) { continue }
            $converted = ConvertTo-RdpPolicyValue -Value $property.Value
            $values[$name] = $converted.Value
            $kinds[$name] = $converted.Kind
        }
    }
    [PSCustomObject]@{
        path    = $script:PolicyPath
        present = $present
        values  = [PSCustomObject]$values
        kinds   = [PSCustomObject]$kinds
    }
}
