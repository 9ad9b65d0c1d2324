#Requires -Version 5.1
<#
.SYNOPSIS
Starts Remote Desktop Services, restarts it (ends every Remote Desktop session), or allows remote
connections again (fDenyTSConnections 1 -> 0).

.DESCRIPTION
A fix on the framework in ../common/RdpHealth.Fix.psm1 (see FIX-FRAMEWORK.md). The listener is read
with this folder's probe (Get-RdpListener.ps1: RDP-Tcp PortNumber, TermService and UmRdpService,
the sockets on the port and their owners, fDenyTSConnections policy and local, the interactive
sessions), so the fix and the check judge the same facts.
- StartService: starts TermService, then UmRdpService (which depends on it); the Service Control
  Manager starts what TermService itself depends on (RpcSs). A service set to Disabled is first set
  to Manual (the Windows default), only then. Verified: TermService listens on PortNumber.
- RestartService: ends every Remote Desktop session, the administrator's own too. The sessions it
  ends are listed in the result's details (also under -WhatIf, so the preview names them). When the
  restart moves the listener to a new PortNumber, the Remote Desktop firewall rules are opened on
  that port in the same run (a port change must update the firewall rule in the same step).
- AllowConnections: sets the local fDenyTSConnections under ...\Control\Terminal Server from 1 to 0;
  a running TermService opens its listener without a restart.
Refused, with nothing changed: connections turned off by group policy (the policy is named), a port
held by another program, a Home edition, and a service state the action cannot help.

.PARAMETER Action
StartService, RestartService (ends every Remote Desktop session) or AllowConnections.

.PARAMETER RecordId
The id of this run's result and undo record (the agent chooses it; one is made up when absent).

.OUTPUTS
System.String. Under -WhatIf one "RDPHEALTH:PLANNED {json}" line per change it would make; always one
"RDPHEALTH:RESULT {json}" line (see RdpHealth.Fix.psm1); RestartService puts the sessions it ends in
details.sessions [{ user, id }]. Exit code: 0 ok, 1 failed (everything restored), 2 blocked by group
policy, 3 restore incomplete.

.EXAMPLE
.\Repair-RdpListener.ps1 -Action RestartService -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)][ValidateSet('StartService', 'RestartService', 'AllowConnections')][string]$Action,
    [ValidatePattern('^[0-9]{8}T[0-9]{6}Z-[a-z0-9-]+_[a-z0-9-]+-[0-9a-f]{8}$')][string]$RecordId
)

# Elevated with the user's environment: the system module folders only, before any import.
. "$PSScriptRoot\..\common\Use-RdpSystemModulePath.ps1"
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Fix.psm1')
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.ServiceRestart.psm1')

$script:ServiceLabels = @{ TermService = 'Remote Desktop Services (TermService)'; UmRdpService = 'Remote Desktop Services UserMode Port Redirector (UmRdpService)' }
$script:FirewallRuleNames = @('RemoteDesktop-UserMode-In-TCP', 'RemoteDesktop-UserMode-In-UDP')
# How long a started service may take to open its listener.
$script:ListenerWaitTries = 10
$script:ListenerWaitMilliseconds = 500

function Get-RdpListenerFixState {
    <#
    .SYNOPSIS
    The listener as this folder's probe reads it (its envelope's data); a probe error is thrown with its kind.
    .OUTPUTS
    PSCustomObject: port, termService, umRdpService, listeningByTermService, otherOwners, denyConnections, sessions, ...
    #>
    [CmdletBinding()]
    param()
    $json = (& (Join-Path $PSScriptRoot 'Get-RdpListener.ps1')) -join "`n"
    $envelope = $json | ConvertFrom-Json
    if (-not $envelope.ok) {
        throw (New-RdpProbeError -Kind ([string]$envelope.error.kind) -Message "Reading the Remote Desktop listener failed: $($envelope.error.message)")
    }
    $envelope.data
}

function Wait-RdpListenerState {
    <#
    .SYNOPSIS
    Re-reads the listener until -Condition holds for it or the wait is over; returns the last reading.
    .OUTPUTS
    PSCustomObject (as Get-RdpListenerFixState)
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][scriptblock]$Condition)
    for ($try = 1; $try -le $script:ListenerWaitTries; $try++) {
        $state = Get-RdpListenerFixState
        if (& $Condition $state) { return $state }
        if ($try -lt $script:ListenerWaitTries) { Start-Sleep -Milliseconds $script:ListenerWaitMilliseconds }
    }
    $state
}

function Test-RdpListening {
    <#
    .SYNOPSIS
    TermService runs and listens on the configured port.
    .OUTPUTS
    System.Boolean
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$State)
    [string]$State.termService.state -eq 'Running' -and [bool]$State.listeningByTermService
}

