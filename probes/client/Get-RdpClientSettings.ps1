#Requires -Version 5.1
<#
.SYNOPSIS
Reads this PC's Remote Desktop client settings as the client reads them: Schannel client TLS versions,
CredSSP Encryption Oracle Remediation, the client's recent connection events, and whether this PC
itself accepts Remote Desktop connections.

.DESCRIPTION
- TLS per version: Enabled and DisabledByDefault under HKLM:\SYSTEM\CurrentControlSet\Control\
  SecurityProviders\SCHANNEL\Protocols\TLS 1.x\Client. An absent value means the OS default for the
  build (CurrentBuild): TLS 1.3 client from build 20348 (Server 2022 / Windows 11); TLS 1.0 and 1.1 off
  from build 26100 (Windows 11 24H2 / Server 2025); TLS 1.2 on from build 9200. Older: unknown (null).
- CredSSP: AllowEncryptionOracle under HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\
  CredSSP\Parameters (0 Force Updated Clients, 1 Mitigated, 2 Vulnerable). Group policy ("Encryption
  Oracle Remediation") and a local change both write this one value; absent = Mitigated (the default
  since the May 2018 update, KB4093492).
- Events: Microsoft-Windows-TerminalServices-RDPClient/Operational 1024 (connecting to <server>) and
  1026 (disconnected, Reason= <code>), the newest 40 of the last 30 days. No log or no events = none.
- Host side of this PC: EditionID (Home editions, Core*, have no RDP host) and fDenyTSConnections
  (policy first, then local).

.OUTPUTS
System.String. One JSON probe envelope: {"probe":"client-settings","schema":1,"ok":true,"data":{...}}.
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')

$protocolsPath = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols'
$versionPath = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
$credSspPath = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\CredSSP\Parameters'
$clientLog = 'Microsoft-Windows-TerminalServices-RDPClient/Operational'

function Get-RdpClientTlsDefault {
    param([string]$Version, $Build)
    if ($null -eq $Build) { return $null }
    switch ($Version) {
        '1.0' { return ($Build -lt 26100) }
        '1.1' { if ($Build -ge 9200) { return ($Build -lt 26100) } }
        '1.2' { if ($Build -ge 9200) { return $true } }
        '1.3' { return ($Build -ge 20348) }
    }
    $null
}

function Get-RdpClientTlsProtocol {
    param($Build)
    foreach ($version in @('1.0', '1.1', '1.2', '1.3')) {
        $path = "$protocolsPath\TLS $version\Client"
        $enabled = Get-RdpRegistryValue -Path $path -Name 'Enabled'
        $disabledByDefault = Get-RdpRegistryValue -Path $path -Name 'DisabledByDefault'
        $osDefault = Get-RdpClientTlsDefault -Version $version -Build $Build
        $effective = $osDefault
        $source = 'os-default'
        if ($null -ne $enabled) { $source = 'registry'; $effective = ([int]$enabled -ne 0) }
        [PSCustomObject]@{
            version = $version; path = $path; enabled = $enabled; disabledByDefault = $disabledByDefault
            osDefault = $osDefault; effective = $effective; source = $source
        }
    }
}

function Get-RdpClientEvent {
    $filter = @{ LogName = $clientLog; Id = @(1024, 1026); StartTime = (Get-Date).AddDays(-30) }
    $events = @()
    try { $events = @(Get-WinEvent -FilterHashtable $filter -MaxEvents 40 -ErrorAction Stop) }
    catch {
        # No events, or no such log on this edition: nothing to report. Access denied still fails.
        if ($_.FullyQualifiedErrorId -notmatch 'NoMatchingEventsFound|NoMatchingLogsFound' -and $_.CategoryInfo.Category -ne 'ObjectNotFound') { throw }
    }
    foreach ($record in $events) {
        $reason = $null
        $server = $null
        $message = [string]$record.Message
        if ($record.Id -eq 1026 -and $message -match '=\s*(\d+)\s*\)') { $reason = [int]$Matches[1] }
        if ($record.Id -eq 1024 -and $message -match '\(([^()]+)\)\s*\.?\s*$') { $server = $Matches[1].Trim() }
        [PSCustomObject]@{ id = [int]$record.Id; time = (ConvertTo-RdpIsoDate -Date $record.TimeCreated); reason = $reason; server = $server; message = $message }
    }
}

Invoke-RdpProbe -Name 'client-settings' -Body {
    $buildText = Get-RdpRegistryValue -Path $versionPath -Name 'CurrentBuild'
    $build = $null
    if ($null -ne $buildText -and [string]$buildText -match '^\d+$') { $build = [int]$buildText }
    $oracle = Get-RdpRegistryValue -Path $credSspPath -Name 'AllowEncryptionOracle'
    $deny = Get-RdpEffectiveSetting -Name 'fDenyTSConnections' -LocalPath (Get-RdpPath -Name TerminalServer) -Default 1
    [PSCustomObject]@{
        os          = [PSCustomObject]@{
            build       = $build
            productName = (Get-RdpRegistryValue -Path $versionPath -Name 'ProductName')
            editionId   = (Get-RdpRegistryValue -Path $versionPath -Name 'EditionID')
        }
        tls         = @(Get-RdpClientTlsProtocol -Build $build)
        credSsp     = [PSCustomObject]@{ path = $credSspPath; allowEncryptionOracle = $oracle }
        rdpHost     = [PSCustomObject]@{ denyConnections = $deny.Value; source = $deny.Source }
        events      = @(Get-RdpClientEvent)
    }
}
