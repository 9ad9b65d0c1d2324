#Requires -Version 5.1
<#
.SYNOPSIS
Writes one RDP Health event to the Application event log, under the source "RDP Health".

.DESCRIPTION
The message is read from a UTF-8 file the agent wrote, so its text never becomes part of a
command line. The event id and the entry type are validated against the documented set (README,
"Event Log"). The installer registers the source; when it is not registered (a development copy,
or the installer did not run), the script reports error kind not-found instead of trying to
register it, because registering a source needs administrator rights.

.OUTPUTS
System.String. One JSON envelope: {"probe":"event-log","schema":1,"ok":true,"data":{"eventId":1003,"entryType":"Error","length":123}}.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [ValidateSet(1001, 1002, 1003, 1004, 1010, 1011, 1012, 1013, 1014)]
    [int]$EventId,

    [Parameter(Mandatory)]
    [ValidateSet('Information', 'Warning', 'Error')]
    [string]$EntryType,

    [Parameter(Mandatory)]
    [ValidatePattern('\.txt$')]
    [string]$MessageFile
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')

$script:SourceName = 'RDP Health'
$script:SourceKey = 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\RDP Health'
# The event log refuses messages longer than 31839 characters.
$script:MaxMessageLength = 31000

Invoke-RdpProbe -Name 'event-log' -Body {
    if (-not (Test-Path -LiteralPath $MessageFile -PathType Leaf)) {
        throw (New-RdpProbeError -Kind 'not-found' -Message "The message file $MessageFile does not exist.")
    }
    if (-not (Test-Path -Path $script:SourceKey)) {
        throw (New-RdpProbeError -Kind 'not-found' -Message "The event source '$($script:SourceName)' is not registered in the Application log; the installer registers it.")
    }
    $message = Get-Content -LiteralPath $MessageFile -Raw -Encoding UTF8
    if ($null -eq $message) { $message = '' }
    if ($message.Length -gt $script:MaxMessageLength) { $message = $message.Substring(0, $script:MaxMessageLength) }
    $splatEvent = @{
        LogName   = 'Application'
        Source    = $script:SourceName
        EventId   = $EventId
        EntryType = $EntryType
        Message   = $message
    }
    Write-EventLog @splatEvent
    [PSCustomObject]@{ eventId = $EventId; entryType = $EntryType; length = $message.Length }
}
