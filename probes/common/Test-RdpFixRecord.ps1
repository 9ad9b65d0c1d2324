#Requires -Version 5.1
<#
.SYNOPSIS
Says, unelevated, whether an undo record can be undone: before the agent asks for elevation (UAC).

.DESCRIPTION
Reads <fix folder>\<RecordId>.undo.json (the fix folder is readable by Users) and its undo result, if
any. On Windows the folder and the record must be admin-owned real files (Assert-RdpFixItemTrusted:
owner Administrators, SYSTEM or a member of Administrators; not a reparse point). Undo-RdpFix.ps1
checks the same again elevated; this check only keeps a prompt from appearing for a record that is
missing, already undone, or planted.

.PARAMETER RecordId
The record, as a fix run reported it (e.g. 20250101T120000Z-nla_enable-1a2b3c4d).

.OUTPUTS
System.String. One line: RDPHEALTH:RECORD { recordId, status: trusted | missing | undone | untrusted, message }.
Exit code 0.

.EXAMPLE
.\Test-RdpFixRecord.ps1 -RecordId 20250101T120000Z-nla_enable-1a2b3c4d
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][ValidatePattern('^[0-9]{8}T[0-9]{6}Z-[a-z0-9-]+_[a-z0-9-]+-[0-9a-f]{8}$')][string]$RecordId
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixFolder.psm1')

$status = 'trusted'
$message = "Record $RecordId can be undone."
try {
    $recordPath = Get-RdpFixFilePath -RecordId $RecordId -Kind 'undo'
    $resultPath = Get-RdpFixFilePath -RecordId $RecordId -Kind 'undo-result'
    if (-not (Test-Path -LiteralPath $recordPath -PathType Leaf)) {
        $status = 'missing'
        $message = "There is no undo record $RecordId on this computer; nothing was changed."
    } else {
        if (Test-RdpWindowsHost) {
            $scope = Get-RdpFixScope -RecordId $RecordId
            Assert-RdpFixItemTrusted -Path (Get-RdpFixRoot -Scope $scope) -Scope $scope
            Assert-RdpFixItemTrusted -Path $recordPath -Scope $scope
        }
        if (Test-Path -LiteralPath $resultPath -PathType Leaf) {
            $previous = Read-RdpFixJsonFile -Path $resultPath
            if ($previous.ok) {
                $status = 'undone'
                $message = "Record $RecordId was undone already; nothing was changed."
            }
        }
    }
} catch {
    $status = 'untrusted'
    $message = "The undo record $RecordId cannot be trusted, so it is not undone: $($_.Exception.Message)"
}
'RDPHEALTH:RECORD ' + (ConvertTo-Json -Compress -InputObject ([ordered]@{ recordId = $RecordId; status = $status; message = $message }))
exit 0
