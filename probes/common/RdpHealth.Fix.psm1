# The fix framework: what every probes/<probe>/Repair-Rdp<Thing>.ps1 uses (see docs/FIX-FRAMEWORK.md).
#
# A fix run is a journal of steps. Each step first records how the thing it changes looked (an undo
# entry: registry value and type, CIM property or method argument, firewall rule state, service
# state, ACL SDDL, a deleted certificate), then changes it through ShouldProcess. -WhatIf records
# the step as planned and changes nothing. A step that throws rolls back every recorded step in
# reverse. At the end the run writes a result JSON and (when changes stay) an undo record into an
# admin-owned folder, and prints one machine-readable line per planned change plus one result line:
#   RDPHEALTH:PLANNED {"target":"...","action":"..."}
#   RDPHEALTH:RESULT {"schema":1,"fixId":"...","ok":true,...}
# The agent parses those lines, never the localized "What if:" host text.
# Windows PowerShell 5.1 syntax only: this file runs elevated on every Windows host as shipped.
#
# This module is what fix scripts import; the framework itself is split by idea, and every function
# listed below is re-exported from here:
#   RdpHealth.FixFolder.psm1     where records go: the fix folder (admin-owned), record ids, JSON files
#   RdpHealth.FixRun.psm1        the run: Start-RdpFix, Invoke-RdpFixStep, notes, details, Invoke-RdpFix
#   RdpHealth.FixResult.psm1     what a run reports: PLANNED / RESULT lines, result and undo files, exit codes
#   RdpHealth.FixUndoEntry.psm1  undo entries: New-Rdp*Undo, Restore-RdpUndoEntry, Invoke-RdpCimMethod
#   RdpHealth.FixUndoRecord.psm1 undoing a saved record: Start-RdpFixUndo, Invoke-RdpFixUndo
#   RdpHealth.FixUndoUnchanged.psm1 whether a step that threw changed anything (used by FixRun; not re-exported)
#   RdpHealth.FixCertificate.psm1 the certificate undo kind (not re-exported: Repair-RdpCertificate.ps1
#                                 imports it for New-RdpCertificateUndo)
#   RdpHealth.FixSchannel.psm1   TLS 1.2 on for the Schannel server or client (not re-exported: the two TLS fixes import it)

# A fix runs elevated with the user's environment: only the system module folders are searched from
# here on (the scripts that import this module dot-source the same file first, before any import).
. "$PSScriptRoot\Use-RdpSystemModulePath.ps1"
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixFolder.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixResult.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixUndoEntry.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixRun.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixUndoRecord.psm1')

Export-ModuleMember -Function Get-RdpFixScope, Get-RdpFixIdOfRecord, Get-RdpUserFixRoot, Test-RdpWindowsHost, Get-RdpSystemDirectory, Get-RdpProgramDataFolder, Invoke-RdpSystemTool, Test-RdpAdminOwner, Get-RdpAdministratorsMemberSid, Set-RdpFixItemAdminOwner, Assert-RdpFixItemTrusted, Get-RdpFixRoot, Get-RdpFixFilePath, Initialize-RdpFixFolder, New-RdpFixRecordId, Write-RdpFixJsonFile, Read-RdpFixJsonFile, Start-RdpFix, Write-RdpFixLine, Invoke-RdpFixStep, Restore-RdpFixStep, Write-RdpFixResult, Add-RdpFixNote, Set-RdpFixDetail, Set-RdpFixRebootRequired, Stop-RdpFixForPolicy, Assert-RdpFixVerified, Undo-RdpFixJournal, Invoke-RdpFix, Get-RdpRegistryRawValue, New-RdpRegistryUndo, New-RdpCimMethodUndo, New-RdpCimPropertyUndo, New-RdpServiceUndo, New-RdpFirewallRuleUndo, New-RdpFileAclUndo, New-RdpFileContentUndo, New-RdpIrreversibleUndo, Invoke-RdpCimMethod, Restore-RdpUndoEntry, Start-RdpFixUndo, Invoke-RdpFixUndo
