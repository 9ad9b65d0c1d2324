# Restarting Remote Desktop Services (TermService) with a deadline. On a busy host TermService can hang
# in Stop Pending; Restart-Service (and Stop-Service) would then wait for ever, and the fix with it. So
# the stop is asked for with -NoWait and waited for with ServiceController.WaitForStatus and a timeout:
# past it the step throws, and the fix framework rolls back: the undo entry New-RdpTermServiceUndo makes
# starts TermService again and the dependents that ran before (UmRdpService), which the forced stop stopped.

Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixUndoEntry.psm1')

# The services that depend on TermService, which stopping it stops too.
$script:TermServiceDependents = @('UmRdpService')

function New-RdpTermServiceUndo {
    <#
    .SYNOPSIS
    The undo entry for a TermService restart: TermService's state and start mode, and its running dependents.
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param()
    New-RdpServiceUndo -Name 'TermService' -Dependent $script:TermServiceDependents
}

function Wait-RdpServiceStatus {
    <#
    .SYNOPSIS
    Waits until a service has the status, at most TimeoutSeconds; throws a timeout error naming what it is instead.
    .OUTPUTS
    None
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_]+$')][string]$Name,
        [Parameter(Mandatory)][ValidateSet('Stopped', 'Running')][string]$Status,
        [Parameter(Mandatory)][ValidateRange(1, 3600)][int]$TimeoutSeconds
    )
    $controller = Get-Service -Name $Name -ErrorAction Stop
    try {
        $controller.WaitForStatus([System.ServiceProcess.ServiceControllerStatus]$Status, [TimeSpan]::FromSeconds($TimeoutSeconds))
    } catch {
        $now = [string](Get-Service -Name $Name -ErrorAction Stop).Status
        throw (New-RdpProbeError -Kind 'timeout' -Message "$Name did not reach $Status within $TimeoutSeconds seconds (it is $now).")
    }
}

function Restart-RdpTermService {
    <#
    .SYNOPSIS
    Restarts TermService within a deadline per phase (stop, start), then starts again the running
    services that depend on it (UmRdpService), which a forced stop stops too.
    .OUTPUTS
    None. Throws (kind timeout) when TermService does not stop or start in time.
    #>
    [CmdletBinding()]
    param([ValidateRange(1, 3600)][int]$TimeoutSeconds = 60)
    $dependents = @(Get-RdpServiceState -Name $script:TermServiceDependents | Where-Object { $_.Present -and $_.State -eq 'Running' } | ForEach-Object { $_.Name })
    Stop-Service -Name 'TermService' -Force -NoWait -ErrorAction Stop -WhatIf:$false -Confirm:$false
    Wait-RdpServiceStatus -Name 'TermService' -Status Stopped -TimeoutSeconds $TimeoutSeconds
    Start-Service -Name 'TermService' -ErrorAction Stop -WhatIf:$false -Confirm:$false
    Wait-RdpServiceStatus -Name 'TermService' -Status Running -TimeoutSeconds $TimeoutSeconds
    foreach ($dependent in $dependents) {
        if ([string](@(Get-RdpServiceState -Name $dependent)[0].State) -ne 'Running') { Start-Service -Name $dependent -ErrorAction Stop -WhatIf:$false -Confirm:$false }
    }
}

Export-ModuleMember -Function Wait-RdpServiceStatus, New-RdpTermServiceUndo, Restart-RdpTermService
