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
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.FixSchannel.psm1')

$fix = Start-RdpFix -FixId 'client.enable-tls12' -Cmdlet $PSCmdlet -RecordId $RecordId

Invoke-RdpFix -Fix $fix -Body {
    Enable-RdpSchannelTls12 -Fix $fix -Side Client -Label 'Schannel TLS 1.2 client of this PC' -RebootReason 'Programs read the TLS settings when they start: restart this PC (at least close and reopen Remote Desktop Connection) before connecting again.'
}
exit $fix.ExitCode
