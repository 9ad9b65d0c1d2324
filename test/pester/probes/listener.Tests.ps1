BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    $script:Probe = 'listener/Get-RdpListener.ps1'
    $script:RdpTcp = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
}

Describe 'Get-RdpListener' {
    It 'reports TermService listening on 3389 with its pid, the sessions and the settings on a healthy host' {
        $result = Invoke-SimProbe -Script $Probe -Scenario 'healthy' -Identity 'standard-user'
        $result.ok | Should -BeTrue
        $result.probe | Should -Be 'listener'
        $data = $result.data
        $data.port | Should -Be 3389
        $data.portSource | Should -Be 'local'
        $data.termService.state | Should -Be 'Running'
        $data.termService.processId | Should -Be 1180
        $data.umRdpService.state | Should -Be 'Running'
        $data.listenSource | Should -Be 'Get-NetTCPConnection'
        $data.fallbackReason | Should -BeNullOrEmpty
        # Listening sockets only: the established RDP connection and other ports are not listeners here.
        @($data.listeners | ForEach-Object { "$($_.localAddress):$($_.localPort)/$($_.processId)/$($_.processName)/$($_.termService)" }) |
            Should -Be @('0.0.0.0:3389/1180/svchost/True', ':::3389/1180/svchost/True')
        $data.listening | Should -BeTrue
        $data.listeningByTermService | Should -BeTrue
        @($data.otherOwners).Count | Should -Be 0
        @($data.termServicePorts) | Should -Be @(3389)
        $data.termServiceSharedProcess | Should -BeFalse
        @($data.coHostedServices).Count | Should -Be 0
        @($data.ambiguousPorts).Count | Should -Be 0
        $data.denyConnections.effective | Should -Be 0
        $data.denyConnections.source | Should -Be 'local'
        $data.lanAdapter | Should -Be 0
        $data.edition.editionId | Should -Be 'ServerDatacenter'
        $data.edition.home | Should -BeFalse
        # Not elevated: the session is listed, its user name is not readable.
        $data.sessionUserNamesReadable | Should -BeFalse
        @($data.sessions).Count | Should -Be 1
        $data.sessions[0].sessionId | Should -Be 2
        $data.sessions[0].userName | Should -BeNullOrEmpty
        $data.sessions[0].desktop | Should -BeTrue
    }

    It 'names the users of the sessions when it runs elevated' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{
            host     = @{ elevated = $true }
            sessions = @{ '1' = @{ SessionId = 1; UserName = ''; State = 'Connected'; WinStationName = 'Console' } }
        }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $result.data.sessionUserNamesReadable | Should -BeTrue
        @($result.data.sessions | ForEach-Object { "$($_.sessionId)/$($_.userName)/$($_.desktop)" }) | Should -Be @('1//False', '2/CORP\alice/True')
    }

    It 'reports the configured port 3390 and TermService listening there (custom-port-3390)' {
        $result = Invoke-SimProbe -Script $Probe -Scenario 'custom-port-3390'
        $result.data.port | Should -Be 3390
        $result.data.listeningByTermService | Should -BeTrue
        @($result.data.termServicePorts) | Should -Be @(3390)
    }

    It 'reports TermService still on the old port after PortNumber changed without a restart' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{ $RdpTcp = @{ PortNumber = 3390 } } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $result.data.port | Should -Be 3390
        $result.data.listening | Should -BeFalse
        @($result.data.termServicePorts) | Should -Be @(3389)
        @($result.data.listeners.localPort | Sort-Object -Unique) | Should -Be @(3389)
    }

    It 'attributes only the configured port to TermService when it shares its svchost (termservice-shared-svchost)' {
        $result = Invoke-SimProbe -Script $Probe -Scenario 'termservice-shared-svchost'
        $result.ok | Should -BeTrue
        $data = $result.data
        $data.termServiceSharedProcess | Should -BeTrue
        @($data.coHostedServices) | Should -Be @('DoSvc')
        @($data.termServicePorts) | Should -Be @(3389)
        @($data.ambiguousPorts) | Should -Be @(7680)
        $data.listeningByTermService | Should -BeTrue
        @($data.otherOwners).Count | Should -Be 0
        @($data.listeners | ForEach-Object { "$($_.localPort)/$($_.processId)/$($_.termService)/$($_.ambiguous)" } | Sort-Object -Unique) |
            Should -Be @('3389/1180/True/False', '7680/1180/False/True')
    }

    It 'does not take a co-hosted service port for the old RDP port after PortNumber changed in a shared svchost' {
        $scenario = New-SimScenarioFile -Extends 'termservice-shared-svchost' -Patch @{
            registry = @{ $RdpTcp = @{ PortNumber = 3390 } }
            tcp      = @{ '0.0.0.0:3389' = $null; ':::3389' = $null; '10.0.0.4:3389>10.0.0.9:51234' = $null }
        }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $result.data.listening | Should -BeFalse
        @($result.data.termServicePorts).Count | Should -Be 0
        @($result.data.ambiguousPorts) | Should -Be @(7680)
    }

    It 'reports a stopped TermService and no listener (termservice-stopped)' {
        $result = Invoke-SimProbe -Script $Probe -Scenario 'termservice-stopped'
        $result.data.termService.state | Should -Be 'Stopped'
        $result.data.umRdpService.state | Should -Be 'Stopped'
        $result.data.listening | Should -BeFalse
        @($result.data.listeners).Count | Should -Be 0
        @($result.data.sessions).Count | Should -Be 0
    }

    It 'names the other process that holds the port (port-held-by-other-process)' {
        $result = Invoke-SimProbe -Script $Probe -Scenario 'port-held-by-other-process'
        $result.data.termService.state | Should -Be 'Running'
        $result.data.listening | Should -BeTrue
        $result.data.listeningByTermService | Should -BeFalse
        @($result.data.otherOwners).Count | Should -Be 1
        $result.data.otherOwners[0].processId | Should -Be 5120
        $result.data.otherOwners[0].processName | Should -Be 'nginx'
    }

    It 'reports connections denied by the local setting (connections-denied)' {
        $result = Invoke-SimProbe -Script $Probe -Scenario 'connections-denied'
        $result.data.denyConnections.effective | Should -Be 1
        $result.data.denyConnections.source | Should -Be 'local'
        $result.data.listening | Should -BeFalse
    }

    It 'lets a policy fDenyTSConnections win over the local value' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{ 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' = @{ fDenyTSConnections = 1 } } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $result.data.denyConnections.effective | Should -Be 1
        $result.data.denyConnections.source | Should -Be 'policy'
        $result.data.denyConnections.localValue | Should -Be 0
    }

    It 'falls back to netstat on a German host and reads it by column, not by state word (german-host)' {
        $result = Invoke-SimProbe -Script $Probe -Scenario 'german-host'
        $result.ok | Should -BeTrue
        $result.data.listenSource | Should -Be 'netstat'
        $result.data.fallbackReason | Should -Match 'not available'
        @($result.data.listeners | ForEach-Object { "$($_.localAddress):$($_.localPort)/$($_.processId)" }) | Should -Be @('0.0.0.0:3389/1180')
        $result.data.listeningByTermService | Should -BeTrue
        $result.data.edition.editionId | Should -Be 'Professional'
    }

    It 'reads netstat on a French host too, and finds the other process holding the port' {
        $scenario = New-SimScenarioFile -Extends 'port-held-by-other-process' -Patch @{ host = @{ language = 'fr-FR'; missingCommands = @('Get-NetTCPConnection') } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $result.data.listenSource | Should -Be 'netstat'
        $result.data.otherOwners[0].processName | Should -Be 'nginx'
        $result.data.listeningByTermService | Should -BeFalse
    }

    It 'falls back to netstat when Get-NetTCPConnection fails' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ faults = @{ 'Get-NetTCPConnection' = @{ kind = 'error' } } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $result.data.listenSource | Should -Be 'netstat'
        $result.data.fallbackReason | Should -Match 'Simulated failure'
        $result.data.listeningByTermService | Should -BeTrue
    }

    It 'reports an error envelope when neither Get-NetTCPConnection nor netstat can be read' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ host = @{ missingCommands = @('Get-NetTCPConnection') }; faults = @{ netstat = @{ kind = 'error' } } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $result.ok | Should -BeFalse
        $result.error.kind | Should -Be 'error'
    }

    It 'treats "no listening socket at all" from Get-NetTCPConnection as an empty list, not a reason to fall back' {
        $scenario = New-SimScenarioFile -Extends 'termservice-stopped' -Patch @{ tcp = @{ '0.0.0.0:135' = $null; '0.0.0.0:445' = $null } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $result.ok | Should -BeTrue
        $result.data.listenSource | Should -Be 'Get-NetTCPConnection'
        $result.data.listening | Should -BeFalse
    }

    It 'reports a Home edition, LanAdapter binding and a missing PortNumber' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{
                'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion' = @{ EditionID = 'CoreSingleLanguage'; InstallationType = 'Client' }
                $RdpTcp = @{ LanAdapter = 2; PortNumber = $null }
            } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $result.data.edition.home | Should -BeTrue
        $result.data.edition.editionId | Should -Be 'CoreSingleLanguage'
        $result.data.lanAdapter | Should -Be 2
        $result.data.port | Should -Be 3389
        $result.data.portSource | Should -Be 'default'
    }

    It 'reports a service read that is denied as an access-denied envelope' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ faults = @{ 'Get-CimInstance:Win32_Service' = @{ kind = 'access-denied' } } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $result.ok | Should -BeFalse
        $result.error.kind | Should -Be 'access-denied'
    }
}