function Get-RdpOwnerText {
    <#
    .SYNOPSIS
    The other programs on the port, as text: "nginx (pid 5120)".
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$State)
    (@($State.otherOwners) | ForEach-Object {
            $name = 'an unknown program'
            if ($_.processName) { $name = [string]$_.processName }
            "$name (pid $($_.processId))"
        }) -join ', '
}

function ConvertTo-RdpDroppedSession {
    <#
    .SYNOPSIS
    The sessions a restart of TermService ends, for details.sessions: someone is signed in to each.
    User names need elevation to read; without it the entry says so.
    .OUTPUTS
    System.Collections.Hashtable[] with user and id.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$State)
    $list = @()
    foreach ($session in @($State.sessions)) {
        if ($null -eq $session) { continue }
        if (-not $session.userName -and -not $session.desktop) { continue }
        $user = 'a signed-in user (reading the name needs elevation)'
        if ($session.userName) { $user = [string]$session.userName }
        $list += @{ user = $user; id = [int]$session.sessionId }
    }
    , $list
}

function Stop-RdpListenerFixForDeny {
    <#
    .SYNOPSIS
    Connections are turned off: by group policy -> blocked with the policy named; locally -> a
    precondition error pointing at AllowConnections. Returns $true when the run must end here.
    .OUTPUTS
    System.Boolean
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Fix, [Parameter(Mandatory)]$State, [Parameter(Mandatory)][string]$What)
    $deny = $State.denyConnections
    if ($null -eq $deny.effective -or [int]$deny.effective -eq 0) { return $false }
    if ([string]$deny.source -eq 'policy') {
        $policyPath = Get-RdpPath -Name 'TsPolicy'
        Stop-RdpFixForPolicy -Fix $Fix -PolicyPath $policyPath -ValueName 'fDenyTSConnections' -Value $deny.policyValue `
            -Message ("Group policy turns off remote connections to this computer (fDenyTSConnections = $($deny.policyValue) under $policyPath; " +
                "'Allow users to connect remotely by using Remote Desktop Services' is Disabled), so $What would not let anyone connect and nothing was changed. Only that policy can allow connections.")
        return $true
    }
    throw (New-RdpProbeError -Kind 'error' -Message "Remote connections are turned off (fDenyTSConnections = $($deny.effective)), so $What would not make Remote Desktop listen: allow remote connections first. Nothing was changed.")
}

function Add-RdpFirewallPortStep {
    <#
    .SYNOPSIS
    The restart moves the listener to a new port: opens it in the built-in Remote Desktop rules (by
    Name) in the same run, one step per rule that does not cover it. When group policy makes the
    firewall ignore local rules, or a rule is missing, says so in a note instead.
    .OUTPUTS
    None
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Fix, [Parameter(Mandatory)][int]$Port)
    $ignored = @(Get-NetFirewallProfile -PolicyStore ActiveStore | Where-Object { [string]$_.AllowLocalFirewallRules -eq 'False' } | ForEach-Object { [string]$_.Name })
    if ($ignored.Count -gt 0) {
        Add-RdpFixNote -Fix $Fix -Message "Group policy makes the firewall ignore local rules on the $(($ignored -join ', ').ToLowerInvariant()) profile, so this fix cannot open port $($Port) there: the firewall policy must allow it, or connections from other computers fail after the restart."
        return
    }
    foreach ($ruleName in $script:FirewallRuleNames) {
        $rule = $null
        try {
            $rule = Get-NetFirewallRule -Name $ruleName -ErrorAction Stop
        } catch {
            if ([string]$_.CategoryInfo.Category -ne 'ObjectNotFound') { throw }
        }
        if ($null -eq $rule) {
            if ($ruleName -like '*-TCP') { Add-RdpFixNote -Fix $Fix -Message "The firewall rule $ruleName is missing, so no rule opens port $($Port): connections from other computers may fail after the restart." }
            continue
        }
        $ports = @(@($rule | Get-NetFirewallPortFilter) | ForEach-Object { @($_.LocalPort) } | ForEach-Object { [string]$_ })
        $covered = $false
        foreach ($entry in $ports) {
            if ($entry -eq 'Any' -or ($entry -match '^\d+$' -and [int]$entry -eq $Port)) { $covered = $true }
            if ($entry -match '^(\d+)-(\d+)$' -and [int]$Matches[1] -le $Port -and $Port -le [int]$Matches[2]) { $covered = $true }
        }
        if ($covered) { continue }
        $undo = New-RdpFirewallRuleUndo -Name $ruleName
        Invoke-RdpFixStep -Fix $Fix -Target "Firewall rule $ruleName" -Action "Open port $Port, where Remote Desktop listens after the restart (LocalPort $($ports -join ',') -> $Port)" -Undo $undo -Change {
            Set-NetFirewallRule -Name $ruleName -LocalPort ([string]$Port) -ErrorAction Stop
        }
    }
}

function Invoke-RdpStartService {
    <# The StartService body. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Fix, [Parameter(Mandatory)]$Before)
    $term = $Before.termService
    $umRdp = $Before.umRdpService
    $port = [int]$Before.port
    $termRunning = [string]$term.state -eq 'Running'
    $umRdpNeeded = [bool]$umRdp.present -and [string]$umRdp.state -ne 'Running'
    if ($termRunning) {
        if (-not $Before.listeningByTermService) {
            if (Stop-RdpListenerFixForDeny -Fix $Fix -State $Before -What 'starting Remote Desktop Services') { return }
            $reason = 'it does not listen there'
            if (@($Before.otherOwners).Count -gt 0) { $reason = "the port is in use by $(Get-RdpOwnerText -State $Before)" }
            throw (New-RdpProbeError -Kind 'error' -Message "Remote Desktop Services is running but not listening on port $port ($reason), which starting services cannot change. Nothing was changed.")
        }
        if (-not $umRdpNeeded) { return }
    } else {
        if (Stop-RdpListenerFixForDeny -Fix $Fix -State $Before -What 'starting Remote Desktop Services') { return }
        if (@($Before.otherOwners).Count -gt 0) {
            throw (New-RdpProbeError -Kind 'error' -Message "Port $port is in use by $(Get-RdpOwnerText -State $Before), so Remote Desktop Services could not listen there if started. Nothing was changed.")
        }
    }

    # TermService first: UmRdpService depends on it.
    $toStart = @()
    if (-not $termRunning) { $toStart += $term }
    if ($umRdpNeeded) { $toStart += $umRdp }
    foreach ($service in $toStart) {
        $serviceName = [string]$service.name
        $label = $script:ServiceLabels[$serviceName]
        if ([string]$service.startMode -eq 'Disabled') {
            Add-RdpFixNote -Fix $Fix -Message "$label was set to Disabled; it is set to Manual (the Windows default) so that it can start."
            $undo = New-RdpServiceUndo -Name $serviceName
            Invoke-RdpFixStep -Fix $Fix -Target $label -Action 'Set the start type from Disabled to Manual' -Undo $undo -Change {
                Set-Service -Name $serviceName -StartupType Manual -ErrorAction Stop
            }
        }
        $undo = New-RdpServiceUndo -Name $serviceName
        Invoke-RdpFixStep -Fix $Fix -Target $label -Action 'Start the service' -Undo $undo -Change {
            Start-Service -Name $serviceName -ErrorAction Stop
        }
    }
    if ($Fix.WhatIf) { return }

    $after = Wait-RdpListenerState -Condition { param($s) (Test-RdpListening -State $s) -and (-not $s.umRdpService.present -or [string]$s.umRdpService.state -eq 'Running') }
    Assert-RdpFixVerified -Fix $Fix -Condition ((Test-RdpListening -State $after) -and (-not $after.umRdpService.present -or [string]$after.umRdpService.state -eq 'Running')) `
        -Message "TermService is $($after.termService.state), UmRdpService $($after.umRdpService.state), listening on port $($after.port): $($after.listeningByTermService)."
}

