BeforeAll { . (Join-Path $PSScriptRoot '../SimHost.ps1') }

Describe 'Get-RdpNla' {
    It 'reports NLA required by the local setting on a healthy host' {
        $result = Invoke-SimProbe -Script 'nla/Get-RdpNla.ps1' -Scenario 'healthy'
        $result.ok | Should -BeTrue
        $result.probe | Should -Be 'nla'
        $result.data.effective | Should -Be 1
        $result.data.source | Should -Be 'local'
        $result.data.localValue | Should -Be 1
        $result.data.policyValue | Should -BeNullOrEmpty
        $result.data.wmiValue | Should -Be 1
        $result.data.wmiPolicySource | Should -Be 2
        $result.data.securityLayer | Should -Be 2
        $result.data.securityLayerSource | Should -Be 'local'
    }

    It 'reports NLA turned off by the local value (nla-off-local)' {
        $result = Invoke-SimProbe -Script 'nla/Get-RdpNla.ps1' -Scenario 'nla-off-local'
        $result.ok | Should -BeTrue
        $result.data.effective | Should -Be 0
        $result.data.source | Should -Be 'local'
        $result.data.localValue | Should -Be 0
        $result.data.policyValue | Should -BeNullOrEmpty
        $result.data.wmiValue | Should -Be 0
        $result.data.wmiPolicySource | Should -Be 0
    }

    It 'reports NLA turned off by group policy, with the local value still on (nla-off-by-policy)' {
        $result = Invoke-SimProbe -Script 'nla/Get-RdpNla.ps1' -Scenario 'nla-off-by-policy'
        $result.data.effective | Should -Be 0
        $result.data.source | Should -Be 'policy'
        $result.data.policyValue | Should -Be 0
        $result.data.localValue | Should -Be 1
        $result.data.policyPath | Should -Be 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
        $result.data.wmiPolicySource | Should -Be 1
    }

    It 'reads the RDP security layer next to NLA (security-layer-rdp-with-nla)' {
        $result = Invoke-SimProbe -Script 'nla/Get-RdpNla.ps1' -Scenario 'security-layer-rdp-with-nla'
        $result.data.effective | Should -Be 1
        $result.data.securityLayer | Should -Be 0
        $result.data.securityLayerSource | Should -Be 'local'
    }

    It 'lets a policy value win over the local one' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{ 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' = @{ UserAuthentication = 0 } } }
        $result = Invoke-SimProbe -Script 'nla/Get-RdpNla.ps1' -Scenario $scenario
        $result.data.effective | Should -Be 0
        $result.data.source | Should -Be 'policy'
        $result.data.localValue | Should -Be 1
    }

    It 'falls back to the WMI value, and the Negotiate default for the layer, when the registry has neither' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{ 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' = @{ UserAuthentication = $null; SecurityLayer = $null } } }
        $result = Invoke-SimProbe -Script 'nla/Get-RdpNla.ps1' -Scenario $scenario
        $result.data.localValue | Should -BeNullOrEmpty
        $result.data.source | Should -Be 'default'
        $result.data.effective | Should -Be 1
        $result.data.securityLayer | Should -Be 1
        $result.data.securityLayerSource | Should -Be 'default'
    }

    It 'reports access denied as an error envelope of that kind' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registryDenied = @('HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services') }
        $result = Invoke-SimProbe -Script 'nla/Get-RdpNla.ps1' -Scenario $scenario
        $result.ok | Should -BeFalse
        $result.error.kind | Should -Be 'access-denied'
    }

    It 'carries on from the registry when WMI fails, and says so' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ faults = @{ 'Get-CimInstance:Win32_TSGeneralSetting' = @{ kind = 'access-denied' } } }
        $result = Invoke-SimProbe -Script 'nla/Get-RdpNla.ps1' -Scenario $scenario
        $result.ok | Should -BeTrue
        $result.data.effective | Should -Be 1
        $result.data.wmi.readable | Should -BeFalse
        $result.data.wmi.errorKind | Should -Be 'access-denied'
    }
}
