BeforeAll { . (Join-Path $PSScriptRoot '../SimHost.ps1') }

Describe 'Get-RdpSecurityLayer' {
    It 'reports the local TLS layer, NLA and encryption settings on a healthy host' {
        $result = Invoke-SimProbe -Script 'security-layer/Get-RdpSecurityLayer.ps1' -Scenario 'healthy'
        $result.ok | Should -BeTrue
        $result.probe | Should -Be 'security-layer'
        $result.data.securityLayer.effective | Should -Be 2
        $result.data.securityLayer.source | Should -Be 'local'
        $result.data.securityLayer.localValue | Should -Be 2
        $result.data.securityLayer.policyValue | Should -BeNullOrEmpty
        $result.data.securityLayer.wmiPolicySource | Should -Be 2
        $result.data.userAuthentication.effective | Should -Be 1
        $result.data.minEncryptionLevel.effective | Should -Be 2
        $result.data.minEncryptionLevel.wmiPolicySource | Should -Be 2
        $result.data.allowSecProtocolNegotiation.effective | Should -Be 1
        $result.data.allowSecProtocolNegotiation.wmiPolicySource | Should -BeNullOrEmpty
        $result.data.wmiSecurityLayer | Should -Be 2
        $result.data.localPath | Should -Be 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
    }

    It 'reports the RDP layer together with NLA required (security-layer-rdp-with-nla)' {
        $result = Invoke-SimProbe -Script 'security-layer/Get-RdpSecurityLayer.ps1' -Scenario 'security-layer-rdp-with-nla'
        $result.data.securityLayer.effective | Should -Be 0
        $result.data.securityLayer.source | Should -Be 'local'
        $result.data.securityLayer.wmiPolicySource | Should -Be 0
        $result.data.userAuthentication.effective | Should -Be 1
        $result.data.userAuthentication.source | Should -Be 'local'
    }

    It 'reports NLA off by local value (nla-off-local) and by policy (nla-off-by-policy)' {
        $local = Invoke-SimProbe -Script 'security-layer/Get-RdpSecurityLayer.ps1' -Scenario 'nla-off-local'
        $local.data.userAuthentication.effective | Should -Be 0
        $local.data.userAuthentication.source | Should -Be 'local'
        $policy = Invoke-SimProbe -Script 'security-layer/Get-RdpSecurityLayer.ps1' -Scenario 'nla-off-by-policy'
        $policy.data.userAuthentication.effective | Should -Be 0
        $policy.data.userAuthentication.source | Should -Be 'policy'
        $policy.data.userAuthentication.wmiPolicySource | Should -Be 1
        $policy.data.securityLayer.effective | Should -Be 2
    }

    It 'lets policy values win for the layer and the encryption level' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{
            registry = @{ 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' = @{ SecurityLayer = 0; MinEncryptionLevel = 3 } }
            cim      = @{ 'root/cimv2/terminalservices:Win32_TSGeneralSetting' = @{ 'RDP-Tcp' = @{ PolicySourceSecurityLayer = 1; PolicySourceMinEncryptionLevel = 1 } } }
        }
        $result = Invoke-SimProbe -Script 'security-layer/Get-RdpSecurityLayer.ps1' -Scenario $scenario
        $result.data.securityLayer.effective | Should -Be 0
        $result.data.securityLayer.source | Should -Be 'policy'
        $result.data.securityLayer.localValue | Should -Be 2
        $result.data.securityLayer.wmiPolicySource | Should -Be 1
        $result.data.minEncryptionLevel.effective | Should -Be 3
        $result.data.minEncryptionLevel.source | Should -Be 'policy'
    }

    It 'uses the documented Negotiate default when SecurityLayer is absent' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{ 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' = @{ SecurityLayer = $null } } }
        $result = Invoke-SimProbe -Script 'security-layer/Get-RdpSecurityLayer.ps1' -Scenario $scenario
        $result.data.securityLayer.effective | Should -Be 1
        $result.data.securityLayer.source | Should -Be 'default'
        $result.data.securityLayer.localValue | Should -BeNullOrEmpty
    }

    It 'reports access denied on the RDP-Tcp key as an error envelope of that kind' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registryDenied = @('HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp') }
        $result = Invoke-SimProbe -Script 'security-layer/Get-RdpSecurityLayer.ps1' -Scenario $scenario
        $result.ok | Should -BeFalse
        $result.error.kind | Should -Be 'access-denied'
    }
}
