#Requires -Version 5.1
<#
.SYNOPSIS
Turns TLS 1.2 on for the Schannel server side, which Remote Desktop uses. Takes effect after a restart.

.DESCRIPTION
A fix on ../common/RdpHealth.Fix.psm1 (see FIX-FRAMEWORK.md), shaped like ../nla/Repair-RdpNla.ps1.
Sets, under HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server,
Enabled = 1 and DisabledByDefault = 0 (REG_DWORD), creating the key when it is missing. Each value
is journaled first: a failure on the second puts the first back. Both are re-read afterwards.
Schannel reads these at start, so the result says a restart is needed. The undo record puts back
the old values (or removes values that did not exist; an empty key means the Windows default).

.PARAMETER RecordId
The id of this run's result and undo record (the agent chooses it; one is made up when absent).

.OUTPUTS
System.String. Under -WhatIf one "RDPHEALTH:PLANNED {json}" line per change; always one
"RDPHEALTH:RESULT {json}" line (see RdpHealth.Fix.psm1, Invoke-RdpFix) with rebootRequired true
when something changed, also written to <fix folder>\<RecordId>.result.json.
Exit code: 0 ok, 1 failed (restored), 3 restore incomplete.

.EXAMPLE
.\Repair-RdpTls.ps1 -WhatIf
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

$fix = Start-RdpFix -FixId 'tls.enable-tls12' -Cmdlet $PSCmdlet -RecordId $RecordId

Invoke-RdpFix -Fix $fix -Body {
    Enable-RdpSchannelTls12 -Fix $fix -Side Server -Label 'Schannel TLS 1.2 server' -RebootReason 'Windows reads the TLS settings at start: restart the computer for TLS 1.2 to be offered.'
}
exit $fix.ExitCode
