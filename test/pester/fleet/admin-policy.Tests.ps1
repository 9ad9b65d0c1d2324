BeforeAll { . (Join-Path $PSScriptRoot '../SimHost.ps1') }

Describe 'Get-RdpHealthPolicy' {
    It 'reports no policy on a host without the policy key' {
        $result = Invoke-SimProbe -Script 'common/Get-RdpHealthPolicy.ps1' -Scenario 'healthy'
        $result.ok | Should -BeTrue
        $result.probe | Should -Be 'admin-policy'
        $result.data.present | Should -BeFalse
        @($result.data.values.PSObject.Properties).Count | Should -Be 0
    }

    It 'reports every value of the admin-policy scenario with the kind it was stored as' {
        $result = Invoke-SimProbe -Script 'common/Get-RdpHealthPolicy.ps1' -Scenario 'admin-policy'
        $result.ok | Should -BeTrue
        $result.data.present | Should -BeTrue
        $result.data.values.CheckIntervalMinutes | Should -Be 30
        $result.data.kinds.CheckIntervalMinutes | Should -Be 'dword'
        @($result.data.values.WarnDays) | Should -Be @('45', '10')
        $result.data.kinds.WarnDays | Should -Be 'multi'
        $result.data.values.NotificationsDisabled | Should -Be 1
        $result.data.values.FixesDisabled | Should -Be 0
        $result.data.values.HideSecurityLoweringFixes | Should -Be 1
    }

    It 'keeps a one-item REG_MULTI_SZ an array and passes a comma string through verbatim' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{ 'HKLM:\SOFTWARE\Policies\RDP Health' = @{ WarnDays = @{ multi = @('21') }; CheckIntervalMinutes = '15' } } }
        $result = Invoke-SimProbe -Script 'common/Get-RdpHealthPolicy.ps1' -Scenario $scenario
        $result.data.values.WarnDays -is [array] | Should -BeTrue
        @($result.data.values.WarnDays) | Should -Be @('21')
        $result.data.values.CheckIntervalMinutes | Should -Be '15'
        $result.data.kinds.CheckIntervalMinutes | Should -Be 'string'
    }

    It 'passes the metrics folder through as a string' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{ 'HKLM:\SOFTWARE\Policies\RDP Health' = @{ MetricsTextfileDirectory = 'C:\ProgramData\RDP Health\shared' } } }
        $result = Invoke-SimProbe -Script 'common/Get-RdpHealthPolicy.ps1' -Scenario $scenario
        $result.data.values.MetricsTextfileDirectory | Should -Be 'C:\ProgramData\RDP Health\shared'
        $result.data.kinds.MetricsTextfileDirectory | Should -Be 'string'
    }

    It 'ignores values it does not know' {
        $scenario = New-SimScenarioFile -Extends 'admin-policy' -Patch @{ registry = @{ 'HKLM:\SOFTWARE\Policies\RDP Health' = @{ SomethingElse = 5 } } }
        $result = Invoke-SimProbe -Script 'common/Get-RdpHealthPolicy.ps1' -Scenario $scenario
        $result.data.values.PSObject.Properties.Name | Should -Not -Contain 'SomethingElse'
    }

    It 'reports access denied as an error envelope of that kind' {
        $scenario = New-SimScenarioFile -Extends 'admin-policy' -Patch @{ registryDenied = @('HKLM:\SOFTWARE\Policies\RDP Health') }
        $result = Invoke-SimProbe -Script 'common/Get-RdpHealthPolicy.ps1' -Scenario $scenario
        $result.ok | Should -BeFalse
        $result.error.kind | Should -Be 'access-denied'
    }
}
