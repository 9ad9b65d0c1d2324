# What the firewall probe and the firewall fix must read the same way: whether a rule's LocalPort list
# covers a port (the probe finds the rules that admit RDP with it, the fix plans and verifies with it).
# Windows PowerShell 5.1 syntax only: this file ships.

Set-StrictMode -Version 3.0
# Module functions do not inherit the calling script's preference (probes run as `& script` in
# the warm session), so a non-terminating error here would slip past the probe's error mapping.
$ErrorActionPreference = 'Stop'

function Test-RdpPortCovered {
    <#
    .SYNOPSIS
    Whether LocalPort entries (Any, a number, a range a-b) cover the port.
    .OUTPUTS
    System.Boolean
    #>
    [CmdletBinding()]
    param([AllowEmptyCollection()][string[]]$LocalPort, [Parameter(Mandatory)][int]$Port)
    foreach ($entry in @($LocalPort)) {
        if ($entry -eq 'Any') { return $true }
        if ($entry -match '^\d+$' -and [int]$entry -eq $Port) { return $true }
        if ($entry -match '^(\d+)-(\d+)$' -and [int]$Matches[1] -le $Port -and $Port -le [int]$Matches[2]) { return $true }
    }
    $false
}

Export-ModuleMember -Function Test-RdpPortCovered
