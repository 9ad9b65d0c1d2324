#Requires -Version 5.1
<#
.SYNOPSIS
Finds the host checker's latest published snapshot and says whether it can be trusted.

.DESCRIPTION
The host checker (`RDP Health.exe host-check`, run as SYSTEM by Task Scheduler) publishes to
%ProgramData%\RDP Health\host, a folder the installer locks: SYSTEM and Administrators write,
Users read. A snapshot is trusted only if nothing but SYSTEM and administrators could have
written it: the folder and snapshot.json are not reparse points (a junction or symbolic link
would point the reader at a place a user controls), both are owned by SYSTEM or Administrators
(or TrustedInstaller), no Allow entry gives any other SID a right to write, delete or change
permissions, and the file is at most 4 MiB. The folder comes from the known-folder API
(CommonApplicationData), never from $env:ProgramData, which a user can set in HKCU\Environment;
off Windows (the simulated host) the scenario's ProgramData is the only one there is.
The agent reads the file itself (bounded) and checks its contents; this script checks who could
have written it. It also says who the check runs as, so a standard user's agent can say which
checks need the host checker.

.OUTPUTS
System.String. One JSON envelope: {"probe":"host-snapshot","schema":1,"ok":true,"data":
{"folder":"C:\\ProgramData\\RDP Health\\host","state":"trusted"|"absent"|"missing"|"refused","reason":"...",
"folderTrusted":true,"file":"<path to read>","length":1234,"identity":"system"|"elevated-admin"|"standard-user"|null}}.
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')

$script:MaxBytes = 4MB
# SYSTEM, Administrators, TrustedInstaller: the only ones allowed to own or write the folder.
$script:AdminSids = @('S-1-5-18', 'S-1-5-32-544', 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464')
# WriteData, AppendData, WriteExtendedAttributes, DeleteSubdirectoriesAndFiles, WriteAttributes,
# Delete, ChangePermissions, TakeOwnership, GENERIC_ALL, GENERIC_WRITE.
$script:WriteRights = 0x500D0156

function Test-RdpOnWindows {
    if ($PSVersionTable.PSEdition -ne 'Core') { return $true }
    [bool](Get-Variable -Name 'IsWindows' -ValueOnly)
}

function Get-RdpHostSnapshotFolder {
    <# %ProgramData%\RDP Health\host, from the known-folder API on Windows. #>
    if (Test-RdpOnWindows) { $root = [Environment]::GetFolderPath('CommonApplicationData') } else { $root = [string]$env:ProgramData }
    $root.TrimEnd('\') + '\RDP Health\host'
}

function Get-RdpRunningIdentity {
    <# Who this check runs as (a UAC-filtered admin counts as a standard user: Administrators is deny-only). #>
    if (-not (Test-RdpOnWindows)) { return $null }
    $identity = [System.Security.Principal.WindowsIdentity]::GetCurrent()
    if ($identity.IsSystem) { return 'system' }
    $principal = [System.Security.Principal.WindowsPrincipal]::new($identity)
    if ($principal.IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)) { return 'elevated-admin' }
    'standard-user'
}

function Get-RdpWriteProblem {
    <# Why the item at Path could have been written by someone other than SYSTEM or administrators; $null when it could not. #>
    param([Parameter(Mandatory)]$Item, [Parameter(Mandatory)][string]$Path, [Parameter(Mandatory)][string]$What)
    if (([int]$Item.Attributes -band [int][System.IO.FileAttributes]::ReparsePoint) -ne 0) { return "$What is a link (reparse point), not the folder the installer locked" }
    try {
        $acl = Get-Acl -LiteralPath $Path
    } catch {
        return "the permissions of $What could not be read ($($_.Exception.Message))"
    }
    $ownerSid = $acl.GetOwner([System.Security.Principal.SecurityIdentifier])
    $owner = 'nobody'
    if ($null -ne $ownerSid) { $owner = [string]$ownerSid.Value }
    if ($script:AdminSids -notcontains $owner) { return "$What is owned by $owner, not by SYSTEM or Administrators" }
    foreach ($rule in @($acl.GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier]))) {
        if ([string]$rule.AccessControlType -ne 'Allow') { continue }
        $sid = [string]$rule.IdentityReference.Value
        if ($script:AdminSids -contains $sid) { continue }
        if (([int]$rule.FileSystemRights -band $script:WriteRights) -ne 0) { return "$What can be changed by $sid, not only by SYSTEM and Administrators" }
    }
    $null
}

function Read-RdpHostSnapshotTrust {
    $folder = Get-RdpHostSnapshotFolder
    $file = "$folder\snapshot.json"
    $result = [ordered]@{ folder = $folder; state = 'refused'; reason = $null; folderTrusted = $false; file = $null; length = 0; identity = (Get-RdpRunningIdentity) }
    $folderItem = Get-Item -LiteralPath $folder -Force -ErrorAction SilentlyContinue
    if ($null -eq $folderItem) {
        $result.state = 'absent'
        $result.reason = "the folder $folder does not exist: no host checker is installed here"
        return $result
    }
    $result.reason = Get-RdpWriteProblem -Item $folderItem -Path $folder -What "the folder $folder"
    if ($null -ne $result.reason) { return $result }
    $result.folderTrusted = $true
    $fileItem = Get-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue
    if ($null -eq $fileItem) {
        $result.state = 'missing'
        $result.reason = 'the host checker has not published a result yet'
        return $result
    }
    if ($fileItem.PSIsContainer) { $result.reason = "$file is a folder, not a file"; return $result }
    $result.reason = Get-RdpWriteProblem -Item $fileItem -Path $file -What $file
    if ($null -ne $result.reason) { return $result }
    if ($fileItem.Length -gt $script:MaxBytes) {
        $result.reason = "$file is $($fileItem.Length) bytes, more than the $($script:MaxBytes) a snapshot may be"
        return $result
    }
    $result.state = 'trusted'
    $result.file = $fileItem.FullName
    $result.length = $fileItem.Length
    $result
}

Invoke-RdpProbe -Name 'host-snapshot' -Body { Read-RdpHostSnapshotTrust }
