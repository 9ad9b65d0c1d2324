# The simulated service control the listener fixes call: Start/Stop/Restart-Service change the
# Win32_Service instances and, for TermService, its listener and the RDP sessions, as Windows does.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    function Get-TermService { Get-CimInstance -ClassName Win32_Service -Filter "Name='TermService'" }
    function Get-RdpListenerData { (& (Join-Path $script:RepoRoot 'probes/listener/Get-RdpListener.ps1') | ConvertFrom-Json).data }
}

Describe 'Service shadows' {
    AfterEach { if ($script:State) { Remove-Item -LiteralPath $script:State -ErrorAction SilentlyContinue } }

    It 'Get-Service prints Status and StartType as the ServiceController enums name them' {
        $script:State = Initialize-SimHost -Scenario 'healthy'
        $service = Get-Service -Name 'TermService'
        $service.Status | Should -Be 'Running'
        $service.StartType | Should -Be 'Manual'
        $service.DisplayName | Should -Be 'Remote Desktop Services'
        (Get-Service -Name 'MpsSvc').StartType | Should -Be 'Automatic'
        { Get-Service -Name 'NoSuchService' -ErrorAction Stop } | Should -Throw '*NoSuchService*'
        @(Get-Service -Name 'NoSuchService' -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'Start-Service starts TermService with a new pid that listens on the configured port (termservice-stopped)' {
        $script:State = Initialize-SimHost -Scenario 'termservice-stopped'
        Start-Service -Name 'TermService'
        $service = Get-TermService
        $service.State | Should -Be 'Running'
        $service.ProcessId | Should -BeGreaterThan 0
        $data = Get-RdpListenerData
        $data.listeningByTermService | Should -BeTrue
        $data.termService.processId | Should -Be $service.ProcessId
        (Get-Process -Id $service.ProcessId).ProcessName | Should -Be 'svchost'
    }

    It 'Start-Service -WhatIf changes nothing' {
        $script:State = Initialize-SimHost -Scenario 'termservice-stopped'
        Start-Service -Name 'TermService' -WhatIf
        (Get-TermService).State | Should -Be 'Stopped'
    }

    It 'Start-Service UmRdpService starts TermService first, which it depends on' {
        $script:State = Initialize-SimHost -Scenario 'termservice-stopped'
        Start-Service -Name 'UmRdpService' -PassThru | ForEach-Object Status | Should -Be 'Running'
        (Get-TermService).State | Should -Be 'Running'
    }

    It 'a started TermService opens no listener while connections are denied or another process holds the port' {
        $script:State = Initialize-SimHost -Scenario (New-SimScenarioFile -Extends 'termservice-stopped' -Patch @{
                registry = @{ 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server' = @{ fDenyTSConnections = 1 } } })
        Start-Service -Name 'TermService'
        (Get-RdpListenerData).listening | Should -BeFalse
        Remove-Item -LiteralPath $script:State
        $script:State = Initialize-SimHost -Scenario 'port-held-by-other-process'
        Restart-Service -Name 'TermService' -Force
        $data = Get-RdpListenerData
        $data.listeningByTermService | Should -BeFalse
        $data.otherOwners[0].processName | Should -Be 'nginx'
    }

    It 'Start-Service does not start a Disabled service and writes an error' {
        $script:State = Initialize-SimHost -Scenario (New-SimScenarioFile -Extends 'termservice-stopped' -Patch @{
                cim = @{ 'root/cimv2:Win32_Service' = @{ TermService = @{ StartMode = 'Disabled' } } } })
        { Start-Service -Name 'TermService' -ErrorAction Stop } | Should -Throw '*cannot be started*'
        (Get-TermService).State | Should -Be 'Stopped'
        Set-Service -Name 'TermService' -StartupType Manual
        Start-Service -Name 'TermService'
        (Get-TermService).State | Should -Be 'Running'
        (Get-TermService).StartMode | Should -Be 'Manual'
    }

    It 'Stop-Service TermService needs -Force because UmRdpService depends on it' {
        $script:State = Initialize-SimHost -Scenario 'healthy'
        { Stop-Service -Name 'TermService' -ErrorAction Stop } | Should -Throw '*dependent services*'
        (Get-TermService).State | Should -Be 'Running'
        Stop-Service -Name 'TermService' -Force
        (Get-TermService).State | Should -Be 'Stopped'
        (Get-Service -Name 'UmRdpService').Status | Should -Be 'Stopped'
        $data = Get-RdpListenerData
        $data.listening | Should -BeFalse
        @($data.sessions).Count | Should -Be 0
    }

    It 'Restart-Service -Force gives TermService a new pid, listens again, restarts UmRdpService and ends the RDP sessions' {
        $script:State = Initialize-SimHost -Scenario 'healthy'
        $before = (Get-TermService).ProcessId
        Restart-Service -Name 'TermService' -Force
        $after = Get-TermService
        $after.State | Should -Be 'Running'
        $after.ProcessId | Should -Not -Be $before
        (Get-Service -Name 'UmRdpService').Status | Should -Be 'Running'
        $data = Get-RdpListenerData
        $data.listeningByTermService | Should -BeTrue
        @($data.sessions).Count | Should -Be 0
        # The established RDP connection went with the old process.
        @(Get-NetTCPConnection -OwningProcess $before -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'Restart-Service picks up a new PortNumber' {
        $script:State = Initialize-SimHost -Scenario (New-SimScenarioFile -Extends 'healthy' -Patch @{
                registry = @{ 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' = @{ PortNumber = 3390 } } })
        (Get-RdpListenerData).listening | Should -BeFalse
        Restart-Service -Name 'TermService' -Force
        $data = Get-RdpListenerData
        $data.listeningByTermService | Should -BeTrue
        @($data.termServicePorts) | Should -Be @(3390)
    }

    It 'a fault on Start-Service:TermService fails the start half way, as a failing fix sees it' {
        $script:State = Initialize-SimHost -Scenario (New-SimScenarioFile -Extends 'termservice-stopped' -Patch @{ faults = @{ 'Start-Service:TermService' = @{ kind = 'access-denied' } } })
        { Start-Service -Name 'TermService' -ErrorAction Stop } | Should -Throw '*Access is denied*'
        (Get-TermService).State | Should -Be 'Stopped'
    }
}
