# Repair-RdpListener.ps1 on the simulated host: start, restart (the sessions it ends, in the preview
# too), allow connections; preview, apply, verify with the probe, undo, failure half way, group policy.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot 'FixTestHost.ps1')

    $script:Script = 'listener/Repair-RdpListener.ps1'
    $script:TsPolicy = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
    $script:RdpTcp = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'

    function Get-Listener {
        $probe = Invoke-FixProbe -Script 'listener/Get-RdpListener.ps1'
        $probe.ok | Should -BeTrue
        $probe.data
    }

    function Get-ProbeRule([string]$Name) {
        $probe = Invoke-FixProbe -Script 'firewall/Get-RdpFirewall.ps1'
        @($probe.data.rdpRules | Where-Object { $_.name -eq $Name })[0]
    }
}
AfterAll { Remove-Item -Path env:RDP_HEALTH_FIX_ROOT -ErrorAction SilentlyContinue }

Describe 'Repair-RdpListener -Action StartService on termservice-stopped' {
    BeforeEach { $testHost = Initialize-FixTestHost -Scenario 'termservice-stopped' }

    It '-WhatIf plans TermService, then UmRdpService, and changes nothing' {
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'StartService'; WhatIf = $true }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'planned'
        @($run.Planned | ForEach-Object { $_.target }) | Should -Be @(
            'Remote Desktop Services (TermService)', 'Remote Desktop Services UserMode Port Redirector (UmRdpService)')
        Get-FixHostText | Should -BeExactly $before
        Test-Path -LiteralPath $testHost.FixRoot | Should -BeFalse
    }

    It 'applied, the probe reads TermService listening on the port; undo stops both again' {
        $before = Get-HostStateText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'StartService' }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'applied'
        @($run.Result.changes).Count | Should -Be 2
        $listener = Get-Listener
        $listener.termService.state | Should -Be 'Running'
        $listener.umRdpService.state | Should -Be 'Running'
        $listener.listeningByTermService | Should -BeTrue
        @($listener.termServicePorts) | Should -Be @(3389)

        $record = Get-Content -LiteralPath (Join-Path $testHost.FixRoot "$($run.Result.recordId).undo.json") -Raw | ConvertFrom-Json
        @($record.steps | ForEach-Object { $_.undo.kind }) | Should -Be @('service', 'service')
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 0
        Get-HostStateText | Should -BeExactly $before
        (Get-Listener).termService.state | Should -Be 'Stopped'
    }

    It 'a failure on the second Start-Service call stops TermService again: the host is as it was' {
        $before = Get-HostStateText
        Set-FixHostFault -Command 'Start-Service' -Fault @{ kind = 'error'; after = 1 }
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'StartService' }
        $run.ExitCode | Should -Be 1
        $run.Result.outcome | Should -Be 'failed'
        $run.Result.error.message | Should -Match 'Simulated failure'
        # TermService is stopped again; the second start, which failed, changed nothing.
        @($run.Result.restored).Count | Should -Be 1
        @($run.Result.restored | Where-Object { -not $_.ok }).Count | Should -Be 0
        $run.Result.undoAvailable | Should -BeFalse
        Get-HostStateText | Should -BeExactly $before
    }

    It 'does nothing once the service runs and listens' {
        $null = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'StartService' }
        $before = Get-FixHostText
        $again = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'StartService' }
        $again.Result.outcome | Should -Be 'already-done'
        Get-FixHostText | Should -BeExactly $before
    }
}

