# The simulated Win32_TSGeneralSetting methods the nla and security-layer fixes call: like Windows,
# each changes the WMI instance and the local RDP-Tcp registry value, and refuses what Windows refuses.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    $script:RdpTcp = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
    # Invoke-CimMethod has no -Filter: the real cmdlet selects instances by -Query (or -InputObject).
    $script:Splat = @{ Namespace = 'root/cimv2/TerminalServices'; Query = "SELECT * FROM Win32_TSGeneralSetting WHERE TerminalName='RDP-Tcp'" }
    function Get-Setting { Get-CimInstance -Namespace 'root/cimv2/TerminalServices' -ClassName 'Win32_TSGeneralSetting' -Filter "TerminalName='RDP-Tcp'" }
}

Describe 'Win32_TSGeneralSetting.SetUserAuthenticationRequired (simulated)' {
    AfterEach { if ($script:State) { Remove-Item -LiteralPath $script:State -ErrorAction SilentlyContinue } }

    It 'turns NLA on in WMI and in the local registry value (nla-off-local)' {
        $script:State = Initialize-SimHost -Scenario 'nla-off-local'
        $result = Invoke-CimMethod @script:Splat -MethodName 'SetUserAuthenticationRequired' -Arguments @{ UserAuthenticationRequired = [uint32]1 }
        $result.ReturnValue | Should -Be 0
        (Get-Setting).UserAuthenticationRequired | Should -Be 1
        (Get-Setting).PolicySourceUserAuthenticationRequired | Should -Be 0
        Get-ItemPropertyValue -Path $script:RdpTcp -Name 'UserAuthentication' | Should -Be 1
        $probe = & (Join-Path $script:RepoRoot 'probes/nla/Get-RdpNla.ps1') | ConvertFrom-Json
        $probe.data.effective | Should -Be 1
        $probe.data.wmiValue | Should -Be 1
    }

    It 'works on an instance piped from Get-CimInstance' {
        $script:State = Initialize-SimHost -Scenario 'healthy'
        $result = Get-Setting | Invoke-CimMethod -MethodName 'SetUserAuthenticationRequired' -Arguments @{ UserAuthenticationRequired = 0 }
        $result.ReturnValue | Should -Be 0
        Get-ItemPropertyValue -Path $script:RdpTcp -Name 'UserAuthentication' | Should -Be 0
    }

    It 'refuses with WBEM_E_INVALID_OPERATION and changes nothing when group policy sets it (nla-off-by-policy)' {
        $script:State = Initialize-SimHost -Scenario 'nla-off-by-policy'
        $result = Invoke-CimMethod @script:Splat -MethodName 'SetUserAuthenticationRequired' -Arguments @{ UserAuthenticationRequired = 1 }
        $result.ReturnValue | Should -Be 2147749910
        (Get-Setting).UserAuthenticationRequired | Should -Be 0
        Get-ItemPropertyValue -Path $script:RdpTcp -Name 'UserAuthentication' | Should -Be 1
    }

    It 'refuses a value other than 0 or 1 with WBEM_E_INVALID_PARAMETER' {
        $script:State = Initialize-SimHost -Scenario 'healthy'
        (Invoke-CimMethod @script:Splat -MethodName 'SetUserAuthenticationRequired' -Arguments @{ UserAuthenticationRequired = 5 }).ReturnValue | Should -Be 2147749896
        Get-ItemPropertyValue -Path $script:RdpTcp -Name 'UserAuthentication' | Should -Be 1
    }

    It 'throws on an argument name Windows does not have' {
        $script:State = Initialize-SimHost -Scenario 'healthy'
        { Invoke-CimMethod @script:Splat -MethodName 'SetUserAuthenticationRequired' -Arguments @{ UserAuthentication = 1 } } | Should -Throw '*UserAuthentication*'
    }

    It 'supports -WhatIf without changing anything' {
        $script:State = Initialize-SimHost -Scenario 'nla-off-local'
        Invoke-CimMethod @script:Splat -MethodName 'SetUserAuthenticationRequired' -Arguments @{ UserAuthenticationRequired = 1 } -WhatIf
        Get-ItemPropertyValue -Path $script:RdpTcp -Name 'UserAuthentication' | Should -Be 0
    }
}

Describe 'Win32_TSGeneralSetting.SetSecurityLayer (simulated)' {
    AfterEach { if ($script:State) { Remove-Item -LiteralPath $script:State -ErrorAction SilentlyContinue } }

    It 'sets Negotiate in WMI and in the local registry value, resolving the contradiction (security-layer-rdp-with-nla)' {
        $script:State = Initialize-SimHost -Scenario 'security-layer-rdp-with-nla'
        $result = Invoke-CimMethod @script:Splat -MethodName 'SetSecurityLayer' -Arguments @{ SecurityLayer = [uint32]1 }
        $result.ReturnValue | Should -Be 0
        (Get-Setting).SecurityLayer | Should -Be 1
        Get-ItemPropertyValue -Path $script:RdpTcp -Name 'SecurityLayer' | Should -Be 1
        $probe = & (Join-Path $script:RepoRoot 'probes/security-layer/Get-RdpSecurityLayer.ps1') | ConvertFrom-Json
        $probe.data.securityLayer.effective | Should -Be 1
        $probe.data.userAuthentication.effective | Should -Be 1
    }

    It 'refuses TLS (2) while the encryption level is Low (1), as documented' {
        $script:State = Initialize-SimHost -Scenario (New-SimScenarioFile -Extends 'security-layer-rdp-with-nla' -Patch @{ cim = @{ 'root/cimv2/terminalservices:Win32_TSGeneralSetting' = @{ 'RDP-Tcp' = @{ MinEncryptionLevel = 1 } } } })
        (Invoke-CimMethod @script:Splat -MethodName 'SetSecurityLayer' -Arguments @{ SecurityLayer = 2 }).ReturnValue | Should -Be 2147749896
        Get-ItemPropertyValue -Path $script:RdpTcp -Name 'SecurityLayer' | Should -Be 0
    }

    It 'refuses with WBEM_E_INVALID_OPERATION when group policy sets the security layer' {
        $script:State = Initialize-SimHost -Scenario (New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{ 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' = @{ SecurityLayer = 0 } } })
        (Invoke-CimMethod @script:Splat -MethodName 'SetSecurityLayer' -Arguments @{ SecurityLayer = 2 }).ReturnValue | Should -Be 2147749910
        Get-ItemPropertyValue -Path $script:RdpTcp -Name 'SecurityLayer' | Should -Be 2
    }

    It 'refuses a layer outside 0-2 with WBEM_E_INVALID_PARAMETER' {
        $script:State = Initialize-SimHost -Scenario 'healthy'
        (Invoke-CimMethod @script:Splat -MethodName 'SetSecurityLayer' -Arguments @{ SecurityLayer = 3 }).ReturnValue | Should -Be 2147749896
    }
}
