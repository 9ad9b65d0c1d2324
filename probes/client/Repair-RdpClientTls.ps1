#Requires -Version 5.1
<#
.SYNOPSIS
Turns TLS 1.2 back on for this PC's Schannel client, which the Remote Desktop client (mstsc) uses.

.DESCRIPTION
A fix on ../common/RdpHealth.Fix.psm1 (see FIX-FRAMEWORK.md), the client-side twin of
../tls/Repair-RdpTls.ps1. Sets, under HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\
SCHANNEL\Protocols\TLS 1.2\Client, Enabled = 1 and DisabledByDefault = 0 (REG_DWORD), creating the
key when it is missing: what Microsoft's "TLS registry settings" page gives for a TLS 1.2 client.
It raises security (TLS 1.2 replaces older versions a host would otherwise need) and touches no other
version. HKLM: it runs elevated. Each value is journaled first: a failure on the second puts the first
back. Both are re-read afterwards. Schannel reads these when a program loads it, so the result says
to restart this PC (or at least to start the Remote Desktop client again).

.PARAMETER RecordId
The id of this run's result and undo record (the agent chooses it; one is made up when absent).

.OUTPUTS
System.String. Under -WhatIf one "RDPHEALTH:PLANNED {json}" line per change; always one
"RDPHEALTH:RESULT {json}" line (see RdpHealth.Fix.psm1, Invoke-RdpFix), also written to
<fix folder>\<RecordId>.result.json. Exit code: 0 ok, 1 failed (restored), 3 restore incomplete.

.EXAMPLE
.\Repair-RdpClientTls.ps1 -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidatePattern('^[0-9]{8}T[0-9]{6}Z-[a-z0-9-]+_[a-z0-9-]+-[0-9a-f]{8}$')][string]$RecordId
)

# Elevated with the user's environment: the system module folders only, before any import.
. "$PSScriptRoot\..\common\Use-RdpSystemModulePath.ps1"
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Fix.psm1')

# String concatenation, not Join-Path: Join-Path resolves the drive, which a simulated host lacks.
$script:ClientPath = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols' + '\TLS 1.2\Client'
$script:Wanted = [ordered]@{ Enabled = 1; DisabledByDefault = 0 }

$fix = Start-RdpFix -FixId 'client.enable-tls12' -Cmdlet $PSCmdlet -RecordId $RecordId

Invoke-RdpFix -Fix $fix -Body {
    foreach ($name in $script:Wanted.Keys) {
        $value = $script:Wanted[$name]
        $current = Get-RdpRegistryValue -Path $script:ClientPath -Name $name
        if ($null -ne $current -and [long]$current -eq $value) { continue }
        $shown = 'absent'
        if ($null -ne $current) { $shown = $current }
        $undo = New-RdpRegistryUndo -Path $script:ClientPath -Name $name
        Invoke-RdpFixStep -Fix $fix -Target "Schannel TLS 1.2 client of this PC ($script:ClientPath)" -Action "Set $name from $shown to $value (REG_DWORD)" -Undo $undo -Change {
            if (-not (Test-Path -LiteralPath $script:ClientPath)) { $null = New-Item -Path $script:ClientPath -Force }
            $null = New-ItemProperty -LiteralPath $script:ClientPath -Name $name -PropertyType DWord -Value $value -Force
        }
    }
    if ($fix.Changes.Count -gt 0 -or $fix.Planned.Count -gt 0) {
        Set-RdpFixRebootRequired -Fix $fix -Reason 'Programs read the TLS settings when they start: restart this PC (at least close and reopen Remote Desktop Connection) before connecting again.'
    }
    $enabled = Get-RdpRegistryValue -Path $script:ClientPath -Name 'Enabled'
    $disabledByDefault = Get-RdpRegistryValue -Path $script:ClientPath -Name 'DisabledByDefault'
    Assert-RdpFixVerified -Fix $fix -Condition ($null -ne $enabled -and [long]$enabled -eq 1 -and $null -ne $disabledByDefault -and [long]$disabledByDefault -eq 0) `
        -Message "TLS 1.2 client reads Enabled=$enabled, DisabledByDefault=$disabledByDefault after setting 1 and 0."
}
exit $fix.ExitCode