Describe 'Repair-RdpListener -Action StartService on a Disabled TermService' {
    It 'sets the start type to Manual first, says so, and undo sets it back to Disabled' {
        $scenario = New-SimScenarioFile -Extends 'termservice-stopped' -Name 'disabled' -Patch @{
            cim = @{ 'root/cimv2:Win32_Service' = @{ TermService = @{ StartMode = 'Disabled' } } }
        }
        $null = Initialize-FixTestHost -Scenario $scenario
        $before = Get-HostStateText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'StartService' }
        $run.ExitCode | Should -Be 0
        @($run.Result.changes | ForEach-Object { $_.action }) | Should -Be @('Set the start type from Disabled to Manual', 'Start the service', 'Start the service')
        ($run.Result.notes -join ' ') | Should -Match 'set to Disabled'
        $listener = Get-Listener
        $listener.termService.startMode | Should -Be 'Manual'
        $listener.listeningByTermService | Should -BeTrue
        $null = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        Get-HostStateText | Should -BeExactly $before
        (Get-Listener).termService.startMode | Should -Be 'Disabled'
    }
}

Describe 'Repair-RdpListener -Action StartService refusals' {
    It 'group policy turns connections off: nothing started, the policy named' {
        $scenario = New-SimScenarioFile -Extends 'termservice-stopped' -Name 'denied-by-policy' -Patch @{
            registry = @{ 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' = @{ fDenyTSConnections = 1 } }
        }
        $null = Initialize-FixTestHost -Scenario $scenario
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'StartService' }
        $run.ExitCode | Should -Be 2
        $run.Result.outcome | Should -Be 'blocked'
        $run.Result.policy.path | Should -Be $script:TsPolicy
        $run.Result.policy.name | Should -Be 'fDenyTSConnections'
        $run.Result.policy.value | Should -Be 1
        Get-FixHostText | Should -BeExactly $before
    }

    It 'another program holds the port: refused before anything changes, the program named' {
        $scenario = New-SimScenarioFile -Extends 'port-held-by-other-process' -Name 'held-stopped' -Patch @{
            cim = @{ 'root/cimv2:Win32_Service' = @{ TermService = @{ State = 'Stopped'; Started = $false; ProcessId = 0 } } }
        }
        $null = Initialize-FixTestHost -Scenario $scenario
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'StartService' }
        $run.ExitCode | Should -Be 1
        $run.Result.error.message | Should -Match 'nginx \(pid 5120\)'
        $run.Result.error.message | Should -Match 'Nothing was changed'
        @($run.Result.restored).Count | Should -Be 0
        Get-FixHostText | Should -BeExactly $before
    }
}

Describe 'Repair-RdpListener -Action AllowConnections on connections-denied' {
    BeforeEach { $testHost = Initialize-FixTestHost -Scenario 'connections-denied' }

    It '-WhatIf plans fDenyTSConnections 1 -> 0 and changes nothing' {
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'AllowConnections'; WhatIf = $true }
        $run.Result.outcome | Should -Be 'planned'
        @($run.Planned).Count | Should -Be 1
        $run.Planned[0].action | Should -Be 'Allow remote connections (fDenyTSConnections 1 -> 0)'
        Get-FixHostText | Should -BeExactly $before
    }

    It 'applied, the running TermService listens without a restart; undo denies again' {
        $before = Get-HostStateText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'AllowConnections' }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'applied'
        @($run.Result.notes).Count | Should -Be 0
        $listener = Get-Listener
        $listener.denyConnections.effective | Should -Be 0
        $listener.denyConnections.localValue | Should -Be 0
        $listener.listeningByTermService | Should -BeTrue
        $record = Get-Content -LiteralPath (Join-Path $testHost.FixRoot "$($run.Result.recordId).undo.json") -Raw | ConvertFrom-Json
        $record.steps[0].undo.kind | Should -Be 'registry'
        $record.steps[0].undo.value | Should -Be 1
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 0
        Get-HostStateText | Should -BeExactly $before
        (Get-Listener).denyConnections.effective | Should -Be 1
    }

    It 'a failure after the change (the verifying read of the services fails) restores fDenyTSConnections' {
        $before = Get-HostStateText
        # The first reading (TermService, UmRdpService, the services sharing TermService's pid) passes; the one that verifies the listener fails.
        Set-FixHostFault -Command 'Get-CimInstance:Win32_Service' -Fault @{ kind = 'error'; after = 3 }
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'AllowConnections' }
        $run.ExitCode | Should -Be 1
        $run.Result.error.message | Should -Match 'Reading the Remote Desktop listener failed'
        @($run.Result.restored | Where-Object { $_.ok }).Count | Should -Be 1
        Get-HostStateText | Should -BeExactly $before
    }

    It 'says so when TermService is stopped (connections allowed, nothing listening yet)' {
        $scenario = New-SimScenarioFile -Extends 'connections-denied' -Name 'denied-stopped' -Patch @{
            cim = @{ 'root/cimv2:Win32_Service' = @{ TermService = @{ State = 'Stopped'; Started = $false; ProcessId = 0 }; UmRdpService = @{ State = 'Stopped'; Started = $false; ProcessId = 0 } } }
        }
        $null = Initialize-FixTestHost -Scenario $scenario
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'AllowConnections' }
        $run.ExitCode | Should -Be 0
        ($run.Result.notes -join ' ') | Should -Match 'not running'
        (Get-Listener).denyConnections.effective | Should -Be 0
    }
}

