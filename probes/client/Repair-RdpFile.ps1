#Requires -Version 5.1
<#
.SYNOPSIS
Turns CredSSP (Network Level Authentication) back on in this user's .rdp files for one computer.

.DESCRIPTION
A fix on ../common/RdpHealth.Fix.psm1 (see FIX-FRAMEWORK.md) of the user's own files: it runs as the
user, never elevated (an elevated administrator may be another account, with another Documents
folder), and its result and undo record go to the user's own fix folder (Get-RdpFixScope: fix ids
rdp-file.*). It reads the .rdp files in the user's Documents (HKCU User Shell Folders\Personal, as
Get-RdpClientHistory.ps1 does: at most 50 files of at most 64 KB) whose "full address" names
-TargetHost, and where the file's last enablecredsspsupport line says 0 (mstsc reads the last one),
sets every enablecredsspsupport line to enablecredsspsupport:i:1. Each file's whole text is kept in the
undo record first, and the file is written as UTF-16 LE with a byte order mark (what mstsc writes).
Nothing else in the file changes. It raises security: the client then offers NLA again.

.PARAMETER Action
EnableCredSsp: the one change this fix makes.

.PARAMETER TargetHost
The computer whose .rdp files are changed: a host name or IPv4 address as the connect check saw it.

.PARAMETER RecordId
The id of this run's result and undo record (the agent chooses it; one is made up when absent).

.OUTPUTS
System.String. Under -WhatIf one "RDPHEALTH:PLANNED {json}" line per file; always one
"RDPHEALTH:RESULT {json}" line (see RdpHealth.Fix.psm1, Invoke-RdpFix), also written to
<user fix folder>\<RecordId>.result.json. Exit code: 0 ok, 1 failed (restored), 3 restore incomplete.

.EXAMPLE
.\Repair-RdpFile.ps1 -Action EnableCredSsp -TargetHost rdphost01.contoso.com -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)][ValidateSet('EnableCredSsp')][string]$Action,
    [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$')][string]$TargetHost,
    [ValidatePattern('^[0-9]{8}T[0-9]{6}Z-[a-z0-9-]+_[a-z0-9-]+-[0-9a-f]{8}$')][string]$RecordId
)

. "$PSScriptRoot\..\common\Use-RdpSystemModulePath.ps1"
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Fix.psm1')

$script:ShellFoldersPath = 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Explorer\User Shell Folders'
$script:MaxFiles = 50
$script:MaxFileBytes = 65536
# A line as mstsc reads it: name:type:value, the name case-insensitive and trimmed.
# (.NET's multiline $ stops before \n only, and .rdp lines end in \r\n: the lookahead takes either.)
$script:CredSspLine = '(?im)^[ \t]*enablecredsspsupport[ \t]*:i:([^\r\n]*)(?=\r?$)'
$script:AddressLine = '(?im)^[ \t]*full address[ \t]*:s:([^\r\n]*)(?=\r?$)'

function Get-RdpFileLastValue {
    param([string]$Text, [string]$Pattern)
    $found = @([regex]::Matches($Text, $Pattern))
    if ($found.Count -eq 0) { return $null }
    $found[$found.Count - 1].Groups[1].Value.Trim()
}

function Get-RdpFileHost {
    <# The host of a full address value: [v6]:port, host:port or host. #>
    param([string]$Address)
    if (-not $Address) { return $null }
    if ($Address -match '^\[([^\]]+)\]') { return $Matches[1] }
    ($Address -split ':')[0]
}

$fix = Start-RdpFix -FixId 'rdp-file.enable-credssp' -Cmdlet $PSCmdlet -RecordId $RecordId

Invoke-RdpFix -Fix $fix -Body {
    $documents = Get-RdpRegistryValue -Path $script:ShellFoldersPath -Name 'Personal'
    if (-not $documents) { throw (New-RdpProbeError -Kind 'not-found' -Message "This user's Documents folder is not known (User Shell Folders\Personal), so no .rdp file was changed.") }
    $files = @(Get-ChildItem -LiteralPath $documents -Filter '*.rdp' -File | Sort-Object -Property Name | Select-Object -First $script:MaxFiles)
    $changed = @()
    foreach ($file in $files) {
        if ($file.Length -gt $script:MaxFileBytes) { continue }
        $text = [string](Get-Content -LiteralPath $file.FullName -Raw)
        if ((Get-RdpFileHost -Address (Get-RdpFileLastValue -Text $text -Pattern $script:AddressLine)) -ne $TargetHost) { continue }
        if ((Get-RdpFileLastValue -Text $text -Pattern $script:CredSspLine) -ne '0') { continue }
        $path = $file.FullName
        $newText = [regex]::Replace($text, $script:CredSspLine, 'enablecredsspsupport:i:1')
        $undo = New-RdpFileContentUndo -Path $path
        Invoke-RdpFixStep -Fix $fix -Target $path -Action "Set enablecredsspsupport from 0 to 1 (NLA on for $TargetHost)" -Undo $undo -Change {
            Set-Content -LiteralPath $path -Value $newText -Encoding Unicode -NoNewline
        }
        $changed += $path
    }
    if ($fix.WhatIf) { return }
    foreach ($path in $changed) {
        $after = Get-RdpFileLastValue -Text ([string](Get-Content -LiteralPath $path -Raw)) -Pattern $script:CredSspLine
        Assert-RdpFixVerified -Fix $fix -Condition ($after -eq '1') -Message "$path reads enablecredsspsupport $after after setting 1."
    }
}
exit $fix.ExitCode
