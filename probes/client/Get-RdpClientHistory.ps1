#Requires -Version 5.1
<#
.SYNOPSIS
Reads this user's Remote Desktop history: the computers mstsc remembers and the .rdp files in Documents.

.DESCRIPTION
mstsc keeps the last ten computers typed in HKCU:\Software\Microsoft\Terminal Server Client\Default
(MRU0..MRU9, MRU0 the newest) and one key a computer under ...\Servers\<host> (UsernameHint: the
user name last used; CertHash: the SHA-1 of a certificate the user chose to trust despite a warning).
The Documents folder is the one Explorer uses (HKCU User Shell Folders\Personal, so a folder moved to
OneDrive is followed); its *.rdp files are returned as text, parsed by the agent as mstsc parses them.
Only this user's own keys and files are read. At most 50 files of at most 64 KB each.

.OUTPUTS
System.String. One JSON probe envelope: {"probe":"client-history","schema":1,"ok":true,"data":{...}}.
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')

$clientPath = 'HKCU:\Software\Microsoft\Terminal Server Client'
$shellFoldersPath = 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Explorer\User Shell Folders'
$maxFiles = 50
$maxFileBytes = 65536

function Get-RdpClientMru {
    $defaultPath = "$clientPath\Default"
    foreach ($index in 0..9) {
        $value = Get-RdpRegistryValue -Path $defaultPath -Name "MRU$index"
        if ($value -is [string] -and $value.Trim() -ne '') { [PSCustomObject]@{ slot = "MRU$index"; target = $value.Trim() } }
    }
}

function Get-RdpClientServer {
    $serversPath = "$clientPath\Servers"
    if (-not (Test-Path -Path $serversPath)) { return }
    foreach ($key in @(Get-ChildItem -LiteralPath $serversPath -ErrorAction Stop)) {
        $hostName = [string]$key.PSChildName
        $keyPath = "$serversPath\$hostName"
        $hint = Get-RdpRegistryValue -Path $keyPath -Name 'UsernameHint'
        $hash = Get-RdpRegistryValue -Path $keyPath -Name 'CertHash'
        $hashHex = $null
        if ($hash -is [byte[]]) { $hashHex = ConvertTo-RdpHex -Bytes $hash }
        [PSCustomObject]@{ host = $hostName; usernameHint = $hint; certHash = $hashHex }
    }
}

function Get-RdpClientFile {
    param([string]$Folder)
    if (-not $Folder) { return }
    # A Documents folder that does not exist (never created, OneDrive not synced) holds no files.
    try { $found = @(Get-ChildItem -LiteralPath $Folder -Filter '*.rdp' -File -ErrorAction Stop) }
    catch [System.Management.Automation.ItemNotFoundException] { return }
    $files = @($found | Sort-Object -Property Name | Select-Object -First $maxFiles)
    foreach ($file in $files) {
        $text = $null
        $problem = $null
        if ($file.Length -gt $maxFileBytes) {
            $problem = "larger than $maxFileBytes bytes: not a file mstsc wrote"
        } else {
            try { $text = Get-Content -LiteralPath $file.FullName -Raw }
            catch { $problem = "could not be read: $($_.Exception.Message)" }
        }
        [PSCustomObject]@{ path = $file.FullName; name = $file.Name; sizeBytes = [long]$file.Length; text = $text; problem = $problem }
    }
}

Invoke-RdpProbe -Name 'client-history' -Body {
    $documents = Get-RdpRegistryValue -Path $shellFoldersPath -Name 'Personal'
    [PSCustomObject]@{
        mru       = @(Get-RdpClientMru)
        servers   = @(Get-RdpClientServer)
        documents = $documents
        rdpFiles  = @(Get-RdpClientFile -Folder $documents)
    }
}
