#Requires -Version 5.1
<#
.SYNOPSIS
Turns Network Level Authentication (NLA) on for RDP-Tcp, or - lowering security - off.

.DESCRIPTION
The exemplar fix on the framework in ../common/RdpHealth.Fix.psm1 (see FIX-FRAMEWORK.md).
Reads the effective setting (group policy value, else local RDP-Tcp value) and Win32_TSGeneralSetting.
- Already as asked: changes nothing.
- Set by group policy: changes nothing and names the policy (a local value would be overridden).
- Otherwise: Win32_TSGeneralSetting.SetUserAuthenticationRequired on the RDP-Tcp instance, then
  re-reads both the registry and WMI; anything but the asked value rolls the change back.
Disable lowers security: users reach a session (and its sign-in screen) before they authenticate,
and NLA is the mitigation for BlueKeep (CVE-2019-0708). It is never part of "repair all".
The undo record calls the same method with the value read before the change.

.PARAMETER Action
Enable (require NLA) or Disable (lowers security).

.PARAMETER RecordId
The id of this run's result and undo record (the agent chooses it; one is made up when absent).

.OUTPUTS
System.String. Under -WhatIf one "RDPHEALTH:PLANNED {json}" line per change it would make; always one
"RDPHEALTH:RESULT {json}" line: { fixId, recordId, ok, outcome, changes, planned, restored, notes,
policy?, error?, undoAvailable }. The same result is written to <fix folder>\<RecordId>.result.json.
Exit code: 0 ok, 1 failed (everything restored), 2 blocked by group policy, 3 restore incomplete.

.EXAMPLE
.\Repair-RdpNla.ps1 -Action Enable -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)][ValidateSet('Enable', 'Disable')][string]$Action,
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

function Get-RdpNlaFixState {
    <#
    .SYNOPSIS
    The effective NLA setting (policy vs local) and the WMI view of it.
    .OUTPUTS
    PSCustomObject with Setting (Get-RdpEffectiveSetting), Effective, WmiValue, WmiPolicySource, SecurityLayer.
    #>
    [CmdletBinding()]
    param()
    $setting = Get-RdpEffectiveSetting -Name 'UserAuthentication'
    $wmi = @(Get-CimInstance -Namespace $script:Namespace -ClassName $script:ClassName -Filter $script:Filter)
    if ($wmi.Count -ne 1) { throw (New-RdpProbeError -Kind 'not-found' -Message "Expected one $script:ClassName where $script:Filter, found $($wmi.Count).") }
    $wmiValue = $null
    if ($null -ne $wmi[0].UserAuthenticationRequired) { $wmiValue = [int]$wmi[0].UserAuthenticationRequired }
    $effective = $setting.Value
    if ($null -eq $effective) { $effective = $wmiValue }
    [PSCustomObject]@{
        Setting         = $setting
        Effective       = $effective
        WmiValue        = $wmiValue
        WmiPolicySource = $wmi[0].PolicySourceUserAuthenticationRequired
        SecurityLayer   = (Get-RdpEffectiveSetting -Name 'SecurityLayer' -Default 1).Value
    }
}

$wanted = 0
if ($Action -eq 'Enable') { $wanted = 1 }
$fix = Start-RdpFix -FixId "nla.$($Action.ToLowerInvariant())" -Cmdlet $PSCmdlet -RecordId $RecordId

Invoke-RdpFix -Fix $fix -Body {
    $before = Get-RdpNlaFixState
    if ($null -ne $before.Effective -and [int]$before.Effective -eq $wanted) { return }

    # Group policy wins over the local value: writing the local one would change nothing that counts.
    if ($before.Setting.Source -eq 'policy' -or $before.WmiPolicySource -eq 1) {
        $policyPath = Get-RdpPath -Name 'TsPolicy'
        Stop-RdpFixForPolicy -Fix $fix -PolicyPath $policyPath -ValueName 'UserAuthentication' -Value $before.Setting.PolicyValue `
            -Message "Group policy sets UserAuthentication to $($before.Setting.PolicyValue) ($policyPath): only that policy can change Network Level Authentication, so nothing was changed."
        return
    }
    if ($null -eq $before.WmiValue) { throw (New-RdpProbeError -Kind 'unsupported' -Message 'Win32_TSGeneralSetting has no UserAuthenticationRequired value to change.') }

    if ($Action -eq 'Disable') {
        Add-RdpFixNote -Fix $fix -Message 'Turning Network Level Authentication off lowers security: anyone who can reach this computer gets a session and its sign-in screen before proving who they are.'
    } elseif ($null -ne $before.SecurityLayer -and [int]$before.SecurityLayer -eq 0) {
        Add-RdpFixNote -Fix $fix -Message 'The security layer is RDP (SecurityLayer 0), and NLA needs TLS: set the security layer to Negotiate or TLS too, or clients cannot sign in.'
    }

    $undo = New-RdpCimMethodUndo -Namespace $script:Namespace -ClassName $script:ClassName -Filter $script:Filter `
        -MethodName 'SetUserAuthenticationRequired' -Arguments @{ UserAuthenticationRequired = $before.WmiValue }
    $description = 'Turn Network Level Authentication off (UserAuthentication 1 -> 0)'
    if ($wanted -eq 1) { $description = "Require Network Level Authentication (UserAuthentication $($before.WmiValue) -> 1)" }
    Invoke-RdpFixStep -Fix $fix -Target 'Remote Desktop listener RDP-Tcp' -Action $description -Undo $undo -Change {
        Invoke-RdpCimMethod -Namespace $script:Namespace -ClassName $script:ClassName -Filter $script:Filter `
            -MethodName 'SetUserAuthenticationRequired' -Arguments @{ UserAuthenticationRequired = [uint32]$wanted }
    }

    $after = Get-RdpNlaFixState
    Assert-RdpFixVerified -Fix $fix -Condition ($after.Effective -eq $wanted -and $after.WmiValue -eq $wanted) `
        -Message "UserAuthentication reads $($after.Effective) (WMI $($after.WmiValue)) after setting it to $wanted."
}
exit $fix.ExitCode
