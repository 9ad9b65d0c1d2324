# Turning TLS 1.2 on for one side of Schannel (Server: what Remote Desktop listens with; Client: what
# mstsc connects with), the one body of Repair-RdpTls.ps1 and Repair-RdpClientTls.ps1. Microsoft's
# "TLS registry settings" page: SCHANNEL\Protocols\TLS 1.2\<Server|Client>, Enabled = 1 and
# DisabledByDefault = 0 (REG_DWORD), the key created when missing. Each value is journaled first (a
# failure on the second puts the first back) and both are re-read afterwards.
# Windows PowerShell 5.1 syntax only: this file runs elevated on every Windows host as shipped.

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Fix.psm1')

function Enable-RdpSchannelTls12 {
    <#
    .SYNOPSIS
    Inside Invoke-RdpFix's body: sets TLS 1.2 on for one Schannel side, asks for the restart Schannel
    needs when anything changed or is planned, and verifies both values.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]$Fix,
        [Parameter(Mandatory)][ValidateSet('Server', 'Client')][string]$Side,
        # How the step names what it changes, e.g. "Schannel TLS 1.2 server".
        [Parameter(Mandatory)][string]$Label,
        [Parameter(Mandatory)][string]$RebootReason
    )
    # String concatenation, not Join-Path: Join-Path resolves the drive, which a simulated host lacks.
    $path = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols' + '\TLS 1.2\' + $Side
    $wanted = [ordered]@{ Enabled = 1; DisabledByDefault = 0 }
    foreach ($name in $wanted.Keys) {
        $value = $wanted[$name]
        $current = Get-RdpRegistryValue -Path $path -Name $name
        if ($null -ne $current -and [long]$current -eq $value) { continue }
        $shown = 'absent'
        if ($null -ne $current) { $shown = $current }
        $undo = New-RdpRegistryUndo -Path $path -Name $name
        $change = {
            if (-not (Test-Path -LiteralPath $path)) { $null = New-Item -Path $path -Force }
            $null = New-ItemProperty -LiteralPath $path -Name $name -PropertyType DWord -Value $value -Force
        }.GetNewClosure()
        Invoke-RdpFixStep -Fix $Fix -Target "$Label ($path)" -Action "Set $name from $shown to $value (REG_DWORD)" -Undo $undo -Change $change
    }
    if ($Fix.Changes.Count -gt 0 -or $Fix.Planned.Count -gt 0) {
        Set-RdpFixRebootRequired -Fix $Fix -Reason $RebootReason
    }
    $enabled = Get-RdpRegistryValue -Path $path -Name 'Enabled'
    $disabledByDefault = Get-RdpRegistryValue -Path $path -Name 'DisabledByDefault'
    Assert-RdpFixVerified -Fix $Fix -Condition ($null -ne $enabled -and [long]$enabled -eq 1 -and $null -ne $disabledByDefault -and [long]$disabledByDefault -eq 0) `
        -Message "TLS 1.2 $($Side.ToLowerInvariant()) reads Enabled=$enabled, DisabledByDefault=$disabledByDefault after setting 1 and 0."
}

Export-ModuleMember -Function Enable-RdpSchannelTls12
