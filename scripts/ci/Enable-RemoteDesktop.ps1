<#
.SYNOPSIS
Turns Remote Desktop on, the documented way, on a disposable Windows CI runner, and waits until
TermService listens on 3389: fDenyTSConnections = 0 under HKLM\System\CurrentControlSet\Control\
Terminal Server, and the built-in Remote Desktop firewall rule group enabled by its resource id
(@FirewallAPI.dll,-28752; the display name is localized).
#>
[CmdletBinding()]
param([int]$TimeoutSeconds = 120)
$ErrorActionPreference = 'Stop'
Set-ItemProperty -LiteralPath 'HKLM:\System\CurrentControlSet\Control\Terminal Server' -Name 'fDenyTSConnections' -Value 0 -Type DWord
Enable-NetFirewallRule -Group '@FirewallAPI.dll,-28752'
Set-Service -Name 'TermService' -StartupType Manual
Start-Service -Name 'TermService'
$deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
while (-not (Get-NetTCPConnection -LocalPort 3389 -State Listen -ErrorAction SilentlyContinue)) {
    if ([datetime]::UtcNow -gt $deadline) { throw "Nothing listens on 3389 $TimeoutSeconds s after turning Remote Desktop on." }
    Start-Sleep -Seconds 2
}
Get-NetTCPConnection -LocalPort 3389 -State Listen | Select-Object LocalAddress, LocalPort, OwningProcess | Format-Table | Out-String | Write-Host
