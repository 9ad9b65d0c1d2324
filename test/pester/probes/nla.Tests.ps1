BeforeAll { . (Join-Path $PSScriptRoot '../SimHost.ps1') }

Describe 'Get-RdpNla' {
    It 'reports NLA required by the local setting on a healthy host' {
        $result = Invoke-SimProbe -Script 'nla/Get-RdpNla.ps1' -Scenario 'healthy'
        $result.ok | Should -BeTrue
        $result.data.effective | Should -Be 1
        $result.data.source | Should -Be 'local'
        $result.data.wmiPolicySource | Should -Be 2
    }

    It 'lets a policy value win over the local one' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{ 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' = @{ UserAuthentication = 0 } } }
        $result = Invoke-SimProbe -Script 'nla/Get-RdpNla.ps1' -Scenario $scenario
        $result.data.effective | Should -Be 0
        $result.data.source | Should -Be 'policy'
        $result.data.localValue | Should -Be 1
    }

    It 'reports access denied as an error envelope of that kind' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registryDenied = @('HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services') }
        $result = Invoke-SimProbe -Script 'nla/Get-RdpNla.ps1' -Scenario $scenario
        $result.ok | Should -BeFalse
        $result.error.kind | Should -Be 'access-denied'
    }
}