Describe 'Repair-RdpListener -Action AllowConnections when group policy denies' {
    It 'changes nothing and names the policy' {
        $scenario = New-SimScenarioFile -Extends 'connections-denied' -Name 'policy-deny' -Patch @{
            registry = @{ 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' = @{ fDenyTSConnections = 1 } }
        }
        $testHost = Initialize-FixTestHost -Scenario $scenario
        $before = Get-FixHostText
        foreach ($whatIf in $true, $false) {
            $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'AllowConnections'; WhatIf = $whatIf }
            $run.ExitCode | Should -Be 2
            $run.Result.outcome | Should -Be 'blocked'
            @($run.Planned).Count | Should -Be 0
            $run.Result.policy.path | Should -Be $script:TsPolicy
            $run.Result.policy.name | Should -Be 'fDenyTSConnections'
            $run.Result.policy.message | Should -Match 'Allow users to connect remotely by using Remote Desktop Services'
        }
        Get-FixHostText | Should -BeExactly $before
        Test-Path -LiteralPath (Join-Path $testHost.FixRoot "$($run.Result.recordId).undo.json") | Should -BeFalse
    }
}

Describe 'Repair-RdpListener -Action RestartService after a port change (3389 -> 3390, not yet restarted)' {
    BeforeEach {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Name 'port-moved' -Patch @{ registry = @{ $script:RdpTcp = @{ PortNumber = 3390 } } }
        # The preview runs as the admin's unelevated tray (UAC on); applied fixes run elevated.
        $testHost = Initialize-FixTestHost -Scenario $scenario -Identity 'uac-admin'
    }
    AfterEach { Remove-Item -Path env:RDP_HEALTH_SIM_ELEVATED -ErrorAction SilentlyContinue }

    It '-WhatIf lists the sessions it would end, plans the firewall port with the restart, and changes nothing' {
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'RestartService'; WhatIf = $true }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'planned'
        @($run.Result.details.sessions).Count | Should -Be 1
        $run.Result.details.sessions[0].id | Should -Be 2
        # qwinsta names the user even unelevated (as the preview runs), without the domain.
        $run.Result.details.sessions[0].user | Should -Be 'alice'
        ($run.Result.notes -join ' ') | Should -Match 'ends every Remote Desktop session'
        ($run.Result.notes -join ' ') | Should -Match ':3390'
        @($run.Planned | ForEach-Object { $_.target }) | Should -Be @(
            'Firewall rule RemoteDesktop-UserMode-In-TCP', 'Firewall rule RemoteDesktop-UserMode-In-UDP', 'Remote Desktop Services (TermService)')
        $run.Planned[2].action | Should -Match 'ends the 1 open Remote Desktop session'
        Get-FixHostText | Should -BeExactly $before
        Test-Path -LiteralPath $testHost.FixRoot | Should -BeFalse
    }

    It '-WhatIf names the signed-in users elevated too (qwinsta)' {
        $env:RDP_HEALTH_SIM_ELEVATED = '1'
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'RestartService'; WhatIf = $true }
        @($run.Result.details.sessions | ForEach-Object { $_.user }) | Should -Be @('alice')
        ($run.Result.notes -join ' ') | Should -Match 'session 2: alice'
    }

    It 'applied, TermService listens on 3390, the firewall rules open 3390, and the sessions were ended' {
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'RestartService' }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'applied'
        @($run.Result.details.sessions).Count | Should -Be 1
        $listener = Get-Listener
        $listener.listeningByTermService | Should -BeTrue
        @($listener.termServicePorts) | Should -Be @(3390)
        $listener.umRdpService.state | Should -Be 'Running'
        @($listener.sessions).Count | Should -Be 0
        @((Get-ProbeRule 'RemoteDesktop-UserMode-In-TCP').localPorts) | Should -Be @('3390')
        # Undo puts the firewall rules back; a restart cannot be taken back (the service just stays running).
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 0
        @($undo.Result.restored).Count | Should -Be 3
        @((Get-ProbeRule 'RemoteDesktop-UserMode-In-TCP').localPorts) | Should -Be @('3389')
        (Get-Listener).termService.state | Should -Be 'Running'
    }

    It 'a failure of the restart puts the firewall rules back and leaves the sessions alone' {
        $before = Get-HostStateText
        Set-FixHostFault -Command 'Stop-Service' -Fault @{ kind = 'error' }
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'RestartService' }
        $run.ExitCode | Should -Be 1
        $run.Result.error.message | Should -Match 'Simulated failure in Stop-Service'
        @($run.Result.restored | Where-Object { $_.ok }).Count | Should -Be 2
        @($run.Result.restored).Count | Should -Be 2
        Get-HostStateText | Should -BeExactly $before
        @((Get-Listener).sessions).Count | Should -Be 1
    }
}

