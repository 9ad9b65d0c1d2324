<#
.SYNOPSIS
Copies what the agent, the host checker and the fixes left on a Windows CI runner into one folder
for the workflow's artifacts: the per-user data folders, %ProgramData%\RDP Health (host snapshot,
history, metrics, fix records), the host checker task, and the RDP Health events of the
Application log. Missing pieces are listed, never fatal: this step runs after failures too.
#>
[CmdletBinding()]
param([Parameter(Mandatory)][string]$Destination)
$ErrorActionPreference = 'Continue'
New-Item -ItemType Directory -Force -Path $Destination | Out-Null
$sources = @{
    'localappdata' = (Join-Path $env:LOCALAPPDATA 'RDP Health')
    'appdata' = (Join-Path $env:APPDATA 'RDP Health')
    'programdata' = (Join-Path ([Environment]::GetFolderPath('CommonApplicationData')) 'RDP Health')
}
foreach ($name in $sources.Keys) {
    if (Test-Path -LiteralPath $sources[$name]) { Copy-Item -LiteralPath $sources[$name] -Destination (Join-Path $Destination $name) -Recurse -Force }
    else { "not present: $($sources[$name])" | Add-Content -LiteralPath (Join-Path $Destination 'missing.txt') }
}
$task = Get-ScheduledTask -TaskPath '\RDP Health\' -ErrorAction SilentlyContinue
if ($task) { $task | Export-ScheduledTask | Set-Content -LiteralPath (Join-Path $Destination 'host-checker-task.xml') }
$events = @(Get-WinEvent -FilterHashtable @{ LogName = 'Application'; ProviderName = 'RDP Health' } -MaxEvents 500 -ErrorAction SilentlyContinue)
$events | Select-Object TimeCreated, Id, LevelDisplayName, Message | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath (Join-Path $Destination 'events.json')
Write-Host "Saved the agent's files, $($events.Count) events and the task definition to $Destination"
