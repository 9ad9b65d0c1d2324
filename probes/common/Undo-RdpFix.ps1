#Requires -Version 5.1
<#
.SYNOPSIS
Undoes one fix: puts back what its undo record says each step changed, newest step first.

.DESCRIPTION
Reads <fix folder>\<RecordId>.undo.json (written by a fix run on ../common/RdpHealth.Fix.psm1; the
folder is %ProgramData%\RDP Health\fixes, admin-owned) and restores each entry: registry values with
their kinds, CIM method values and properties, firewall rule states, service states, file ACLs (SDDL).
A record is undone once. -WhatIf lists what would be put back and changes nothing.

.PARAMETER RecordId
The record to undo, as a fix run reported it (e.g. 20250101T120000Z-nla_enable-1a2b3c4d).

.OUTPUTS
System.String. Under -WhatIf one "RDPHEALTH:PLANNED {json}" line per step; always one
"RDPHEALTH:RESULT {json}" line: { fixId, recordId, undo: true, ok, outcome, restored, error? }, also
written to <fix folder>\<RecordId>.undo-result.json. Exit code: 0 ok, 1 failed, 3 restore incomplete.

.EXAMPLE
.\Undo-RdpFix.ps1 -RecordId 20250101T120000Z-nla_enable-1a2b3c4d
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)][ValidatePattern('^[0-9]{8}T[0-9]{6}Z-[a-z0-9-]+_[a-z0-9-]+-[0-9a-f]{8}$')][string]$RecordId
)

# Elevated with the user's environment: the system module folders only, before any import.
. "$PSScriptRoot\Use-RdpSystemModulePath.ps1"
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Fix.psm1')

$run = Start-RdpFixUndo -RecordId $RecordId -Cmdlet $PSCmdlet
Invoke-RdpFixUndo -Fix $run
exit $run.ExitCode