Describe 'Repair-RdpListener -Action RestartService with TermService in a shared svchost (DoSvc on 7680)' {
    It 'plans only the restart: the co-hosted port 7680 is not taken for an old RDP port, so no firewall step' {
        $scenario = New-SimScenarioFile -Extends 'termservice-shared-svchost' -Name 'shared-not-listening' -Patch @{
            tcp = @{ '0.0.0.0:3389' = $null; ':::3389' = $null; '10.0.0.4:3389>10.0.0.9:51234' = $null }
        }
        $null = Initialize-FixTestHost -Scenario $scenario
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'RestartService'; WhatIf = $true }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'planned'
        @($run.Planned | ForEach-Object { $_.target }) | Should -Be @('Remote Desktop Services (TermService)')
        ($run.Result.notes -join ' ') | Should -Not -Match '7680'
        Get-FixHostText | Should -BeExactly $before
    }
}

Describe 'Repair-RdpListener -Action RestartService when a restart would not help' {
    It 'does nothing (and ends no session) while TermService listens on the port' {
        $null = Initialize-FixTestHost -Scenario 'healthy'
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'RestartService'; WhatIf = $true }
        $run.Result.outcome | Should -Be 'already-done'
        @($run.Planned).Count | Should -Be 0
        $applied = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'RestartService' }
        $applied.Result.outcome | Should -Be 'already-done'
        Get-FixHostText | Should -BeExactly $before
    }

    It 'refuses while another program holds the port, naming it' {
        $null = Initialize-FixTestHost -Scenario 'port-held-by-other-process'
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'RestartService' }
        $run.ExitCode | Should -Be 1
        $run.Result.error.message | Should -Match 'nginx \(pid 5120\)'
        Get-FixHostText | Should -BeExactly $before
    }

    It 'accepts only the actions of its ValidateSet' {
        $null = Initialize-FixTestHost -Scenario 'healthy'
        { & (Join-Path $script:RepoRoot "probes/$script:Script") -Action 'RestartService -Force' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Repair-RdpListener.ps1'
        { & (Join-Path $script:RepoRoot "probes/$script:Script") -Action 'StartService' -RecordId 'x' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Repair-RdpListener.ps1'
    }
}