function Invoke-RdpRestartService {
    <# The RestartService body. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Fix, [Parameter(Mandatory)]$Before)
    $port = [int]$Before.port
    if ([string]$Before.termService.state -ne 'Running') {
        throw (New-RdpProbeError -Kind 'error' -Message "Remote Desktop Services is $($Before.termService.state), not running: start it instead. Nothing was changed.")
    }
    if ($Before.listeningByTermService) { return }
    if (Stop-RdpListenerFixForDeny -Fix $Fix -State $Before -What 'restarting Remote Desktop Services') { return }
    if (@($Before.otherOwners).Count -gt 0) {
        throw (New-RdpProbeError -Kind 'error' -Message "Port $port is in use by $(Get-RdpOwnerText -State $Before), so Remote Desktop Services could not listen there after a restart. Nothing was changed.")
    }

    $sessions = ConvertTo-RdpDroppedSession -State $Before
    Set-RdpFixDetail -Fix $Fix -Name 'sessions' -Value @($sessions)
    $who = 'No one is signed in right now.'
    if ($sessions.Count -gt 0) { $who = "Signed in now: $(@($sessions | ForEach-Object { "session $($_.id): $($_.user)" }) -join '; ')." }
    Add-RdpFixNote -Fix $Fix -Message "Restarting Remote Desktop Services ends every Remote Desktop session on this computer, yours too if you are connected remotely; unsaved work in them is lost. $who"

    $oldPorts = @(@($Before.termServicePorts) | Where-Object { [int]$_ -ne $port })
    if ($oldPorts.Count -gt 0) {
        Add-RdpFixNote -Fix $Fix -Message "After the restart Remote Desktop answers on port $port instead of $($oldPorts -join ', '): clients must connect to this computer's name followed by :$port."
        Add-RdpFirewallPortStep -Fix $Fix -Port $port
    }

    $undo = New-RdpTermServiceUndo
    $ends = 'ends every Remote Desktop session; none is open now'
    if ($sessions.Count -eq 1) { $ends = 'ends the 1 open Remote Desktop session' }
    if ($sessions.Count -gt 1) { $ends = "ends all $($sessions.Count) open Remote Desktop sessions" }
    Invoke-RdpFixStep -Fix $Fix -Target $script:ServiceLabels['TermService'] -Action "Restart the service ($ends)" -Undo $undo -Change {
        # With a deadline (a busy TermService can hang in Stop Pending); it brings back UmRdpService
        # too, and so does the undo entry when the restart fails.
        Restart-RdpTermService -TimeoutSeconds 60
    }
    if ($Fix.WhatIf) { return }

    $after = Wait-RdpListenerState -Condition { param($s) Test-RdpListening -State $s }
    Assert-RdpFixVerified -Fix $Fix -Condition (Test-RdpListening -State $after) `
        -Message "after the restart TermService is $($after.termService.state) and listens on port(s) $(@($after.termServicePorts) -join ', '), not on $($after.port)."
}

function Invoke-RdpAllowConnections {
    <# The AllowConnections body. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Fix, [Parameter(Mandatory)]$Before)
    $deny = $Before.denyConnections
    if ($null -eq $deny.effective -or [int]$deny.effective -eq 0) { return }
    if ([int]$deny.effective -ne 1) {
        throw (New-RdpProbeError -Kind 'unsupported' -Message "fDenyTSConnections is $($deny.effective), a value Windows does not document; nothing was changed.")
    }
    if ([string]$deny.source -eq 'policy') {
        $null = Stop-RdpListenerFixForDeny -Fix $Fix -State $Before -What 'changing the local setting'
        return
    }

    $path = Get-RdpPath -Name 'TerminalServer'
    $undo = New-RdpRegistryUndo -Path $path -Name 'fDenyTSConnections'
    Invoke-RdpFixStep -Fix $Fix -Target "Remote connections (fDenyTSConnections under $path)" -Action 'Allow remote connections (fDenyTSConnections 1 -> 0)' -Undo $undo -Change {
        $null = New-ItemProperty -LiteralPath $path -Name 'fDenyTSConnections' -PropertyType DWord -Value 0 -Force
    }
    $termRunning = [string]$Before.termService.state -eq 'Running'
    if (-not $termRunning) {
        Add-RdpFixNote -Fix $Fix -Message 'Remote Desktop Services is not running, so no one can connect until it is started.'
    }
    if ($Fix.WhatIf) { return }

    $setting = Get-RdpEffectiveSetting -Name 'fDenyTSConnections' -LocalPath $path
    Assert-RdpFixVerified -Fix $Fix -Condition ($null -ne $setting.Value -and [int]$setting.Value -eq 0) `
        -Message "fDenyTSConnections reads $($setting.Value) ($($setting.Source)) after setting it to 0."
    if ($termRunning) {
        $after = Wait-RdpListenerState -Condition { param($s) Test-RdpListening -State $s }
        if (-not (Test-RdpListening -State $after)) {
            Add-RdpFixNote -Fix $Fix -Message "Remote connections are allowed now, but Remote Desktop Services is not listening on port $($after.port) yet; restarting it may be needed."
        }
    }
}

$fixId = switch ($Action) {
    'StartService' { 'listener.start-service' }
    'RestartService' { 'listener.restart-service' }
    'AllowConnections' { 'listener.allow-connections' }
}
$fix = Start-RdpFix -FixId $fixId -Cmdlet $PSCmdlet -RecordId $RecordId

Invoke-RdpFix -Fix $fix -Body {
    $before = Get-RdpListenerFixState
    if ($before.edition.home) {
        throw (New-RdpProbeError -Kind 'unsupported' -Message "This is a Home edition of Windows ($($before.edition.editionId)), which has no Remote Desktop host; nothing was changed.")
    }
    if (-not $before.termService.present) {
        throw (New-RdpProbeError -Kind 'not-found' -Message 'Remote Desktop Services (TermService) is not installed; nothing was changed.')
    }
    switch ($Action) {
        'StartService' { Invoke-RdpStartService -Fix $fix -Before $before }
        'RestartService' { Invoke-RdpRestartService -Fix $fix -Before $before }
        'AllowConnections' { Invoke-RdpAllowConnections -Fix $fix -Before $before }
    }
}
exit $fix.ExitCode
